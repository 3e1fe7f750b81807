// The example: the bench API (../shared/bench/API.md), declared in ./schemas, and the
// animal shelter (SQLite, staff keys, background tasks, server-sent events), declared in
// ./schemas/shelter and implemented in Sources/Shelter.
//
//     swift run Petstore                      # serves on 127.0.0.1:8080, docs at /docs
//     PORT=9000 THREADS=1 swift run Petstore  # or --host, --port, --threads
//     swift run -c release Petstore --bench-client 2000  # a typed-client call's cost, in process
import Foundation
import Shelter
import Trellis

if ProcessEnvironment.variables["TRELLIS_EVENT_LOOP_EXECUTOR"] == "1" { TrellisApplication.runTasksOnEventLoops(threads: TrellisConfiguration.fromEnvironment().threads) }
do {
    if let calls = ClientBenchmark.requestedCalls {
        try await ClientBenchmark.run(calls: calls)
        exit(0)
    }
    let app = try TrellisApplication(configuration: .fromEnvironment(), services: PetstoreImplementation(), ShelterImplementation())
    try await app.run()
} catch {
    FileHandle.standardError.write(Data("Petstore: \(error)\n".utf8))
    exit(1)
}
