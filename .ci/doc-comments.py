#!/usr/bin/env python3
"""Every public declaration in the given source folders has a `///` documentation comment.

Usage: doc-comments.py FOLDER...   Prints each undocumented declaration as path:line and
exits 1 if there is one.
"""
import pathlib
import re
import sys

DECLARATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*public\s+(?:internal\(set\)\s+|private\(set\)\s+)?"
    r"(?:static\s+|final\s+|mutating\s+|nonisolated\s+|indirect\s+|convenience\s+|override\s+)*"
    r"(func|var|let|init|struct|enum|class|protocol|typealias|case|actor|subscript)\b")

missing = []
for folder in sys.argv[1:]:
    for path in sorted(pathlib.Path(folder).rglob("*.swift")):
        lines = path.read_text().split("\n")
        for number, line in enumerate(lines):
            if not DECLARATION.match(line):
                continue
            previous = number - 1
            while previous >= 0 and lines[previous].strip().startswith("@"):
                previous -= 1
            if previous < 0 or not lines[previous].strip().startswith("///"):
                missing.append("%s:%d: %s" % (path, number + 1, line.strip()))
for entry in missing:
    print("undocumented public declaration:", entry)
sys.exit(1 if missing else 0)
