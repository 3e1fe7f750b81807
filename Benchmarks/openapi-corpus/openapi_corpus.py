"""Real-world OpenAPI documents through `trellis generate` and the Swift compiler.

For each document of the corpus's INDEX.json: copy its folder (multi-file documents keep
their relative `$ref`s), run `trellis generate` on it, append the handler stubs that
`trellis scaffold` writes (so the generated service protocol is implemented), and compile
everything as one module with `swiftc -c -wmo -Onone` against the built TrellisCore and
TrellisJSON. One line per document: generated / warnings / compile time / the compiler's
peak memory, or the first error. Last line: "N of M documents generate and compile".
"""
import argparse
import concurrent.futures
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trellis", required=True)
    parser.add_argument("--modules", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--only", default=None)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "trellis-openapi-corpus"))
    parser.add_argument("--compile-timeout", type=int, default=1800)
    args = parser.parse_args()
    if args.jobs < 1:
        sys.exit("--jobs takes a positive whole number")
    corpus = args.corpus
    if corpus is None:
        # The shared corpus: $TRELLIS_SHARED, ../shared beside the checkout, or /work/shared.
        for candidate in (os.environ.get("TRELLIS_SHARED"), os.path.join(args.root, "..", "shared"), "/work/shared"):
            if candidate and os.path.isdir(os.path.join(candidate, "corpus", "openapi")):
                corpus = os.path.join(candidate, "corpus", "openapi")
                break
        else:
            sys.exit("cannot find the shared OpenAPI corpus (set TRELLIS_SHARED, or give --corpus DIR)")
    index_path = os.path.join(corpus, "INDEX.json")
    try:
        with open(index_path) as f:
            documents = json.load(f)
    except (OSError, ValueError) as error:
        sys.exit("%s: %s" % (index_path, error))
    if args.only:
        documents = [d for d in documents if args.only in d["name"]]
    if not documents:
        sys.exit("no document matches")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    flags = ["-swift-version", "6", "-parse-as-library", "-I", args.modules,
             "-Xcc", "-fmodule-map-file=" + os.path.join(args.root, "Sources", "CJansson", "module.modulemap")]

    def run(pair):
        index, document = pair
        return process(index, document, corpus, args, flags)

    width = max(len(d["name"]) for d in documents)
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for result in pool.map(run, enumerate(documents)):
            print(line(result, width), flush=True)
            results.append(result)
    good = sum(1 for r in results if r["ok"])
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("%d of %d documents generate and compile" % (good, len(results)))
    sys.exit(0 if good == len(results) else 1)


def line(result, width):
    name = result["name"].ljust(width)
    if not result["ok"]:
        return "%s  FAIL  %s: %s" % (name, result["stage"], result["error"])
    peak = ", peak %d MB" % result["peak_mb"] if result["peak_mb"] else ""
    return "%s  ok    generated in %.2fs, %d warnings, %d lines; compiled in %.1fs%s" % (
        name, result["generate_seconds"], result["warnings"], result["lines"], result["compile_seconds"], peak)


def process(index, document, corpus, args, flags):
    result = {"name": document["name"], "ok": False}
    source = os.path.join(corpus, document["file"])
    folder = os.path.join(args.work, "%03d" % index)
    spec_folder = os.path.join(folder, "spec")
    # The document's own folder (the files its $refs reach live beside or below it).
    shutil.copytree(os.path.dirname(source), spec_folder)
    name = os.path.basename(source)
    declaration = os.path.join(spec_folder, name)
    if not (name.lower() in ("openapi.json",) or name.lower().endswith((".yaml", ".yml"))):
        # A JSON document under another name: trellis reads `openapi.json` as OpenAPI.
        os.rename(declaration, os.path.join(spec_folder, "openapi.json"))
        declaration = os.path.join(spec_folder, "openapi.json")
    generated = os.path.join(folder, "generated")
    sources = os.path.join(folder, "sources")
    os.makedirs(sources)
    started = time.monotonic()
    p = subprocess.run([args.trellis, "generate", declaration, "--output-directory", generated], capture_output=True, text=True)
    result["generate_seconds"] = time.monotonic() - started
    diagnostics = p.stderr.splitlines()
    result["warnings"] = sum(1 for d in diagnostics if ": warning: " in d)
    result["diagnostics"] = diagnostics
    if p.returncode != 0:
        errors = [d for d in diagnostics if ": error: " in d] or diagnostics[-1:] or ["exit %d" % p.returncode]
        result.update(stage="generate", error=errors[0].replace(folder + "/", ""))
        return result
    # Generated again in another process (another hashing seed): the code must be the same
    # byte for byte, or every build recompiles what did not change.
    again = os.path.join(folder, "generated-again")
    subprocess.run([args.trellis, "generate", declaration, "--output-directory", again], capture_output=True, text=True)
    differing = sorted(f for f in os.listdir(generated) if not filecmp.cmp(os.path.join(generated, f), os.path.join(again, f), shallow=False)
                       ) if os.path.isdir(again) and sorted(os.listdir(again)) == sorted(os.listdir(generated)) else ["the file list"]
    shutil.rmtree(again, ignore_errors=True)
    if differing:
        result.update(stage="generate", error="generating again gives different code: " + ", ".join(differing[:3]))
        return result
    p = subprocess.run([args.trellis, "scaffold", declaration, "--sources", sources], capture_output=True, text=True)
    if p.returncode != 0:
        result.update(stage="scaffold", error=(p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1])
        return result
    swift_files = sorted(os.path.join(d, f) for d in (generated, sources) for f in os.listdir(d) if f.endswith(".swift"))
    result["lines"] = sum(sum(1 for _ in open(f)) for f in swift_files)
    started = time.monotonic()
    command = ["swiftc", "-c", "-wmo", "-Onone", "-module-name", "CorpusDocument", "-o", os.path.join(folder, "module.o")] + flags + swift_files
    if os.access("/usr/bin/time", os.X_OK):  # GNU time (Debian's `time`): the compiler's peak memory
        command = ["/usr/bin/time", "-f", "PEAK-KB %M"] + command
    try:
        p = subprocess.run(command, capture_output=True, text=True, timeout=args.compile_timeout, cwd=folder)
        code, stderr = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        code, stderr = None, "error: compilation timed out after %ds" % args.compile_timeout
    result["compile_seconds"] = time.monotonic() - started
    peak = re.search(r"PEAK-KB (\d+)", stderr)
    result["peak_mb"] = int(peak.group(1)) // 1024 if peak else 0
    if code != 0:
        errors = [l for l in stderr.splitlines() if ": error: " in l] or [l for l in stderr.splitlines() if l.strip()][-1:]
        result.update(stage="compile", error=(errors[0] if errors else "swiftc exit %s" % code).replace(folder + "/", ""),
                      compiler_errors=len(errors))
        return result
    result["ok"] = True
    return result


if __name__ == "__main__":
    main()
