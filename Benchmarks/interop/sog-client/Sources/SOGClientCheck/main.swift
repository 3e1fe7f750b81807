// Calls the example through the client swift-openapi-generator generated from its
// /openapi.json: the answers the bench API promises, each read into the generated types.
// Prints one line per check and `N passed, M failed`; exit status 1 when a check fails.

import Foundation
import OpenAPIRuntime
import OpenAPIAsyncHTTPClient
import OpenAPIURLSession

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: SOGClientCheck http://HOST:PORT [--transport urlsession|asynchttpclient] [--bench CALLS]\n".utf8))
    exit(2)
}
var arguments = Array(CommandLine.arguments.dropFirst())[...]
var serverURL: URL?
var transportName = "urlsession"
var benchCalls: Int?
while let argument = arguments.popFirst() {
    switch argument {
    case "--transport": transportName = arguments.popFirst() ?? ""
    case "--bench":
        guard let calls = arguments.popFirst().flatMap({ Int($0) }), calls > 0 else { usage() }
        benchCalls = calls
    case let url where !url.hasPrefix("--"): serverURL = URL(string: url)
    default: usage()
    }
}
guard let serverURL else { usage() }
let client: Client
switch transportName {
case "urlsession": client = Client(serverURL: serverURL, transport: URLSessionTransport())
case "asynchttpclient": client = Client(serverURL: serverURL, transport: AsyncHTTPClientTransport())
default: usage()
}

// `--bench CALLS`: as petstore-client's (GET /pets/7 and POST /pets, median of 5 rounds).
struct NotOK: Error {}
if let calls = benchCalls {
    func microseconds(_ body: () async throws -> Void) async throws -> Double {
        var rounds: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            for _ in 0..<calls { try await body() }
            let elapsed = ContinuousClock.now - start
            rounds.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(calls))
        }
        return rounds.sorted()[2]
    }
    do {
        let get = try await microseconds {
            guard case .ok(let ok) = try await client.getPet(path: .init(petId: 7)) else { throw NotOK() }
            _ = try ok.body.json
        }
        let post = try await microseconds {
            guard case .created(let ok) = try await client.createPet(body: .json(.init(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["good"]))) else { throw NotOK() }
            _ = try ok.body.json
        }
        print(String(format: "swift-openapi-generator (%@) get-pet %.1f us/call, post-pet %.1f us/call", transportName, get, post))
        exit(0)
    } catch {
        print("bench failed: \(error)")
        exit(1)
    }
}

var passed = 0
var failed = 0
@MainActor func check(_ name: String, _ body: () async throws -> Bool) async {
    do {
        if try await body() { passed += 1; print("ok: \(name)") } else { failed += 1; print("FAIL: \(name)") }
    } catch {
        failed += 1
        print("FAIL: \(name): \(error)")
    }
}

await check("GET /plaintext is Hello, World!") {
    guard case .ok(let ok) = try await client.plaintext(), case .plainText(let body) = ok.body else { return false }
    return try await String(collecting: body, upTo: 1024) == "Hello, World!"
}
await check("GET /pets/7 is pet 7") {
    guard case .ok(let ok) = try await client.getPet(path: .init(petId: 7)) else { return false }
    let pet = try ok.body.json
    return pet.id == 7 && pet.name == "pet-7" && pet.status == .pending && pet.weight == 1.75
}
await check("GET /pets/5000 is a 404") {
    guard case .notFound(let missing) = try await client.getPet(path: .init(petId: 5000)) else { return false }
    return try !missing.body.json.detail.isEmpty
}
await check("GET /pets/0 is a 422 read as HTTPValidationError") {
    guard case .unprocessableContent(let invalid) = try await client.getPet(path: .init(petId: 0)) else { return false }
    return try invalid.body.json.detail?.first?._type == "greater_than_equal"
}
await check("GET /pets?limit=5&offset=10&status=sold") {
    guard case .ok(let ok) = try await client.listPets(query: .init(limit: 5, offset: 10, status: .sold)) else { return false }
    let pets = try ok.body.json
    return pets.count <= 5 && pets.allSatisfy { $0.status == .sold }
}
await check("POST /pets creates a pet") {
    let created = try await client.createPet(body: .json(.init(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["good"])))
    guard case .created(let ok) = created else { return false }
    return try ok.body.json.name == "Rex"
}
await check("POST /pets with an invalid body is a 422 with every issue") {
    guard case .unprocessableContent(let invalid) = try await client.createPet(body: .json(.init(name: "", age: 300, status: .available))) else { return false }
    return try (invalid.body.json.detail?.count ?? 0) >= 2
}

print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
