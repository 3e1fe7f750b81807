import Foundation
import SQLiteNIO
import Trellis
import TrellisCore

/// The shelter's handlers.
public struct ShelterImplementation: AnimalShelterService {
    public init() {}

    /// Staff operations are verified by the staff member's key or token.
    public var securityVerifiers: [String: any SecurityVerifier.Type] { ["staffKey": StaffMember.self, "staffToken": StaffMember.self] }

    /// `POST /shelter/token`: OAuth2's password grant; refusals as RFC 6749 §5.2 words them.
    public func issueToken(_ input: AnimalShelter.IssueToken.Input) async throws -> AnimalShelter.IssueToken.Output {
        guard input.body.grantType == "password" else { return .badRequest(TokenError(error: .unsupportedGrantType)) }
        guard let account = StaffAccounts.account(input.body.username, input.body.password, in: input.accounts) else {
            return .badRequest(TokenError(error: .invalidGrant, errorDescription: "wrong user name or password"))
        }
        let asked = input.body.scope.map { Set($0.split(separator: " ").map(String.init)) } ?? account.scopes
        guard asked.isSubset(of: account.scopes) else {
            return .badRequest(TokenError(error: .invalidScope, errorDescription: "not granted: " + asked.subtracting(account.scopes).sorted().joined(separator: " ")))
        }
        let token = try await input.tokens.issue(for: Staff(name: account.username, scopes: asked))
        let seconds = Int(input.tokens.lifetime.components.seconds)
        return .ok(
            TokenResponse(accessToken: token, tokenType: "bearer", expiresIn: seconds, scope: asked.sorted().joined(separator: " ")),
            headers: .init(cacheControl: "no-store", pragma: "no-cache"))
    }

    /// `POST /shelter/animals`: Admit an animal
    public func admitAnimal(_ input: AnimalShelter.AdmitAnimal.Input) async throws -> AnimalShelter.AdmitAnimal.Output {
        let now = Date()
        let rows = try await input.transaction.query(
            "INSERT INTO animals (name, species, admitted_at, admitted_by) VALUES (?, ?, ?, ?) RETURNING id",
            [.text(input.body.name), .text(input.body.species.rawValue), .float(now.timeIntervalSince1970), .text(input.staff.name)])
        guard let id = rows.first?.column("id")?.integer else { throw ShelterError("the database returned no id") }
        let animal = Animal(id: id, name: input.body.name, species: input.body.species, admittedAt: now, admittedBy: input.staff.name)
        // After the response (and the commit): an audit record, on a connection of its own.
        let pool = input.transaction.pool
        input.backgroundTasks.add {
            try await pool.withConnection { connection in
                _ = try await connection.query(
                    "INSERT INTO audit (at, entry) VALUES (?, ?)", [.float(Date().timeIntervalSince1970), .text("\(animal.admittedBy) admitted \(animal.name) (#\(animal.id))")])
            }
        }
        return .created(animal)
    }

    /// `GET /shelter/animals/{animalId}`: Find an animal by its number
    public func getAnimal(_ input: AnimalShelter.GetAnimal.Input) async throws -> AnimalShelter.GetAnimal.Output {
        let rows = try await input.transaction.query("SELECT * FROM animals WHERE id = ?", [.integer(input.animalId)])
        guard let row = rows.first else { return .notFound(ErrorModel(detail: "no animal \(input.animalId)")) }
        return .ok(try Self.animal(row))
    }

    /// `POST /shelter/animals/{animalId}/photo`: Store an animal's photo. The runtime has
    /// checked the part's media type and size while streaming it to disk.
    public func uploadPhoto(_ input: AnimalShelter.UploadPhoto.Input) async throws -> AnimalShelter.UploadPhoto.Output {
        let animals = try await input.transaction.query("SELECT id FROM animals WHERE id = ?", [.integer(input.animalId)])
        guard !animals.isEmpty else { return .notFound(ErrorModel(detail: "no animal \(input.animalId)")) }
        guard let contentType = PhotoReceipt.ContentType(rawValue: input.body.photo.contentType) else {
            throw ShelterError("the runtime let through a photo in \(input.body.photo.contentType)")
        }
        // At most 2 MiB (the declaration's maxLength): small enough to read whole.
        var bytes = ByteBuffer()
        bytes.reserveCapacity(input.body.photo.size)
        for try await chunk in input.body.photo.chunks() { bytes.writeBytes(chunk) }
        _ = try await input.transaction.query(
            "INSERT OR REPLACE INTO photos (animal_id, content_type, caption, bytes) VALUES (?, ?, ?, ?)",
            [.integer(input.animalId), .text(contentType.rawValue), input.body.caption.map { .text($0) } ?? .null, .blob(bytes)])
        return .created(PhotoReceipt(animalId: input.animalId, bytes: bytes.readableBytes, contentType: contentType, caption: input.body.caption))
    }

    /// `GET /shelter/animals/{animalId}/photo`: the stored bytes, in their media type.
    public func getPhoto(_ input: AnimalShelter.GetPhoto.Input) async throws -> AnimalShelter.GetPhoto.Output {
        let rows = try await input.transaction.query("SELECT content_type, bytes FROM photos WHERE animal_id = ?", [.integer(input.animalId)])
        guard let row = rows.first, let type = row.column("content_type")?.string, let blob = row.column("bytes")?.blob else {
            return .notFound(ErrorModel(detail: "no photo of animal \(input.animalId)"))
        }
        let bytes = Array(blob.readableBytesView)
        return .ok(type == "image/jpeg" ? .jpeg(bytes) : .png(bytes))
    }

    /// `GET /shelter/animals`: List the animals, the latest first
    public func listAnimals(_ input: AnimalShelter.ListAnimals.Input) async throws -> AnimalShelter.ListAnimals.Output {
        let rows: [SQLiteRow]
        if let species = input.species {
            rows = try await input.transaction.query("SELECT * FROM animals WHERE species = ? ORDER BY id DESC LIMIT ?", [.text(species.rawValue), .integer(input.limit)])
        } else {
            rows = try await input.transaction.query("SELECT * FROM animals ORDER BY id DESC LIMIT ?", [.integer(input.limit)])
        }
        return .ok(try rows.map(Self.animal))
    }

    /// `text` as a quoted CSV cell that a spreadsheet shows as text: a leading `=`, `+`, `-`,
    /// `@`, tab or carriage return would start a formula (CSV injection, as OWASP names it), so
    /// such a cell starts with `'`.
    static func csvCell(_ text: String) -> String {
        let neutral = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
        return "\"" + neutral.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `GET /shelter/export`: Every animal as CSV or JSON, the CSV also archived to a file
    public func exportAnimals(_ input: AnimalShelter.ExportAnimals.Input) async throws -> AnimalShelter.ExportAnimals.Output {
        let animals = try await input.transaction.query("SELECT * FROM animals ORDER BY id").map(Self.animal)
        if input.responseContentType == "application/json" { return .ok(.json(animals)) }
        var csv = "id,name,species,admittedAt\n"
        for animal in animals {
            csv += "\(animal.id),\(Self.csvCell(animal.name)),\(animal.species.rawValue),\(DateTimeCoding.format(animal.admittedAt))\n"
        }
        // Synchronous file I/O blocks its thread: it goes through runBlocking.
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-shelter-export.csv")
        try await runBlocking { [csv] in try csv.write(to: archive, atomically: true, encoding: .utf8) }
        return .ok(.csv(csv))
    }

    /// `GET /shelter/admissions`: The latest admissions as server-sent events
    public func admissions(_ input: AnimalShelter.Admissions.Input) async throws -> AnimalShelter.Admissions.Output {
        // Read now: the transaction ends before the stream is written.
        let animals = try await input.transaction.query("SELECT * FROM animals ORDER BY id DESC LIMIT ?", [.integer(input.last)]).map(Self.animal)
        let events = AsyncStream<ServerSentEvent> { continuation in
            for animal in animals.reversed() {
                continuation.yield(ServerSentEvent(data: "\(animal.name) the \(animal.species.rawValue), by \(animal.admittedBy)", event: "admission", id: String(animal.id)))
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
        let pool = input.database
        for try await question in session.messages {
            let species = question.species.rawValue
            let limit = min(question.limit, input.limit)
            let (count, names) = try await pool.withConnection { connection in
                let count = try await connection.query("SELECT COUNT(*) AS n FROM animals WHERE species = ?", [.text(species)])
                let rows = try await connection.query(
                    "SELECT name FROM animals WHERE species = ? ORDER BY id DESC LIMIT ?", [.text(species), .integer(limit)])
                return (count.first?.column("n")?.integer ?? 0, rows.compactMap { $0.column("name")?.string })
            }
            try await session.send(DeskAnswer(species: question.species, waiting: count, names: names))
        }
    }

    static func animal(_ row: SQLiteRow) throws -> Animal {
        guard let id = row.column("id")?.integer, let name = row.column("name")?.string,
            let species = row.column("species")?.string.flatMap(Species.init(rawValue:)),
            let admittedAt = row.column("admitted_at")?.double, let admittedBy = row.column("admitted_by")?.string
        else { throw ShelterError("a row of animals does not read as an animal") }
        return Animal(id: id, name: name, species: species, admittedAt: Date(timeIntervalSince1970: admittedAt), admittedBy: admittedBy)
    }
}

/// The database holds something the shelter did not write.
struct ShelterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
