import Foundation
import TrellisSchema

// `trellis-suite-runner [--dialect 2020-12|2019-09|7|6|4]`: the JSON Schema Test Suite runner's
// line protocol (`run_suite.py`, `run_corpus.py`) on standard input and output, for
// `.ci/conformance`. A test utility, not part of the shipped `trellis` command.

var arguments = CommandLine.arguments.dropFirst()
var dialect = Dialect.draft2020_12
while let argument = arguments.popFirst() {
    switch argument {
    case "--dialect":
        guard let name = arguments.popFirst(), let parsed = Dialect(name: name) else {
            FileHandle.standardError.write(Data("trellis-suite-runner: --dialect needs 2020-12, 2019-09, 7, 6 or 4\n".utf8))
            exit(2)
        }
        dialect = parsed
    default:
        FileHandle.standardError.write(Data("usage: trellis-suite-runner [--dialect 2020-12|2019-09|7|6|4]\n".utf8))
        exit(2)
    }
}
// Top-level code runs on the main thread, whose 8 MiB stack allows deeper documents than a task's.
SuiteProtocol(options: ValidatorOptions(defaultDialect: dialect, maxDepth: 2000)).run()
