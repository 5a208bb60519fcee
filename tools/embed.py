#!/usr/bin/env python3
"""Writes a C file that holds the given files as NUL-terminated arrays.

usage: embed.py SYMBOL OUTPUT FILE...

With SYMBOL "gazette_migrations" the files must be named NNNN_name.sql
and numbered 1, 2, 3 ... without gaps, because the position of a
migration in the array is its schema version."""
import os
import re
import sys


def main():
    symbol, output, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = sorted(files, key=os.path.basename)
    if symbol == "gazette_migrations":
        for i, path in enumerate(files, 1):
            m = re.match(r"^(\d{4})_[a-z0-9_]+\.sql$", os.path.basename(path))
            if not m or int(m.group(1)) != i:
                sys.exit(f"embed.py: migration {path} should be numbered {i:04d}")
    out = ['#include "gazette/embedded.h"', ""]
    for i, path in enumerate(files):
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data and symbol == "gazette_migrations":
            sys.exit(f"embed.py: {path} contains a NUL byte")
        out.append(f"static const char data_{i}[] = {{")
        for k in range(0, len(data), 16):
            out.append("    " + ", ".join(str(b) for b in data[k:k + 16]) + ",")
        out.append("    0};")
    out.append(f"const struct embedded_file {symbol}[] = {{")
    for i, path in enumerate(files):
        name = os.path.basename(path)
        out.append(f'    {{"{name}", data_{i}, sizeof(data_{i}) - 1}},')
    out.append("    {0, 0, 0}};")
    out.append(f"const size_t {symbol}_count = {len(files)};")
    with open(output, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
