internal import Foundation
internal import NIOCore
internal import NIOFileSystem
internal import Synchronization
internal import TrellisCore
internal import TrellisJSON

/// `multipart/form-data` bodies, read as they arrive: fields are collected (each bounded),
/// files are streamed to temporary files (each checked against its declared media types and
/// size as soon as its part says or shows them), and the whole body is bounded in bytes and
/// parts. The fields and files then become the JSON object the body's schema validates.
enum MultipartBody {
    /// The bounds one body is read within.
    struct Limits {
        var maxBytes: Int
        var maxParts: Int
        var maxFieldBytes: Int
    }

    /// Why a body was not read.
    enum Failure: Error {
        /// A bound was passed: 413, with what was too large.
        case tooLarge(String)
        /// A file part in a media type its field does not accept: 415.
        case unsupportedPart(String)
        /// Not `multipart/form-data`: 400.
        case malformed(String)
    }

    /// A part that is not a file.
    struct Field {
        let name: String
        let bytes: [UInt8]
        /// The part's media type, lowercased, without parameters (nil: none given).
        let contentType: String?
    }

    /// What a body held.
    struct Contents {
        var fields: [Field] = []
        /// The header fields of the parts whose headers are declared (checked afterwards).
        var heads: [(part: String, headers: [(name: String, value: String)])] = []
        var files: [(name: String, file: UploadedFile)] = []
    }

    /// The boundary a `multipart/form-data` `Content-Type` names (1 to 70 characters).
    static func boundary(of contentType: String) -> String? {
        guard let boundary = HeaderParameters.parse(contentType).first(where: { $0.name == "boundary" })?.value,
            (1...70).contains(boundary.utf8.count)
        else { return nil }
        return boundary
    }

    /// Reads `body`, storing its files in `directory` and registering them with `uploads`
    /// (which removes them: the caller answers, then removes).
    /// - Throws: ``Failure``, and what reading the body or writing a file throws.
    static func read(
        _ body: some AsyncSequence<ByteBuffer, any Error>, boundary: String, description: BodyDescription, limits: Limits, directory: String,
        uploads: Uploads
    ) async throws -> Contents {
        var parser = MultipartParser(boundary: boundary)
        var contents = Contents()
        var total = 0
        var parts = 0
        var current: Part?
        var events: [MultipartParser.Event] = []
        do {
            for try await chunk in body {
                total += chunk.readableBytes
                guard total <= limits.maxBytes else { throw Failure.tooLarge("Request body larger than \(limits.maxBytes) bytes") }
                do {
                    try parser.feed(chunk) { events.append($0) }
                } catch let error as MultipartParser.Malformed {
                    throw Failure.malformed(error.description)
                }
                for event in events {
                    switch event {
                    case .begin(let headers):
                        parts += 1
                        // A count, not a size: a 400, as Starlette answers too many fields.
                        guard parts <= limits.maxParts else { throw Failure.malformed("more than \(limits.maxParts) parts") }
                        current = try await begin(headers, description: description, directory: directory, uploads: uploads)
                        if let name = current?.name, description.partHeaders[name] != nil { contents.heads.append((name, headers)) }
                    case .data(let bytes):
                        try await current?.append(bytes, limits: limits)
                    case .end:
                        try await current?.finish(into: &contents)
                        current = nil
                    }
                }
                events.removeAll(keepingCapacity: true)
            }
            guard parser.isComplete else { throw Failure.malformed("the body ends before its closing delimiter") }
        } catch {
            try? await current?.abandon()
            throw error
        }
        return contents
    }

    /// The part whose head is `headers`.
    private static func begin(
        _ headers: [(name: String, value: String)], description: BodyDescription, directory: String, uploads: Uploads
    ) async throws -> Part {
        guard let disposition = headers.first(where: { $0.name == "content-disposition" })?.value,
            disposition.prefix(while: { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased() == "form-data",
            let name = HeaderParameters.parse(disposition).first(where: { $0.name == "name" })?.value
        else { throw Failure.malformed("a part has no 'Content-Disposition: form-data; name=…'") }
        let filename = HeaderParameters.parse(disposition).first { $0.name == "filename" }?.value
        let contentType = headers.first { $0.name == "content-type" }.map { TrellisResponder.mediaType($0.value) }
        guard let file = description.files.first(where: { $0.name == name }) else {
            return .field(name: name, contentType: contentType, bytes: [])
        }
        // RFC 7578 §4.4: a part without a Content-Type is text/plain.
        let type = contentType ?? "text/plain"
        if !file.contentTypes.isEmpty, !file.contentTypes.contains(where: { accepts($0, type) }) {
            throw Failure.unsupportedPart(
                "Unsupported Media Type: part \"\(name)\" is \(type); send \(TrellisResponder.alternatives(file.contentTypes))")
        }
        let path = directory + "/trellis-upload-" + UUID().uuidString
        uploads.register(path)
        let handle = try await FileSystem.shared.openFile(
            forWritingAt: FilePath(path), options: .newFile(replaceExisting: false, permissions: [.ownerRead, .ownerWrite]))
        return .file(
            File(
                description: file, filename: filename, contentType: type, path: path, handle: handle,
                writer: handle.bufferedWriter(capacity: .kibibytes(256))))
    }

    /// Whether a declared media type (`image/png`, `image/*`, `*/*`) accepts `type`.
    static func accepts(_ declared: String, _ type: String) -> Bool {
        let declared = declared.lowercased()
        if declared == type || declared == "*/*" { return true }
        return declared.hasSuffix("/*") && type.hasPrefix(declared.dropLast())
    }

    /// A file part being written.
    struct File {
        let description: FilePartDescription
        let filename: String?
        let contentType: String
        let path: String
        let handle: WriteFileHandle
        var writer: BufferedWriter<WriteFileHandle>
        var size = 0
    }

    /// The part being read.
    enum Part {
        case field(name: String, contentType: String?, bytes: [UInt8])
        case file(File)

        /// The part's name.
        var name: String {
            switch self {
            case .field(let name, _, _): name
            case .file(let file): file.description.name
            }
        }

        mutating func append(_ bytes: ByteBuffer, limits: Limits) async throws {
            switch self {
            case .field(let name, let contentType, var collected):
                guard collected.count + bytes.readableBytes <= limits.maxFieldBytes else {
                    throw Failure.tooLarge("Part \"\(name)\" larger than \(limits.maxFieldBytes) bytes")
                }
                self = .field(name: name, contentType: contentType, bytes: [])
                collected.append(contentsOf: bytes.readableBytesView)
                self = .field(name: name, contentType: contentType, bytes: collected)
            case .file(var file):
                file.size += bytes.readableBytes
                if let maxBytes = file.description.maxBytes, file.size > maxBytes {
                    throw Failure.tooLarge("Part \"\(file.description.name)\" larger than \(maxBytes) bytes")
                }
                try await file.writer.write(contentsOf: bytes)
                self = .file(file)
            }
        }

        mutating func finish(into contents: inout Contents) async throws {
            switch self {
            case .field(let name, let contentType, let bytes):
                contents.fields.append(Field(name: name, bytes: bytes, contentType: contentType))
            case .file(var file):
                try await file.writer.flush()
                try await file.handle.close()
                contents.files.append(
                    (
                        file.description.name,
                        UploadedFile(filename: file.filename, contentType: file.contentType, size: file.size, temporaryPath: file.path)
                    ))
            }
        }

        /// Closes a file part's file (its caller removes it).
        func abandon() async throws {
            if case .file(let file) = self { try await file.handle.close() }
        }
    }

    /// The temporary files of one request, removed once it has been answered (a file the
    /// handler moved is gone already).
    final class Uploads: Sendable {
        private let paths = Mutex<[String]>([])

        func register(_ path: String) { paths.withLock { $0.append(path) } }

        // The last resort: an answer dropped before it was written still removes its files.
        deinit { removeAll() }

        /// Removes every file; idempotent.
        func removeAll() {
            let taken = paths.withLock { paths in
                defer { paths.removeAll() }
                return paths
            }
            for path in taken { unlink(path) }
        }
    }

    // MARK: - The object the schema validates

    /// The body as the object its schema validates (files as their names: a file is checked
    /// by its part, not by the schema) and as the object the handler's type reads (files as
    /// ``UploadedFile`` values), with the issues of the fields that do not read as their type.
    static func objects(_ contents: Contents, description: BodyDescription) -> (validated: JSON, decoded: JSON, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        var textItems: [(name: String, value: String)] = []
        var jsonFields: [(name: String, value: JSON)] = []
        for field in contents.fields {
            guard let text = String(validating: field.bytes, as: UTF8.self) else {
                issues.append(
                    ValidationIssue(
                        type: "string_unicode", loc: [.string("body"), .string(field.name)],
                        msg: "Input should be a valid string, unable to parse raw data as a unicode string", input: nil, ctx: nil))
                continue
            }
            if let type = field.contentType, CompiledService.Body.isJSON(type) {
                // OpenAPI's encoding of an object field: JSON in its part.
                do {
                    jsonFields.append((field.name, try JSONDocument(parsing: text).root.json))
                } catch {
                    issues.append(
                        ValidationIssue(
                            type: "json_invalid", loc: [.string("body"), .string(field.name)], msg: "JSON decode error", input: nil,
                            ctx: JSONObject([("error", .string(error.reason))])))
                }
                continue
            }
            textItems.append((field.name, text))
        }
        let form = FormBody.object(textItems, fields: description.fields)
        issues += form.issues
        var validated = form.object
        for (name, value) in jsonFields { validated[name] = value }
        var decoded = validated
        for part in description.files {
            let files = contents.files.filter { $0.name == part.name }.map(\.file)
            if files.isEmpty { continue }
            if part.multiple {
                validated[part.name] = .array(files.map { .string($0.filename ?? "") })
                decoded[part.name] = .array(files.map(\.json))
            } else if files.count > 1 {
                issues.append(
                    ValidationIssue(
                        type: "value_error", loc: [.string("body"), .string(part.name)], msg: "Value error, expected one file, got \(files.count)", input: nil,
                        ctx: nil))
            } else {
                validated[part.name] = .string(files[0].filename ?? "")
                decoded[part.name] = files[0].json
            }
        }
        return (.object(validated), .object(decoded), issues)
    }
}
