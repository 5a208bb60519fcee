#!/usr/bin/env python3
"""Regenerates the curl tour in README.md from a real server.

usage: tools/tour.py [BUILD_DIR]

Imports data/sample.ndjson into a temporary database, starts `gazette serve`
on a free loopback port, runs every request of the tour and writes the
requests and their real responses between the tour markers of README.md
(JSON indented for reading)."""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
GAZETTE = os.path.join(BUILD, "gazette")

# (what it shows, method, target, show headers)
TOUR = [
    ("Liveness and readiness", "GET", "/healthz", False),
    (None, "GET", "/readyz", False),
    ("The newest articles, two to a page, some fields only", "GET",
     "/v1/articles?limit=2&fields=id,slug,title,published,themes", False),
    ("The next page: follow `next_cursor`, or the `Link` header", "GET",
     "/v1/articles?limit=2&fields=id,title&cursor={cursor}", True),
    ("Filters: a theme, a date range, and the exact total", "GET",
     "/v1/articles?theme=digital-economy&from=2024-01-01&count=true&fields=title,published",
     False),
    ("Everything one official said about artificial intelligence", "GET",
     "/v1/quotes?official=zoe-marin&theme=artificial-intelligence&limit=2"
     "&fields=text,kind,title,article", False),
    ("One article, by slug or id, with its themes and quotes", "GET",
     "/v1/articles/{article}?fields=id,title,published,source,themes,quotes", False),
    ("Themes, most written about first", "GET",
     "/v1/themes?sort=-article_count&limit=3&fields=slug,name,article_count", False),
    (None, "GET", "/v1/themes/digital-economy", False),
    ("Officials, most quoted first, with their latest title and organization", "GET",
     "/v1/officials?sort=-quote_count&limit=2", False),
    (None, "GET", "/v1/officials/lukasz-novak", False),
    ("An official's quotes, newest first", "GET",
     "/v1/officials/lukasz-novak/quotes?limit=2&fields=text,title,article", False),
    ("Organizations, with their departments", "GET",
     "/v1/organizations?limit=3&fields=id,slug,name,parent,official_count", False),
    (None, "GET", "/v1/organizations/national-planning-agency", False),
    ("Quotes of an organization and its departments", "GET",
     "/v1/quotes?organization=national-planning-agency&limit=2"
     "&fields=text,official,organization", False),
    ("Mistakes are problem details (RFC 9457), with one entry per bad parameter", "GET",
     "/v1/articles?limit=0&sort=colour", False),
    (None, "GET", "/v1/officials/nobody", False),
    (None, "DELETE", "/v1/articles/1", True),
]


def pretty(v, indent=0):
    """JSON indented for reading, with small objects and arrays on one line."""
    flat = json.dumps(v, ensure_ascii=False)
    if len(flat) + indent <= 88 or not isinstance(v, (dict, list)) or not v:
        return flat
    pad = " " * (indent + 2)
    if isinstance(v, dict):
        items = [f"{pad}{json.dumps(k)}: {pretty(x, indent + 2)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + pretty(x, indent + 2) for x in v]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, target):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{target}", method=method)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def main():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "tour.db")
    subprocess.run([GAZETTE, "import", "--quiet", "--db", db,
                    os.path.join(ROOT, "data", "sample.ndjson")], check=True,
                   stderr=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([GAZETTE, "serve", "--db", db, "--listen",
                               f"127.0.0.1:{port}", "--no-access-log"],
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                request(port, "GET", "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        out = []
        values = {}
        _, _, first = request(port, "GET", "/v1/articles?limit=2&fields=id,title")
        values["cursor"] = json.loads(first)["next_cursor"]
        _, _, quoted = request(port, "GET", "/v1/quotes?limit=1&fields=article")
        values["article"] = json.loads(quoted)["data"][0]["article"]["slug"]
        for title, method, target, headers in TOUR:
            target = target.format(**values)
            status, hdrs, body = request(port, method, target)
            if title:
                out.append(f"\n{title}:\n")
            flag = "-i " if headers else ""
            verb = f"-X {method} " if method != "GET" else ""
            out.append("```console")
            out.append(f"$ curl -s {flag}{verb}'localhost:8080{target}'")
            if headers:
                out.append(f"HTTP/1.1 {status} {http.client.responses[status]}")
                for k in ("Content-Type", "Allow", "Link"):
                    if k in hdrs:
                        v = hdrs[k].replace(f"127.0.0.1:{port}", "localhost:8080")
                        out.append(f"{k}: {v}")
                out.append("")
            try:
                text = pretty(json.loads(body))
            except ValueError:
                text = body.rstrip()
            out.append(text)
            out.append("```")
    finally:
        server.terminate()
        server.wait()
    readme = os.path.join(ROOT, "README.md")
    with open(readme) as f:
        text = f.read()
    new = re.sub(r"(<!-- tour:start -->\n).*?(<!-- tour:end -->)",
                 lambda m: m.group(1) + "\n".join(out).lstrip("\n") + "\n" + m.group(2),
                 text, flags=re.S)
    with open(readme, "w") as f:
        f.write(new)


if __name__ == "__main__":
    main()
