// `swift run petstore-client http://127.0.0.1:8080`: calls the running example through its
// generated typed client and checks every answer against the bench API
// (../shared/bench/API.md). Prints one line per check and `N passed, M failed`; the exit
// status is 1 when a check fails. The base URL is the first argument, else BASE_URL.
//
//     petstore-client [URL] [--transport urlsession|asynchttpclient] [--bench CALLS]
//
// `--transport` chooses the transport (URLSession by default); with `--bench CALLS`, it
// measures the cost of a call instead.

import Foundation
import TrellisAsyncHTTPClient
import TrellisClient

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: petstore-client [http://HOST:PORT] [--transport urlsession|asynchttpclient] [--bench CALLS]\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())[...]
var baseURL = ProcessInfo.processInfo.environment["BASE_URL"]
var transportName = "urlsession"
var benchCalls: Int?
while let argument = arguments.popFirst() {
    switch argument {
    case "--transport": transportName = arguments.popFirst() ?? ""
    case "--bench":
        guard let calls = arguments.popFirst().flatMap({ Int($0) }), calls > 0 else { usage() }
        benchCalls = calls
    case let url where !url.hasPrefix("--"): baseURL = url
    default: usage()
    }
}
let transport: any ClientTransport
switch transportName {
case "urlsession": transport = URLSessionTransport(timeout: .seconds(10))
case "asynchttpclient": transport = AsyncHTTPClientTransport(timeout: .seconds(10))
default: usage()
}
guard let baseURL else { usage() }

var passed = 0
var failed = 0
@MainActor func check(_ name: String, _ body: () async throws -> Bool) async {
    do {
        if try await body() {
            passed += 1
            print("ok: \(name)")
        } else {
            failed += 1
            print("FAIL: \(name)")
        }
    } catch {
        failed += 1
        print("FAIL: \(name): \(error)")
    }
}

let client: PetstoreClient
do {
    // The checks are of the server's answers, its 422s among them: the client sends what it is
    // given (its own validation, on by default in debug builds, is checked once, below).
    client = try PetstoreClient(baseURL: baseURL, transport: transport, middlewares: [RetryMiddleware()], validation: .none)
} catch {
    FileHandle.standardError.write(Data("petstore-client: \(error)\n".utf8))
    exit(2)
}

// `--bench CALLS`: the cost of a call through the client (sequential calls on one
// connection), GET /pets/7 and POST /pets, the median of 5 rounds, in microseconds.
if let calls = benchCalls {
    let newPet = NewPet(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["good"])
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
        let get = try await microseconds { guard case .ok = try await client.getPet(petId: 7) else { throw TrellisClientError.invalidRequest("not ok") } }
        let post = try await microseconds {
            guard case .created = try await client.createPet(body: newPet) else { throw TrellisClientError.invalidRequest("not created") }
        }
        print(String(format: "trellis-client (%@) get-pet %.1f us/call, post-pet %.1f us/call", transportName, get, post))
        exit(0)
    } catch {
        print("bench failed: \(error)")
        exit(1)
    }
}

await check("GET /plaintext is Hello, World!") {
    guard case .ok(let text) = try await client.plaintext() else { return false }
    return text == "Hello, World!"
}
await check("GET /pets/7 is pet 7") {
    guard case .ok(let pet) = try await client.getPet(petId: 7) else { return false }
    return pet.id == 7 && pet.name == "pet-7" && pet.tag == "tag-0" && pet.age == 7 && pet.status == .pending && pet.tags == ["t2", "u7"]
        && pet.weight == 1.75 && pet.code == "ABC-0007"
}
await check("GET /pets/{petId} with the Input handlers receive") {
    guard case .ok(let pet) = try await client.getPet(Petstore.GetPet.Input(petId: 42)) else { return false }
    return pet.id == 42
}
await check("GET /pets/5000 is a 404 with its detail") {
    guard case .notFound(let error) = try await client.getPet(petId: 5000) else { return false }
    return !error.detail.isEmpty
}
await check("GET /pets/0 is the runtime's 422, which getPet does not declare: a typed error with the status and body") {
    do {
        _ = try await client.getPet(petId: 0)
        return false
    } catch let error as TrellisClientError {
        guard case .undeclaredStatus(422, _, let body) = error else { return false }
        return String(decoding: body, as: UTF8.self).contains("greater_than_equal")
    }
}
await check("GET /pets?limit=5&offset=10&status=sold lists at most 5 sold pets") {
    guard case .ok(let pets) = try await client.listPets(limit: 5, offset: 10, status: .sold) else { return false }
    return pets.count <= 5 && pets.allSatisfy { $0.status == .sold }
}
await check("GET /pets with the defaults lists 20") {
    guard case .ok(let pets) = try await client.listPets() else { return false }
    return pets.count == 20
}
await check("POST /pets creates a pet") {
    let created = try await client.createPet(body: NewPet(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["good"], weight: 12.5, code: "REX-0001"))
    guard case .created(let pet) = created else { return false }
    return pet.name == "Rex" && pet.age == 3 && pet.status == .available && pet.code == "REX-0001"
}
await check("POST /pets with an invalid body is the runtime's 422 with every issue") {
    do {
        _ = try await client.createPet(body: NewPet(name: "", age: 300, status: .available))
        return false
    } catch let error as TrellisClientError {
        guard case .undeclaredStatus(422, _, let body) = error else { return false }
        let text = String(decoding: body, as: UTF8.self)
        return text.contains("string_too_short") && text.contains("less_than_equal")
    }
}
await check("POST /pets with an invalid body is caught by the client's own validation, before it is sent") {
    var validating = client.client
    validating.validation = .requestsAndAnswers
    do {
        _ = try await PetstoreClient(validating).createPet(body: NewPet(name: "", age: 300, status: .available))
        return false
    } catch TrellisClientError.requestNotValid(_, let issues) {
        return issues.count == 2 && issues.contains { $0.hasPrefix("body /name") } && issues.contains { $0.hasPrefix("body /age") }
    }
}

print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
