#!/usr/bin/env python3
"""Copies generated Swift files into a target folder, writing only those whose contents differ
(as `trellis generate` does).

Usage: sync_generated.py GENERATED_FOLDER TARGET_FOLDER

Prints the names of the files written.
"""
import os
import sys


def main():
    source, target = sys.argv[1], sys.argv[2]
    os.makedirs(target, exist_ok=True)
    written = []
    for name in sorted(os.listdir(source)):
        if not name.endswith(".swift"):
            continue
        with open(os.path.join(source, name)) as f:
            text = f.read()
        path = os.path.join(target, name)
        if os.path.exists(path):
            with open(path) as f:
                if f.read() == text:
                    continue
        with open(path, "w") as f:
            f.write(text)
        written.append(name)
    print(" ".join(written))


if __name__ == "__main__":
    main()
