internal import Foundation
public import TrellisJSON

/// A file part of a `multipart/form-data` body: what a handler receives for a body property
/// declared as a file (`type: string, format: binary`, or a `contentMediaType`).
///
/// The runtime streams each file part to a temporary file as it arrives, so a file is never
/// held whole in memory, and checks its size and media type against the declaration before
/// the handler runs. The handler reads it in pieces with ``chunks(ofSize:)``, whole with
/// ``bytes()`` (for small files), or keeps it with ``move(to:)``. The temporary file is
/// removed once the answer has been written, unless it was moved.
///
/// ```swift
/// func uploadPhoto(_ input: UploadPhoto.Input) async throws -> UploadPhoto.Output {
///     var stored = 0
///     for try await chunk in input.body.photo.chunks() { stored += chunk.count }
///     return .created(.init(bytes: stored, contentType: input.body.photo.contentType))
/// }
/// ```
public struct UploadedFile: Sendable, Hashable {
    /// The name the client gave the file (`filename` of the part's `Content-Disposition`),
    /// as sent: never use it as a path.
    public var filename: String?
    /// The part's media type (`application/octet-stream` when the part names none).
    public var contentType: String
    /// The file's size in bytes.
    public var size: Int
    /// Where the runtime stored the file for this request.
    public var temporaryPath: String

    /// A file at `temporaryPath`: the runtime makes one per file part; tests can too.
    public init(filename: String?, contentType: String, size: Int, temporaryPath: String) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.temporaryPath = temporaryPath
    }

    /// The file's bytes in pieces of at most `size` bytes, read as they are asked for.
    public func chunks(ofSize size: Int = 64 * 1024) -> Chunks { Chunks(path: temporaryPath, size: max(1, size)) }

    /// The whole file. For files the declaration keeps small; read larger ones with
    /// ``chunks(ofSize:)``.
    /// - Throws: `CocoaError` when the file cannot be read (it was moved, say).
    public func bytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: temporaryPath)))
    }

    /// Moves the file to `path` (renamed when on the same file system, else copied), where
    /// the runtime no longer removes it.
    /// - Throws: `CocoaError` when it cannot be moved (`path` exists, say).
    public func move(to path: String) throws {
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
    }

    /// A file's bytes, read in pieces from disk.
    public struct Chunks: AsyncSequence, Sendable {
        /// A piece of the file.
        public typealias Element = [UInt8]
        let path: String
        let size: Int

        /// Reads the file from its start.
        public func makeAsyncIterator() -> Iterator { Iterator(path: path, size: size) }

        /// Reads the next piece when asked.
        public struct Iterator: AsyncIteratorProtocol {
            let path: String
            let size: Int
            var handle: FileHandle?
            var finished = false

            init(path: String, size: Int) {
                self.path = path
                self.size = size
            }

            /// The next piece; nil at the end of the file.
            /// - Throws: `CocoaError` when the file cannot be opened or read.
            public mutating func next() async throws -> [UInt8]? {
                if finished { return nil }
                if handle == nil { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
                guard let handle, let data = try handle.read(upToCount: size), !data.isEmpty else {
                    finished = true
                    try handle?.close()
                    handle = nil
                    return nil
                }
                return [UInt8](data)
            }
        }
    }
}

extension UploadedFile: Codable, JSONReadable, JSONWritable {
    /// The marker the runtime writes into the file values it hands over, so that no request
    /// (a JSON body with a `path` member, say) can pass a file of its own choosing.
    package static let marker: String = {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined(separator: "-")
    }()

    enum CodingKeys: String, CodingKey {
        case filename, contentType, size, temporaryPath
        case marker = "trellisUpload"
    }

    /// The value the runtime hands a generated body for a file part.
    package var json: JSON {
        var object = JSONObject()
        if let filename { object["filename"] = .string(filename) }
        object["contentType"] = .string(contentType)
        object["size"] = .integer(Int64(size))
        object["temporaryPath"] = .string(temporaryPath)
        object["trellisUpload"] = .string(Self.marker)
        return .object(object)
    }

    /// Reads a file value the runtime wrote (and nothing else).
    public init(json: JSONValue) throws {
        guard json["trellisUpload"]?.stringValue == Self.marker, let path = json["temporaryPath"]?.stringValue,
            let contentType = json["contentType"]?.stringValue, let size = json["size"]?.int64Value.map(Int.init)
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "expected a file part of a multipart/form-data body"))
        }
        self.init(filename: json["filename"]?.stringValue, contentType: contentType, size: size, temporaryPath: path)
    }

    /// Reads a file value the runtime wrote (and nothing else).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .marker) == Self.marker else {
            throw DecodingError.dataCorruptedError(forKey: .marker, in: container, debugDescription: "expected a file part of a multipart/form-data body")
        }
        self.init(
            filename: try container.decodeIfPresent(String.self, forKey: .filename),
            contentType: try container.decode(String.self, forKey: .contentType), size: try container.decode(Int.self, forKey: .size),
            temporaryPath: try container.decode(String.self, forKey: .temporaryPath))
    }

    /// The `userInfo` key under which an encoder asks for a file's location (a client that
    /// sends the file in a multipart body reads it from there).
    package static let locationKey = CodingUserInfoKey(rawValue: "trellis.uploadedFile.location")!

    /// Written as what a client sees of it: its name, media type and size (and, for a
    /// client's multipart writer, its path).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(filename, forKey: .filename)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        if encoder.userInfo[Self.locationKey] != nil { try container.encode(temporaryPath, forKey: .temporaryPath) }
    }

    /// Written as what a client sees of it: its name, media type and size.
    public func writeJSON(into writer: inout JSONWriter) throws {
        var object = JSONObject()
        if let filename { object["filename"] = .string(filename) }
        object["contentType"] = .string(contentType)
        object["size"] = .integer(Int64(size))
        try JSON.object(object).writeJSON(into: &writer)
    }
}
