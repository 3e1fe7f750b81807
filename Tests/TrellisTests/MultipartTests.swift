import Foundation
import HTTPTypes
import NIOCore
import SQLiteNIO
import Testing
import TrellisCore
import TrellisJSON
import TrellisTesting

@testable import Shelter
@testable import Trellis

/// The `multipart/form-data` parser, fed whole and piece by piece, on good and hostile bodies.
@Suite struct MultipartParserTests {
    /// What the parser found: each part's headers and contents, and whether the body was complete.
    func parse(_ body: String, boundary: String = "XyZ", pieces: Int? = nil) throws -> (parts: [([(String, String)], String)], complete: Bool) {
        var parser = MultipartParser(boundary: boundary, maxHeadBytes: 256)
        var parts: [([(String, String)], String)] = []
        var contents: [UInt8] = []
        var headers: [(String, String)] = []
        let bytes = Array(body.utf8)
        let size = pieces.map { max(1, bytes.count / $0) } ?? max(1, bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            try parser.feed(ByteBuffer(bytes: bytes[start..<end])) { event in
                switch event {
                case .begin(let fields):
                    headers = fields.map { ($0.name, $0.value) }
                    contents = []
                case .data(let buffer): contents += buffer.readableBytesView
                case .end: parts.append((headers, String(decoding: contents, as: UTF8.self)))
                }
            }
            start = end
        }
        return (parts, parser.isComplete)
    }

    static let body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\nContent-Type: text/plain\r\n\r\nline\r\n--XyAnot\r\n-\r\n--Xy\r\n"
        + "--XyZ--\r\n"

    @Test(arguments: [nil, 3, 17, 1000])
    func partsAreFoundHoweverTheBodyIsCut(pieces: Int?) throws {
        let result = try parse(Self.body, pieces: pieces)
        #expect(result.complete)
        #expect(result.parts.count == 2)
        #expect(result.parts.first?.1 == "one")
        // Text that begins like a delimiter and is not one stays in the contents.
        #expect(result.parts.last?.1 == "line\r\n--XyAnot\r\n-\r\n--Xy")
        #expect(result.parts.last?.0.map(\.0) == ["content-disposition", "content-type"])
    }

    @Test func aPreambleAndAnEpilogueAreSkipped() throws {
        let result = try parse("ignored preamble\r\n--XyZ\r\n\r\nno headers\r\n--XyZ--\r\nepilogue --XyZ\r\n")
        #expect(result.complete)
        #expect(result.parts.count == 1)
        #expect(result.parts.first?.0.isEmpty == true)
        #expect(result.parts.first?.1 == "no headers")
    }

    @Test func aBodyCutOffIsNotComplete() throws {
        #expect(try parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf a val").complete == false)
        #expect(try parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--XyZ\r\n").complete == false)
        #expect(try parse("").complete == false)
    }

    @Test func malformedHeadsAreRefused() throws {
        #expect(throws: MultipartParser.Malformed.self) { try parse("--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--") }
        #expect(throws: MultipartParser.Malformed.self) { try parse("--XyZ\r\nBad Name: x\r\n\r\nx\r\n--XyZ--") }
        #expect(throws: MultipartParser.Malformed.self) { try parse("--XyZjunk\r\n\r\nx\r\n--XyZ--") }
        #expect(throws: MultipartParser.Malformed.self) { try parse("--XyZ\r\n\r\nx\r\n--XyZ-x") }
    }

    @Test(arguments: [nil, 50])
    func aPartsHeadIsBounded(pieces: Int?) throws {
        // 256 bytes at most here: a head that never ends is refused, not collected for ever.
        let endless = "--XyZ\r\nX-Long: " + String(repeating: "a", count: 10_000)
        #expect(throws: MultipartParser.Malformed.self) { try parse(endless, pieces: pieces) }
        let long = "--XyZ\r\nX-Long: " + String(repeating: "a", count: 300) + "\r\n\r\nx\r\n--XyZ--"
        #expect(throws: MultipartParser.Malformed.self) { try parse(long, pieces: pieces) }
    }

    @Test func dispositionParameters() {
        let parameters = HeaderParameters.parse(#"form-data; name="a \"b\""; filename=plain.txt; filename*=UTF-8''%C3%A9t%C3%A9.png"#)
        #expect(parameters.first { $0.name == "name" }?.value == #"a "b""#)
        #expect(parameters.first { $0.name == "filename" }?.value == "été.png")
        #expect(MultipartBody.boundary(of: #"multipart/form-data; boundary="a b""#) == "a b")
        #expect(MultipartBody.boundary(of: "multipart/form-data") == nil)
        #expect(MultipartBody.boundary(of: "multipart/form-data; boundary=" + String(repeating: "b", count: 71)) == nil)
    }
}

/// The example's photos: `multipart/form-data` read into the typed body, files streamed to disk,
/// each bound answered as the issue of photos asks.
@Suite struct PhotoUploadTests {
    let key = HTTPField.Name("X-API-Key")!
    /// A PNG's signature and a little more: the service checks the part's media type, not the bytes.
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 1000) + Array("\r\n--".utf8)

    /// The shelter with one animal on a new database of `kind`, its uploads in a folder of the
    /// test's (to see them removed).
    func withShelter(_ kind: StoreKind = .sqlite, _ body: (TrellisTestClient, Int64, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("photo-test-\(UUID().uuidString)")
        let uploads = folder.appendingPathComponent("uploads").path
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await kind.withStore { store in
            var configuration = TrellisConfiguration()
            configuration.uploadDirectory = uploads
            var app = try TrellisApplication(configuration: configuration, services: ShelterImplementation())
            app.overrideDependency(ShelterDatabase.self, value: store)
            let client = TrellisTestClient(app)
            let admitted = try await client.post("/shelter/animals", json: ["name": "Tom", "species": "cat"], headers: [key: "staff-key"])
            guard case .integer(let id)? = try admitted.json()["id"] else {
                Issue.record("no animal admitted: \(admitted.status)")
                return
            }
            try await body(client, id, uploads)
            try await TrellisTestClient.withLiveServer(app) { live in try await body(live, id, uploads) }
        }
    }

    func leftovers(_ folder: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] }

    @Test(arguments: StoreKind.available) func aPhotoIsStoredAndServedBack(_ kind: StoreKind) async throws {
        try await withShelter(kind) { client, id, uploads in
            let stored = try await client.post(
                "/shelter/animals/\(id)/photo",
                multipart: [
                    .file("photo", filename: "tom.png", contentType: "image/png", bytes: Self.png), .field("caption", "Tom, asleep"),
                ])
            #expect(stored.status == .created)
            #expect(
                try stored.json() == ["animalId": .integer(id), "bytes": .integer(Int64(Self.png.count)), "contentType": "image/png", "caption": "Tom, asleep"])
            let served = try await client.get("/shelter/animals/\(id)/photo")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/png")
            #expect(served.body == Self.png)
            // A JPEG replaces it; no caption is needed.
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF] + Array(repeating: 1, count: 50)
            let replaced = try await client.post(
                "/shelter/animals/\(id)/photo", multipart: [.file("photo", filename: "tom.jpg", contentType: "image/jpeg", bytes: jpeg)])
            #expect(try replaced.json() == ["animalId": .integer(id), "bytes": 53, "contentType": "image/jpeg"])
            let again = try await client.get("/shelter/animals/\(id)/photo")
            #expect(again.headers[.contentType] == "image/jpeg" && again.body == jpeg)
            // The temporary files are gone once the answers are written.
            #expect(leftovers(uploads) == [])
        }
    }

    @Test func eachBoundIsAnsweredAsItShouldBe() async throws {
        try await withShelter { client, id, uploads in
            let path = "/shelter/animals/\(id)/photo"
            // Larger than 2 MiB: 413 naming the part.
            let large = try await client.post(
                path, multipart: [.file("photo", filename: "big.png", contentType: "image/png", bytes: Array(repeating: 1, count: 2 * 1024 * 1024 + 1))])
            #expect(large.status == .contentTooLarge)
            #expect(try large.json()["detail"] == "Part \"photo\" larger than 2097152 bytes")
            // More than the body's 4 MiB, said by Content-Length: refused before it is read.
            let huge = try await client.post(
                path, multipart: [.file("photo", filename: "big.png", contentType: "image/png", bytes: Array(repeating: 1, count: 5 * 1024 * 1024))])
            #expect(huge.status == .contentTooLarge)
            #expect(try huge.json()["detail"] == "Request body larger than 4194304 bytes")
            // More parts than the declared 4.
            let many = try await client.post(path, multipart: Array(repeating: .field("caption", "x"), count: 5))
            #expect(many.status == .badRequest)
            #expect(try many.json()["detail"] == "Malformed multipart/form-data body: more than 4 parts")
            // A photo in another media type: 415 naming the part and what it takes.
            let gif = try await client.post(path, multipart: [.file("photo", filename: "a.gif", contentType: "image/gif", bytes: [1, 2, 3])])
            #expect(gif.status == .unsupportedMediaType)
            #expect(try gif.json()["detail"] == "Unsupported Media Type: part \"photo\" is image/gif; send image/png or image/jpeg")
            // A body in another media type: 415 listing multipart/form-data.
            let json = try await client.post(path, json: ["caption": "x"])
            #expect(json.status == .unsupportedMediaType)
            #expect(json.headers[HTTPField.Name("Accept-Post")!] == "multipart/form-data")
            // No photo, a caption too long, a field the schema does not have: 422 at each.
            let missing = try await client.post(path, multipart: [.field("caption", String(repeating: "x", count: 201)), .field("mood", "sleepy")])
            #expect(missing.status == .unprocessableContent)
            let locations = try missing.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } ?? []
            #expect(locations.contains(["body", "photo"]))
            #expect(locations.contains(["body", "caption"]))
            #expect(locations.contains(["body", "mood"]))
            // Two photos where one is declared.
            let two = try await client.post(
                path,
                multipart: [
                    .file("photo", filename: "a.png", contentType: "image/png", bytes: [1]),
                    .file("photo", filename: "b.png", contentType: "image/png", bytes: [2]),
                ])
            #expect(two.status == .unprocessableContent)
            #expect(try two.json()["detail"]?.arrayValue?.first?["loc"] == [.string("body"), .string("photo")])
            // A caption that is not UTF-8.
            let bytes = try await client.post(
                path,
                multipart: [
                    .file("photo", filename: "a.png", contentType: "image/png", bytes: [1]), FormPart(name: "caption", bytes: [0xFF, 0xFE]),
                ])
            #expect(try bytes.json()["detail"]?.arrayValue?.first?["type"] == "string_unicode")
            // An unknown animal: 404 once the photo has been read and checked.
            let unknown = try await client.post(
                "/shelter/animals/999/photo", multipart: [.file("photo", filename: "a.png", contentType: "image/png", bytes: Self.png)])
            #expect(unknown.status == .notFound)
            #expect(try await client.get("/shelter/animals/999/photo").status == .notFound)
            #expect(leftovers(uploads) == [])
        }
    }

    @Test func malformedBodiesAre400() async throws {
        try await withShelter { client, id, uploads in
            let path = "/shelter/animals/\(id)/photo"
            func send(_ body: String, contentType: String = "multipart/form-data; boundary=XyZ") async throws -> TestResponse {
                try await client.execute(.post, path, headers: [.contentType: contentType], body: Array(body.utf8))
            }
            let cut = try await send("--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nhalf")
            #expect(cut.status == .badRequest)
            #expect(try cut.json()["detail"] == "Malformed multipart/form-data body: the body ends before its closing delimiter")
            #expect(try await send("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--").status == .badRequest)
            #expect(try await send("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--").status == .badRequest)
            #expect(try await send("x", contentType: "multipart/form-data").status == .badRequest)
            let head = "--XyZ\r\nX-Long: " + String(repeating: "a", count: 20_000) + "\r\n\r\nx\r\n--XyZ--"
            #expect(try await send(head).status == .badRequest)
            #expect(leftovers(uploads) == [])
        }
    }

    @Test func theDocumentDescribesTheUpload() throws {
        let document = try JSON(parsing: TrellisApplication(services: ShelterImplementation()).openAPIDocument)
        let upload = document["paths"]?["/shelter/animals/{animalId}/photo"]?["post"]?["requestBody"]
        #expect(upload?["content"]?["multipart/form-data"]?["encoding"] == ["photo": ["contentType": "image/png, image/jpeg"]])
        #expect(upload?["x-trellis-limits"] == ["maxBytes": 4_194_304, "maxParts": 4])
        let photo = document["paths"]?["/shelter/animals/{animalId}/photo"]?["get"]?["responses"]?["200"]?["content"]
        #expect(photo?["image/png"] != nil && photo?["image/jpeg"] != nil)
    }
}
