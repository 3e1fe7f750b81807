#!/usr/bin/env python3
"""`trellis generate` over every SchemaStore corpus schema (as a model only), then compile.

Called by ./run, which builds `trellis` and the TrellisCore/TrellisJSON modules first.

Per case (a schema of ../shared/corpus/schemastore/corpus.json.gz):

1. A folder with the schema as `<case name>.json`, every registry document it needs
   (transitively) as `<basename>.json`, with `$ref`s to them rewritten to relative file
   names (refs to the schema's own `$id` become `#...`), and `trellis-declaration.json`
   listing the schema under `models` with one trivial operation (GET /health, 200 text).
   No case is skipped: `$ref`s to documents outside the registry are left alone (the
   generator then reports them), and such cases are flagged.
2. `trellis generate`. Status `diagnostic` when it exits 1 with an error diagnostic,
   `crash` when it dies otherwise (signal, other status, timeout).
3. The generated files, as one Swift module per case, compiled by
   `swiftc -emit-sil -wmo -Onone -swift-version 6` against the built TrellisCore and
   TrellisJSON modules: type checking plus the mandatory SIL passes (definite
   initialisation, missing returns, exclusivity...), i.e. every diagnostic a debug
   `swift build` gives, without machine code. Status `ok` or `compile-error`.

Prints a line per case, the totals, and the main reasons (normalised diagnostics and
compiler errors, counted by case) with an example each; writes results.json to the work
folder.
"""
import argparse
import collections
import concurrent.futures
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from urllib.parse import urljoin, urldefrag, urlsplit

DECLARATION = "trellis-declaration.json"
DATA_KEYWORDS = {"enum", "const", "default", "examples", "example"}
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}


def canonical(uri):
    """Registry keys come as http/https and json./www. variants of one document."""
    uri = urldefrag(uri)[0]
    parts = urlsplit(uri)
    host = parts.netloc.lower()
    if host == "www.schemastore.org":
        host = "json.schemastore.org"
    return "https://" + host + parts.path if parts.scheme in ("http", "https") else uri


def root_id(schema):
    if not isinstance(schema, dict):
        return None
    value = schema.get("$id", schema.get("id"))
    return value if isinstance(value, str) else None


def schema_refs(node, base, visit, in_data=False):
    """Calls visit(holder, absolute_target, base) for every string $ref in schema positions."""
    if isinstance(node, dict):
        own = root_id(node)
        if own and not own.startswith("#"):
            base = urljoin(base, own)
        ref = node.get("$ref")
        if isinstance(ref, str):
            visit(node, urljoin(base, ref), base)
        for key, value in node.items():
            if key in DATA_KEYWORDS:
                continue
            if key in NAME_MAPS and isinstance(value, dict):
                for child in value.values():
                    schema_refs(child, base, visit)
            else:
                schema_refs(value, base, visit)
    elif isinstance(node, list):
        for item in node:
            schema_refs(item, base, visit)


def prepare_case(index, case, registry, folder):
    """Writes the case's folder; returns its info (file names, unresolved external refs)."""
    name = case["name"]
    schema = json.loads(json.dumps(case["schema"]))  # a copy we may rewrite
    model_file = name + ".json"
    # Registry documents by canonical URI.
    by_canonical = {}
    for key, document in registry.items():
        by_canonical.setdefault(canonical(key), document)
        if root_id(document):
            by_canonical.setdefault(canonical(root_id(document)), document)
    case_base = root_id(schema) or ("https://corpus.invalid/" + model_file)
    files = {canonical(case_base): (model_file, schema)}
    used_names = {model_file, DECLARATION}
    unresolved = set()
    queue = [(schema, case_base)]
    while queue:
        document, base = queue.pop()
        this = canonical(base)

        def visit(holder, target, ref_base, this=this):
            document_uri, fragment = urldefrag(target)
            key = canonical(document_uri)
            suffix = ("#" + fragment) if fragment else ""
            if key == this:
                holder["$ref"] = suffix or "#"
                return
            if key not in files:
                if key not in by_canonical:
                    unresolved.add(document_uri)
                    return
                stem = os.path.basename(urlsplit(key).path) or "document.json"
                if not stem.endswith(".json"):
                    stem += ".json"
                file_name, n = stem, 2
                while file_name in used_names:
                    file_name = stem[:-5] + "-" + str(n) + ".json"
                    n += 1
                used_names.add(file_name)
                copy = json.loads(json.dumps(by_canonical[key]))
                files[key] = (file_name, copy)
                queue.append((copy, root_id(copy) or key))
            holder["$ref"] = files[key][0] + suffix

        schema_refs(document, base, visit)
    os.makedirs(folder, exist_ok=True)
    for file_name, document in files.values():
        with open(os.path.join(folder, file_name), "w") as f:
            json.dump(document, f, indent=1, ensure_ascii=False)
    declaration = {
        "info": {"title": "Corpus Check", "version": "1.0.0"},
        "models": [model_file],
        "operations": {
            "health": {
                "method": "GET",
                "path": "/health",
                "responses": {"200": {"description": "OK", "contentType": "text/plain", "schema": {"type": "string"}}},
            }
        },
    }
    with open(os.path.join(folder, DECLARATION), "w") as f:
        json.dump(declaration, f, indent=1)
    return {"index": index, "name": name, "folder": folder, "files": sorted(f for f, _ in files.values()),
            "unresolved": sorted(unresolved)}


DIAGNOSTIC_LINE = re.compile(r"^(?P<file>[^:\n]*?):(?:(?P<line>\d+):(?:(?P<col>\d+):)?)? ?(?P<severity>error|warning|note): (?P<message>.*)$")


def parse_diagnostics(text):
    found = []
    for line in text.splitlines():
        m = DIAGNOSTIC_LINE.match(line)
        if m:
            found.append({"file": os.path.basename(m["file"]), "line": int(m["line"]) if m["line"] else None,
                          "column": int(m["col"]) if m["col"] else None, "severity": m["severity"], "message": m["message"]})
    return found


def generate(info, trellis, timeout):
    out = os.path.join(info["folder"], "Generated")
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    try:
        p = subprocess.run([trellis, "generate", os.path.join(info["folder"], DECLARATION), "--output-directory", out],
                           capture_output=True, text=True, timeout=timeout)
        code, stderr = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        code, stderr = None, "timeout after %ds" % timeout
    info["generate_seconds"] = round(time.monotonic() - started, 3)
    info["generator"] = parse_diagnostics(stderr)
    errors = [d for d in info["generator"] if d["severity"] == "error"]
    if code == 0:
        info["status"] = "generated"
        info["swift_files"] = sorted(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".swift"))
        info["swift_lines"] = sum(sum(1 for _ in open(f)) for f in info["swift_files"])
    elif code == 1 and errors:
        info["status"] = "diagnostic"
    else:
        info["status"] = "crash"
        info["crash"] = crash_summary(code, stderr)
    return info


def crash_summary(code, stderr):
    """`signal 11 ...` with the fatal error, if any, and the innermost frames in Trellis's sources."""
    if code is None:
        return stderr
    what = "signal %d" % -code if code < 0 else "exit %d" % code
    fatal = re.search(r"^.*(?:Fatal error|Crash|Segmentation).*$", stderr, re.M)
    frames = re.findall(r"\d+ .*? (\S+?)(?:\(.*?\))? \+ \d+ in trellis at (\S*Sources/\S+)", stderr)
    where = ""
    if frames:
        counts = collections.Counter(f[0] for f in frames)
        top = [f for f in frames if "TrellisGenerator" in f[1]][:1] or frames[:1]
        where = "; innermost generator frame %s at %s" % (top[0][0], os.path.relpath(top[0][1].split("Sources/", 1)[1]))
        repeated = counts.most_common(1)[0]
        if repeated[1] >= 10 and " ...\n" in stderr:
            where += "; %s is %d of the %d frames shown (unbounded recursion?)" % (repeated[0], repeated[1], len(frames))
    return what + (": " + fatal.group(0).strip()[:200] if fatal else "") + where


def compile_case(info, swiftc_flags, timeout):
    started = time.monotonic()
    command = ["swiftc", "-emit-sil", "-wmo", "-Onone", "-o", os.devnull, "-module-name", "CorpusCase%d" % info["index"]]
    command += swiftc_flags + info["swift_files"]
    try:
        p = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=info["folder"])
        code, stderr = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        code, stderr = None, "<compile>:0:0: error: compilation timed out after %ds" % timeout
    info["compile_seconds"] = round(time.monotonic() - started, 3)
    diagnostics = [d for d in parse_diagnostics(stderr) if d["severity"] == "error"]
    for d in diagnostics:
        d["source"] = source_line(info, d)
    info["compiler"] = diagnostics
    if code == 0:
        info["status"] = "ok"
    else:
        info["status"] = "compile-error"
        if not diagnostics:
            info["compiler"] = [{"file": "", "line": None, "column": None, "severity": "error",
                                 "message": "swiftc exit %s: %s" % (code, stderr.strip()[-300:]), "source": ""}]
        info["cause"] = likely_cause(info)
    return info


# Names the generated code uses unqualified: a nested type of one of these names shadows them.
SWIFT_NAMES = {"String", "Int", "Int32", "Int64", "Double", "Float", "Bool", "Date", "URL", "Data", "UUID", "CalendarDate",
               "JSON", "Array", "Dictionary", "Optional", "Error", "Codable", "Decoder", "Encoder", "Sendable", "Hashable",
               "CodingKey", "DecodingError", "EncodingError", "AnyCodingKey", "IndirectBox"}


def likely_cause(info):
    """A heuristic root cause of a compile error (compiler errors cascade; the first is often not the cause)."""
    messages = [d["message"] for d in info["compiler"]]
    if any(re.search(r"type member must not be named '(Type|Protocol|Self)'", m) for m in messages):
        return "a nested type is named Type or Protocol (from a property \"type\"/\"protocol\" with an inline enum or object)"
    tops = set()
    for path in info["swift_files"]:
        with open(path) as f:
            tops.update(re.findall(r"^(?:public |internal )?(?:struct|enum|typealias|final class|class|indirect enum) (\w+)", f.read(), re.M))
    module = "CorpusCase%d" % info["index"]
    for m in messages:
        for name in re.findall(r"'([A-Za-z_][\w.]*)'", m):
            parts = [p for p in name.split(".") if p != module]
            for i, part in enumerate(parts[1:], 1):
                if part in tops or part in SWIFT_NAMES or part in parts[:i]:
                    return "a nested type shadows a type that generated code names unqualified (a top-level model, an enclosing type or a Swift type)"
    if any(re.search(r"infinite size|recursively contains it|recursive enum", m) for m in messages):
        return "a recursive value type without indirection"
    if any(re.search(r"expected declaration|expressions are not allowed at the top level|consecutive declarations", m) for m in messages):
        return "generated source does not parse (e.g. a doc comment broken by a line break)"
    return "other: " + normalise(messages[0])


def source_line(info, d):
    if not d["line"]:
        return ""
    path = os.path.join(info["folder"], "Generated", d["file"])
    try:
        with open(path) as f:
            for number, line in enumerate(f, 1):
                if number == d["line"]:
                    return line.strip()[:200]
    except OSError:
        pass
    return ""


# Quoted names kept in normalised messages (protocols and standard types say what is wrong).
KEPT_NAMES = {"Hashable", "Equatable", "Codable", "Decodable", "Encodable", "Sendable", "CaseIterable", "CodingKey",
              "RawRepresentable", "Type", "String", "Int", "Double", "Bool", "JSON", "Any", "Self", "init", "self"}


def normalise(message):
    """One reason per kind of problem: names, paths, numbers and quoted text abstracted."""
    m = message
    m = re.sub(r"'([^']*)'", lambda q: "'%s'" % (q[1] if q[1] in KEPT_NAMES else "_"), m)
    m = re.sub(r'"(?:[^"\\]|\\.)*"', '"_"', m)
    m = re.sub(r"[^\s\"']+\.json(#[^\s;,]*)?", "FILE", m)
    m = re.sub(r"(Swift (?:\w+ )?name) \S+?([:;,]|\s|$)", r"\1 NAME\2", m)
    m = re.sub(r"\b(is named|named) (?!')\S+", r"\1 NAME", m)
    m = re.sub(r"the default .*? cannot be written as a Swift .*?;", "the default V cannot be written as a Swift TYPE;", m)
    m = re.sub(r"\b\d+(\.\d+)?\b", "N", m)
    m = re.sub(r"(FILE( and FILE)?)", "FILE", m)
    return m[:200]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trellis", required=True)
    parser.add_argument("--modules", required=True, help="the build's Modules folder (TrellisCore, TrellisJSON)")
    parser.add_argument("--root", required=True, help="the Trellis package")
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "trellis-corpus-models"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default=None, help="only cases whose name contains this")
    parser.add_argument("--compile-timeout", type=int, default=300)
    parser.add_argument("--quiet", action="store_true", help="no line per case")
    args = parser.parse_args()
    corpus_path = args.corpus or os.path.join(args.root, "..", "shared", "corpus", "schemastore", "corpus.json.gz")
    corpus = json.load(gzip.open(corpus_path))
    cases = [c for c in corpus["cases"] if not args.only or args.only in c["name"]]

    wall = time.monotonic()
    shutil.rmtree(args.work, ignore_errors=True)
    infos = [prepare_case(i, c, corpus["registry"], os.path.join(args.work, "%03d-%s" % (i, c["name"])))
             for i, c in enumerate(cases)]
    prepared = time.monotonic()

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        infos = list(pool.map(lambda info: generate(info, args.trellis, 120), infos))
    generated = time.monotonic()

    flags = ["-swift-version", "6", "-parse-as-library", "-diagnostic-style=llvm", "-I", args.modules,
             "-Xcc", "-fmodule-map-file=" + os.path.join(args.root, "Sources", "CJansson", "module.modulemap")]
    to_compile = [i for i in infos if i["status"] == "generated"]
    # Biggest first, so that a long one does not finish alone at the end.
    to_compile.sort(key=lambda i: -i["swift_lines"])
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda info: compile_case(info, flags, args.compile_timeout), to_compile))
    compiled = time.monotonic()
    infos.sort(key=lambda i: i["index"])

    # Per case.
    if not args.quiet:
        print("# per case: status, then the first reason")
        for info in infos:
            reason = ""
            if info["status"] == "diagnostic":
                first = next(d for d in info["generator"] if d["severity"] == "error")
                reason = "%s:%s: %s" % (first["file"], first["line"], first["message"])
            elif info["status"] == "compile-error":
                first = info["compiler"][0]
                reason = "[%s] %s:%s: %s" % (info["cause"].split(" (")[0], first["file"], first["line"], first["message"])
            elif info["status"] == "crash":
                reason = info["crash"]
            warnings = sum(1 for d in info["generator"] if d["severity"] == "warning")
            extra = " (%d generator warnings)" % warnings if warnings and info["status"] == "ok" else ""
            print("%-14s %s%s%s" % (info["status"], info["name"], extra, ("  " + reason[:220]) if reason else ""))
        print()

    counts = collections.Counter(i["status"] for i in infos)
    total = len(infos)
    with_externals = [i for i in infos if len(i["files"]) > 1]
    unresolved = [i for i in infos if i["unresolved"]]

    def pct(n):
        return "%.1f%%" % (100.0 * n / total) if total else "-"

    print("# totals")
    print("cases:                         %d" % total)
    print("generated and compiles (ok):   %d  %s" % (counts["ok"], pct(counts["ok"])))
    print("generator diagnostic:          %d  %s" % (counts["diagnostic"], pct(counts["diagnostic"])))
    print("compile error:                 %d  %s" % (counts["compile-error"], pct(counts["compile-error"])))
    print("generator crash/timeout:       %d  %s" % (counts["crash"], pct(counts["crash"])))
    print("ok or clear diagnostic:        %d  %s" % (counts["ok"] + counts["diagnostic"], pct(counts["ok"] + counts["diagnostic"])))
    print("cases with registry documents: %d (written next to the model, $refs rewritten; none skipped)" % len(with_externals))
    print("cases with refs outside the registry (left as is): %d %s" % (len(unresolved), " ".join(i["name"] for i in unresolved)))
    ok_warned = sum(1 for i in infos if i["status"] == "ok" and any(d["severity"] == "warning" for d in i["generator"]))
    print("ok cases with generator warnings: %d" % ok_warned)
    lines = sum(i.get("swift_lines", 0) for i in infos)
    print("generated Swift: %d lines in %d cases" % (lines, len(to_compile)))
    print("wall time: %.1fs (prepare %.1fs, generate %.1fs, compile %.1fs; %d jobs)" % (
        compiled - wall, prepared - wall, generated - prepared, compiled - generated, args.jobs))
    slow = sorted(to_compile, key=lambda i: -i.get("compile_seconds", 0))[:5]
    print("slowest compiles: " + ", ".join("%s %.1fs (%d lines)" % (i["name"], i["compile_seconds"], i["swift_lines"]) for i in slow))
    print()

    def report(title, key, severity, statuses, limit=15):
        groups = collections.OrderedDict()
        for info in infos:
            if info["status"] not in statuses:
                continue
            seen = set()
            for d in info.get(key, []):
                if d["severity"] != severity:
                    continue
                reason = normalise(d["message"])
                group = groups.setdefault(reason, {"cases": [], "occurrences": 0, "example": None})
                group["occurrences"] += 1
                if reason not in seen:
                    seen.add(reason)
                    group["cases"].append(info["name"])
                    if group["example"] is None:
                        group["example"] = (info["name"], d)
        ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]["cases"]), -kv[1]["occurrences"]))
        print("# %s (%d kinds; by number of cases)" % (title, len(ranked)))
        for reason, group in ranked[:limit]:
            name, d = group["example"]
            print("%4d cases %5d times  %s" % (len(group["cases"]), group["occurrences"], reason))
            if len(group["cases"]) <= 8:
                print("           in: " + " ".join(group["cases"]))
            print("           e.g. %s: %s:%s: %s" % (name, d["file"], d["line"], d["message"][:300]))
            if d.get("source"):
                print("                %s" % d["source"][:200])
        if len(ranked) > limit:
            print("   ... %d more kinds (see results.json)" % (len(ranked) - limit))
        print()
        return ranked

    diag = report("generator errors, in cases with status diagnostic", "generator", "error", {"diagnostic"})
    comp = report("compiler errors, in cases with status compile-error", "compiler", "error", {"compile-error"})
    # Compiler errors cascade: one likely cause per failing case (heuristic), with its cases.
    causes = collections.defaultdict(list)
    for i in infos:
        if i["status"] == "compile-error":
            causes[i["cause"]].append(i["name"])
    print("# likely cause of each compile error (heuristic; by number of cases)")
    for cause, names in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print("%4d  %s" % (len(names), cause))
        print("      " + " ".join(names)[:400])
    print()
    report("generator warnings (all cases)", "generator", "warning", {"ok", "compile-error", "diagnostic"}, limit=8)
    crashes = [i for i in infos if i["status"] == "crash"]
    if crashes:
        print("# generator crashes")
        for i in crashes:
            print("%s: %s" % (i["name"], i["crash"][:300]))
        print()

    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump({"counts": counts, "wall_seconds": round(compiled - wall, 1), "cases": infos,
                   "generator_errors": [(r, g["cases"]) for r, g in diag],
                   "compiler_errors": [(r, g["cases"]) for r, g in comp], "causes": causes}, f, indent=1)
    print("results: %s" % os.path.join(args.work, "results.json"))


if __name__ == "__main__":
    sys.exit(main())
