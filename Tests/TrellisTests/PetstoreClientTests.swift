import HTTPTypes
import Testing
import Trellis
import TrellisClient
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Petstore

/// The example's generated client (`"client": true` in Sources/Petstore/trellis.json) calling
/// the example: in process, and over a socket with URLSession.
@Suite struct PetstoreClientTests {
    private func withClient(over transport: Transport, _ body: (PetstoreClient) async throws -> Void) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        let application = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        switch transport {
        case .inProcess:
            try await body(try PetstoreClient(baseURL: "http://localhost", transport: InProcessTransport(application)))
        case .socket:
            try await TrellisTestClient.withLiveServer(application) { live in
                let port = try #require(live.port)
                try await body(try PetstoreClient(baseURL: "http://127.0.0.1:\(port)", transport: URLSessionTransport()))
            }
        }
    }

    @Test(arguments: Transport.allCases) func callsEveryOperation(over transport: Transport) async throws {
        try await withClient(over: transport) { client in
            guard case .ok(let text) = try await client.plaintext() else {
                Issue.record("plaintext")
                return
            }
            #expect(text == "Hello, World!")
            guard case .ok(let pet) = try await client.getPet(petId: 7) else {
                Issue.record("getPet")
                return
            }
            #expect(pet.id == 7 && pet.name == "pet-7" && pet.status == .pending && pet.weight == 1.75)
            guard case .ok(let same) = try await client.getPet(Petstore.GetPet.Input(petId: 7)) else {
                Issue.record("getPet(input)")
                return
            }
            #expect(same.id == pet.id && same.name == pet.name)
            guard case .notFound(let missing) = try await client.getPet(petId: 5000) else {
                Issue.record("notFound")
                return
            }
            #expect(!missing.detail.isEmpty)
            guard case .ok(let pets) = try await client.listPets(limit: 3, offset: 2, status: .sold) else {
                Issue.record("listPets")
                return
            }
            #expect(pets.count <= 3 && pets.allSatisfy { $0.status == .sold })
            let created = try await client.createPet(
                body: NewPet(name: "Rex", tag: "dog", age: 3, status: .available, tags: ["a"], weight: 2.5, code: "ABC-0001"))
            guard case .created(let rex) = created else {
                Issue.record("\(created)")
                return
            }
            #expect(rex.name == "Rex" && rex.age == 3)
        }
    }

    /// The server's 422 for a body the client was allowed to write (a name too short) is not
    /// declared by `createPet`: a typed error with the 422 and its body.
    @Test(arguments: Transport.allCases) func anUndeclaredAnswerKeepsItsBody(over transport: Transport) async throws {
        try await withClient(over: transport) { client in
            let invalid = NewPet(name: "", tag: nil, age: 300, status: .available, tags: [], weight: nil, code: nil)
            // Validated on the client's side (as in debug builds by default), it is not sent.
            var checked = client.client
            checked.validation = .requestsAndAnswers
            do {
                _ = try await PetstoreClient(checked).createPet(body: invalid)
                Issue.record("sent")
            } catch TrellisClientError.requestNotValid(let operation, let issues) {
                #expect(operation == "createPet" && issues.count == 2)
            }
            var unchecked = client.client
            unchecked.validation = .none
            do {
                _ = try await PetstoreClient(unchecked).createPet(body: invalid)
                Issue.record("no error")
            } catch let error as TrellisClientError {
                #expect(error.status == 422)
                let body = try JSON(parsing: error.body ?? [])
                #expect(body["detail"]?.arrayValue?.isEmpty == false)
            }
        }
    }
}
