#!/usr/bin/env python3
"""Soak: wrk with 256 connections for GAZETTE_SOAK_SECONDS (60 by default)
mixing reads and authenticated writes against a real server.  Passes when
there were no socket errors, no answer other than 200 and 201, every
acknowledged create is stored afterwards, nothing else was created, and the
server stops cleanly on SIGTERM.  TAP on stdout; skips (77) without wrk,
except in CI."""
import json, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
binary = os.environ["GAZETTE_BIN"]
root = os.environ["GAZETTE_SOURCE_ROOT"]
seconds = int(os.environ.get("GAZETTE_SOAK_SECONDS", "60"))
connections = 256
results = []


def check(ok, what, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {what}")
    if not ok and detail:
        for line in str(detail).splitlines()[:40]:
            print(f"# {line}")


def get(port, target):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{target}", timeout=30) as r:
        return r.status, json.loads(r.read())


def main():
    if not shutil.which("wrk"):
        print("1..0 # SKIP wrk is not installed")
        sys.exit(1 if os.environ.get("CI") == "true" else 77)
    tmp = tempfile.mkdtemp(prefix="gazette-soak-")
    db = os.path.join(tmp, "db")
    subprocess.run([binary, "import", "--db", db, os.path.join(root, "data", "sample.ndjson")],
                   check=True, capture_output=True)
    made = subprocess.run([binary, "keys", "create", "--db", db, "--name", "soak",
                           "--scope", "write"], check=True, capture_output=True, text=True)
    key = re.search(r"gz_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", made.stdout).group(0)

    log = open(os.path.join(tmp, "log"), "w+")
    server = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                               "--no-access-log"],
                              stderr=log)
    port = None
    for _ in range(200):
        log.seek(0)
        m = re.search(r"url=http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.05)
    if port is None:
        server.kill()
        log.seek(0)
        print("1..0 # the server did not start")
        print("\n".join("# " + l for l in log.read().splitlines()))
        sys.exit(1)
    _, before = get(port, "/v1/articles?count=true&limit=1")

    out = os.path.join(tmp, "wrk.out")
    env = dict(os.environ, SOAK_KEY=key, SOAK_OUT=out)
    print(f"# wrk -t2 -c{connections} -d{seconds}s against port {port}")
    wrk = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
                          "-s", os.path.join(here, "mix.lua"), f"http://127.0.0.1:{port}"],
                         env=env, capture_output=True, text=True)
    for line in wrk.stdout.splitlines():
        print("# " + line)
    statuses, created, errors, requests = {}, [], None, 0
    for line in open(out):
        word, *rest = line.split()
        if word == "status":
            statuses[int(rest[0])] = statuses.get(int(rest[0]), 0) + int(rest[1])
        elif word == "created":
            created.append(rest[0])
        elif word == "errors":
            errors = dict(zip(["connect", "read", "write", "status", "timeout"],
                              map(int, rest)))
        elif word == "requests":
            requests = int(rest[0])
    print(f"# {requests} requests; statuses {statuses}; {len(created)} created")

    print("1..7")
    check(wrk.returncode == 0 and requests > 0, "wrk ran and sent requests", wrk.stderr)
    check(errors is not None and not any(errors.values()), "no socket errors", errors)
    check(set(statuses) <= {200, 201}, "every answer a 200 or a 201", statuses)
    check(len(created) == statuses.get(201, 0) and "?" not in created and created,
          "every 201 named the article it created")
    missing = []
    for slug in created:
        status, article = get(port, f"/v1/articles/{slug}")
        if status != 200 or article.get("title") != f"Soak article {slug}" or \
                not article.get("quotes"):
            missing.append(slug)
    check(not missing, f"all {len(created)} acknowledged articles are stored with their quotes",
          missing[:20])
    # wrk stops with a request in flight on some connections: those writes
    # may have landed without their answer being read, so at most one a
    # connection may be stored beyond the acknowledged ones.
    _, after = get(port, "/v1/articles?count=true&limit=1")
    _, soaked = get(port, "/v1/articles?count=true&limit=1&source=Soak%20Wire")
    check(after["total"] - soaked["total"] == before["total"] and
          len(created) <= soaked["total"] <= len(created) + connections,
          "nothing stored that was not sent, nothing else changed",
          f"{before['total']} before, {after['total']} after, {soaked['total']} from the soak, "
          f"{len(created)} acknowledged")
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        code = "still running after 30 s"
    log.seek(0)
    text = log.read()

    check(code == 0, "the server stopped cleanly on SIGTERM",
          f"exit {code}\n" + "\n".join(text.splitlines()[-20:]))
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if all(results) else 1)


main()
