import CZlib
import Foundation
import HTTPTypes
import OpenAPIFixture30
import Testing
import Trellis
import TrellisCore
import TrellisJSON
import TrellisTesting

/// `multipart/form-data` declared by an OpenAPI 3.0 document: typed fields, a JSON part, several
/// files, and a 50 MiB file streamed through a live server.
@Suite struct UploadTests {
    func withClient(over transport: Transport, uploads: String, _ body: (TrellisTestClient) async throws -> Void) async throws {
        var configuration = TrellisConfiguration()
        configuration.threads = 1
        configuration.uploadDirectory = uploads
        let application = try TrellisApplication(configuration: configuration, services: OrdersImplementation())
        switch transport {
        case .inProcess: try await body(TrellisTestClient(application))
        case .socket: try await TrellisTestClient.withLiveServer(application, body)
        }
    }

    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: Transport.allCases) func fieldsJSONPartsAndSeveralFiles(over transport: Transport) async throws {
        let uploads = try folder()
        defer { try? FileManager.default.removeItem(atPath: uploads) }
        try await withClient(over: transport, uploads: uploads) { client in
            let stored = try await client.post(
                "/archives",
                multipart: [
                    .field("label", "spring"), .field("tags", "a"), .field("tags", "b"),
                    FormPart(name: "meta", contentType: "application/json", bytes: Array(#"{"source": "camera"}"#.utf8)),
                    .file("archive", filename: "a.tar", contentType: "application/x-tar", bytes: Array("abc".utf8)),
                    .file("extras", filename: "one.txt", contentType: "text/plain", bytes: [1]),
                    .file("extras", filename: "two.txt", contentType: "text/plain", bytes: [2]),
                ])
            #expect(stored.status == .created, "\(stored.text)")
            #expect(
                try stored.json() == [
                    "label": "spring", "bytes": 3, "checksum": "352441c2", "filename": "a.tar", "tags": ["a", "b"], "source": "camera",
                    "extras": ["one.txt", "two.txt"],
                ])
            // A part's declared header fields are checked as header parameters, and its media type.
            func archive(version: String) -> FormPart {
                FormPart(name: "archive", filename: "a.tar", contentType: "application/x-tar", headers: [("X-Archive-Version", version)], bytes: [1])
            }
            let version = try await client.post("/archives", multipart: [.field("label", "v"), archive(version: "0")])
            #expect(version.status == .unprocessableContent)
            #expect(try version.json()["detail"]?.arrayValue?.first?["loc"] == ["body", "archive", "header", "X-Archive-Version"])
            #expect(try await client.post("/archives", multipart: [.field("label", "v"), archive(version: "two")]).status == .unprocessableContent)
            #expect(try await client.post("/archives", multipart: [.field("label", "v"), archive(version: "2")]).status == .created)
            let zip = try await client.post(
                "/archives", multipart: [.field("label", "v"), .file("archive", filename: "a.zip", contentType: "application/zip", bytes: [1])])
            #expect(zip.status == .unsupportedMediaType)
            // A JSON part that is not JSON, one that its schema refuses, an empty label, no archive.
            let bad = try await client.post(
                "/archives", multipart: [.field("label", ""), FormPart(name: "meta", contentType: "application/json", bytes: Array("{".utf8))])
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["body", "meta"]])
            let refused = try await client.post(
                "/archives", multipart: [.field("label", ""), FormPart(name: "meta", contentType: "application/json", bytes: Array("{}".utf8))])
            let locations = try refused.json()["detail"]?.arrayValue?.compactMap { $0["loc"] } ?? []
            #expect(Set(locations.map(\.compactText)) == [#"["body","archive"]"#, #"["body","label"]"#, #"["body","meta","source"]"#])
            // A JSON body where a JSON file value could name a file: refused (415), and a file
            // value can never be written by a client in any case.
            #expect(try await client.post("/archives", json: ["label": "x", "archive": ["temporaryPath": "/etc/passwd"]]).status == .unsupportedMediaType)
            #expect(throws: DecodingError.self) {
                try UploadedFile(
                    json: JSONDocument(parsing: #"{"temporaryPath": "/etc/passwd", "contentType": "a/b", "size": 1, "trellisUpload": "guess"}"#).root)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads) == [])
    }

    /// 50 MiB streamed through a live server in 64 KiB pieces: the file reaches the handler
    /// whole (its checksum), is removed after the answer, and the process's peak memory
    /// grows by a fraction of the upload. The bound is asserted when the test runs alone
    /// (`TRELLIS_MEASURE_UPLOAD=1`, as CI runs it): in a full run other tests' memory counts
    /// in the same peak.
    @Test func fiftyMebibytesStreamThroughInFlatMemory() async throws {
        let uploads = try folder()
        defer { try? FileManager.default.removeItem(atPath: uploads) }
        let size = 50 * 1024 * 1024
        try await withClient(over: .socket, uploads: uploads) { client in
            let port = try #require(client.port)
            let before = Self.peakResidentKiB()
            let (status, body) = try await Self.streamUpload(port: port, fileSize: size)
            let after = Self.peakResidentKiB()
            #expect(status == 201, "\(body)")
            let answer = try JSON(parsing: body)
            #expect(answer["bytes"] == .integer(Int64(size)))
            #expect(answer["checksum"]?.stringValue == Self.expectedChecksum(size: size))
            let grown = (after ?? 0) - (before ?? 0)
            print("upload of \(size >> 20) MiB: peak RSS \(before ?? 0) KiB before, \(after ?? 0) KiB after (+\(grown) KiB)")
            if ProcessInfo.processInfo.environment["TRELLIS_MEASURE_UPLOAD"] == "1" {
                #expect(grown < 16 * 1024, "peak RSS grew by \(grown) KiB for a \(size >> 20) MiB upload")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads) == [])
    }

    /// The file's bytes: a pattern that never forms the delimiter.
    static let pieces: [[UInt8]] = (0..<16).map { index in (0..<65536).map { UInt8(truncatingIfNeeded: (index &* 31) &+ $0 &* 7) } }
    static func piece(_ index: Int, count: Int) -> ArraySlice<UInt8> { pieces[index % 16].prefix(count) }

    static func expectedChecksum(size: Int) -> String {
        var crc = crc32(0, nil, 0)
        var sent = 0
        var index = 0
        while sent < size {
            crc = Array(piece(index, count: min(65536, size - sent))).withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
            sent += 65536
            index += 1
        }
        return String(crc, radix: 16)
    }

    /// VmHWM of /proc/self/status, in KiB.
    static func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// POSTs a multipart body with a `size`-byte file over a blocking socket on a thread of its
    /// own, writing it 64 KiB at a time (the client never holds it whole either).
    static func streamUpload(port: Int, fileSize size: Int) async throws -> (Int, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    continuation.resume(returning: try blockingUpload(port: port, fileSize: size))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    struct SocketError: Error { let step: String }

    static func blockingUpload(port: Int, fileSize size: Int) throws -> (Int, String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(step: "socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError(step: "connect") }
        func write(_ bytes: some RandomAccessCollection<UInt8>) throws {
            var offset = 0
            while offset < bytes.count {
                let written = Array(bytes.dropFirst(offset)).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { throw SocketError(step: "send") }
                offset += written
            }
        }
        let boundary = "streamed-upload-boundary"
        let head = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nbig\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        let tail = Array("\r\n--\(boundary)--\r\n".utf8)
        let length = head.count + size + tail.count
        try write(
            Array(
                "POST /archives HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n"
                    .utf8))
        try write(head)
        var sent = 0
        var index = 0
        while sent < size {
            let count = min(65536, size - sent)
            try write(piece(index, count: count))
            sent += count
            index += 1
        }
        try write(tail)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += buffer[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }
}
