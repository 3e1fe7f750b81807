import Foundation
import NIOCore
import Trellis
import TrellisCore

/// The shelter's handlers.
public struct ShelterImplementation: AnimalShelterService {
    public init() {}

    /// `POST /shelter/token`: OAuth2's password grant; refusals as RFC 6749 §5.2 words them.
    public func issueToken(_ input: AnimalShelter.IssueToken.Input) async throws -> AnimalShelter.IssueToken.Output {
        guard input.body.grantType == "password" else { return .badRequest(TokenError(error: .unsupportedGrantType)) }
        guard let account = StaffAccounts.account(input.body.username, input.body.password, in: input.accounts) else {
            return .badRequest(TokenError(error: .invalidGrant, errorDescription: "wrong user name or password"))
        }
        let asked = input.body.scope.map { Set($0.split(separator: " ").map(String.init)) } ?? account.scopes
        guard asked.isSubset(of: account.scopes) else {
            return .badRequest(
                TokenError(error: .invalidScope, errorDescription: "not granted: " + asked.subtracting(account.scopes).sorted().joined(separator: " ")))
        }
        let token = try await input.tokens.issue(for: Staff(name: account.username, scopes: asked))
        let seconds = Int(input.tokens.lifetime.components.seconds)
        return .ok(
            TokenResponse(accessToken: token, tokenType: "bearer", expiresIn: seconds, scope: asked.sorted().joined(separator: " ")),
            headers: .init(cacheControl: "no-store", pragma: "no-cache"))
    }

    /// `POST /shelter/animals`: Admit an animal
    public func admitAnimal(_ input: AnimalShelter.AdmitAnimal.Input) async throws -> AnimalShelter.AdmitAnimal.Output {
        let animal = try await input.transaction.admit(name: input.body.name, species: input.body.species, at: Date(), by: input.staff.name)
        // After the response (and the commit): an audit record, in a transaction of its own.
        let store = input.transaction.store
        input.backgroundTasks.add {
            try await store.withTransaction { records in
                try await records.audit("\(animal.admittedBy) admitted \(animal.name) (#\(animal.id))", at: Date())
            }
        }
        return .created(animal)
    }

    /// `GET /shelter/animals/{animalId}`: Find an animal by its number
    public func getAnimal(_ input: AnimalShelter.GetAnimal.Input) async throws -> AnimalShelter.GetAnimal.Output {
        guard let animal = try await input.transaction.animal(id: input.animalId) else {
            return .notFound(ErrorModel(detail: "no animal \(input.animalId)"))
        }
        return .ok(animal)
    }

    /// `POST /shelter/animals/{animalId}/photo`: Store an animal's photo. The runtime has
    /// checked the part's media type and size while streaming it to disk.
    public func uploadPhoto(_ input: AnimalShelter.UploadPhoto.Input) async throws -> AnimalShelter.UploadPhoto.Output {
        guard let contentType = PhotoReceipt.ContentType(rawValue: input.body.photo.contentType) else {
            throw ShelterError("the runtime let through a photo in \(input.body.photo.contentType)")
        }
        // At most 2 MiB (the declaration's maxLength): small enough to read whole.
        var bytes = ByteBuffer()
        bytes.reserveCapacity(input.body.photo.size)
        for try await chunk in input.body.photo.chunks() { bytes.writeBytes(chunk) }
        guard try await input.transaction.savePhoto(animalId: input.animalId, contentType: contentType.rawValue, caption: input.body.caption, bytes: bytes)
        else { return .notFound(ErrorModel(detail: "no animal \(input.animalId)")) }
        return .created(PhotoReceipt(animalId: input.animalId, bytes: bytes.readableBytes, contentType: contentType, caption: input.body.caption))
    }

    /// `GET /shelter/animals/{animalId}/photo`: the stored bytes, in their media type.
    public func getPhoto(_ input: AnimalShelter.GetPhoto.Input) async throws -> AnimalShelter.GetPhoto.Output {
        guard let photo = try await input.transaction.photo(animalId: input.animalId) else {
            return .notFound(ErrorModel(detail: "no photo of animal \(input.animalId)"))
        }
        return .ok(photo.contentType == "image/jpeg" ? .jpeg(photo.bytes) : .png(photo.bytes))
    }

    /// `GET /shelter/animals`: List the animals, the latest first
    public func listAnimals(_ input: AnimalShelter.ListAnimals.Input) async throws -> AnimalShelter.ListAnimals.Output {
        .ok(try await input.transaction.animals(species: input.species, limit: input.limit))
    }

    /// `text` as a quoted CSV cell that a spreadsheet shows as text: a leading `=`, `+`, `-`,
    /// `@`, tab or carriage return would start a formula (CSV injection, as OWASP names it), so
    /// such a cell starts with `'`.
    static func csvCell(_ text: String) -> String {
        let neutral = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
        return "\"" + neutral.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `GET /shelter/export`: Every animal as CSV or JSON, the CSV also archived
    public func exportAnimals(_ input: AnimalShelter.ExportAnimals.Input) async throws -> AnimalShelter.ExportAnimals.Output {
        let animals = try await input.transaction.allAnimals()
        if input.responseContentType == "application/json" { return .ok(.json(animals)) }
        var csv = "id,name,species,admittedAt\n"
        for animal in animals {
            csv += "\(animal.id),\(Self.csvCell(animal.name)),\(animal.species.rawValue),\(DateTimeCoding.format(animal.admittedAt))\n"
        }
        try await input.transaction.archiveExport(csv, at: Date())
        return .ok(.csv(csv))
    }

    /// `GET /shelter/admissions`: The latest admissions as server-sent events
    public func admissions(_ input: AnimalShelter.Admissions.Input) async throws -> AnimalShelter.Admissions.Output {
        // Read now: the transaction ends before the stream is written.
        let animals = try await input.transaction.animals(species: nil, limit: input.last)
        let events = AsyncStream<ServerSentEvent> { continuation in
            for animal in animals.reversed() {
                continuation.yield(
                    ServerSentEvent(data: "\(animal.name) the \(animal.species.rawValue), by \(animal.admittedBy)", event: "admission", id: String(animal.id)))
            }
            continuation.finish()
        }
        return .ok(ResponseStream(events: events))
    }

    /// `WebSocket /shelter/desk`: Ask which animals of a species are waiting. The staff member
    /// and the pool were resolved before the upgrade; `?limit=` caps the names.
    public func adoptionDesk(
        _ input: AnimalShelter.AdoptionDesk.Input, _ session: WebSocketSession<AnimalShelter.AdoptionDesk.Receive, AnimalShelter.AdoptionDesk.Send>
    ) async throws {
        let store = input.database
        for try await question in session.messages {
            let (count, names) = try await store.withTransaction { records in
                try await records.waiting(species: question.species, limit: min(question.limit, input.limit))
            }
            try await session.send(DeskAnswer(species: question.species, waiting: count, names: names))
        }
    }
}

/// The database holds something the shelter did not write.
struct ShelterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
