public import HTTPTypes
public import TrellisCore
internal import TrellisJSON

/// An answer as a transport received it: status, header fields and the whole body. Generated
/// outputs read themselves from it (``ClientOperationOutput``).
public struct ClientResponse: Sendable {
    /// The status line's status.
    public var status: HTTPResponse.Status
    /// The header fields.
    public var headerFields: HTTPFields
    /// The body's bytes (empty when there is none, or when it is in ``stream``).
    public var body: [UInt8]
    /// The body as it arrives, when the transport streamed it
    /// (``ClientTransport/stream(_:body:)``); nil when ``body`` holds it whole.
    public var stream: ResponseStream?

    /// An answer with its whole body.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// An answer whose body arrives as `stream`.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], stream: ResponseStream) {
        self.status = status
        self.headerFields = headerFields
        self.body = []
        self.stream = stream
    }

    /// The body as a stream: the transport's, or the whole body as one chunk.
    public func streamedBody() -> ResponseStream {
        stream ?? ResponseStream(chunks: body.isEmpty ? [] : [body])
    }

    /// The answer with its streamed body read whole into ``body``, at most `limit` bytes.
    /// - Throws: What the stream throws; ``TrellisClientError/malformedBody(status:reason:body:)``
    ///   when the body is longer than `limit`.
    public func collected(limit: Int = 64 << 20) async throws -> ClientResponse {
        guard let stream else { return self }
        var bytes: [UInt8] = []
        for try await chunk in stream {
            bytes += chunk
            if bytes.count > limit {
                throw TrellisClientError.malformedBody(status: statusCode, reason: "the body is longer than \(limit) bytes", body: Array(bytes.prefix(200)))
            }
        }
        return ClientResponse(status: status, headerFields: headerFields, body: bytes)
    }

    /// The status code.
    public var statusCode: Int { status.code }

    /// The media type of the body, lowercased and without parameters (`application/json`),
    /// or nil when the answer names none.
    public var mediaType: String? {
        guard let value = headerFields[.contentType] else { return nil }
        let essence = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        let trimmed = essence.trimmingSpaces.lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The body read as JSON into `type`, after checking that the answer says it is JSON
    /// (`application/json` or any `+json` type).
    /// - Throws: ``TrellisClientError`` `.unexpectedContentType` or `.malformedBody`, with the
    ///   status and the raw body.
    public func json<T: Decodable>(_ type: T.Type) throws(TrellisClientError) -> T {
        guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw .unexpectedContentType(status: statusCode, contentType: headerFields[.contentType], expected: "application/json", body: body)
        }
        do {
            let document = try JSONDocument(parsing: body, options: JSONParseOptions(largeIntegers: .approximate))
            return try JSONBody.read(type, from: document.root)
        } catch {
            throw .malformedBody(status: statusCode, reason: "\(error)", body: body)
        }
    }

    /// The body as UTF-8 text, after checking that the answer is of a `text/` type.
    /// - Throws: ``TrellisClientError`` `.unexpectedContentType` or `.malformedBody` (bytes
    ///   that are not UTF-8).
    public func text() throws(TrellisClientError) -> String {
        guard let mediaType, mediaType.hasPrefix("text/") else {
            throw .unexpectedContentType(status: statusCode, contentType: headerFields[.contentType], expected: "text/*", body: body)
        }
        guard let text = String(validating: body, as: UTF8.self) else { throw .malformedBody(status: statusCode, reason: "the text is not UTF-8", body: body) }
        return text
    }

    /// The body's bytes, whatever its type.
    public func bytes() -> [UInt8] { body }

    /// The header `name` read as `T` (text as it is; numbers and booleans parsed; other
    /// types as JSON), or nil when the answer has no such header.
    /// - Throws: ``TrellisClientError/malformedHeader(status:name:value:body:)`` when it
    ///   cannot be read as `T`.
    public func header<T: Decodable>(_ name: String, as type: T.Type) throws(TrellisClientError) -> T? {
        guard let fieldName = HTTPField.Name(name), let value = headerFields[fieldName] else { return nil }
        if let text = value as? T { return text }
        let json: JSON
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type, is Float.Type, is Bool.Type:
            guard let parsed = try? JSON(parsing: value), parsed.kind != .string else {
                throw .malformedHeader(status: statusCode, name: name, value: value, body: body)
            }
            json = parsed
        default:
            json = (try? JSON(parsing: value)) ?? .string(value)
        }
        do {
            let document = try JSONDocument(json)
            return try JSONBody.read(type, from: document.root)
        } catch {
            throw .malformedHeader(status: statusCode, name: name, value: value, body: body)
        }
    }

    /// The header `name` read as `T`, required.
    /// - Throws: ``TrellisClientError/malformedHeader(status:name:value:body:)`` when it is
    ///   missing or cannot be read as `T`.
    public func requiredHeader<T: Decodable>(_ name: String, as type: T.Type) throws(TrellisClientError) -> T {
        guard let value = try header(name, as: type) else { throw .malformedHeader(status: statusCode, name: name, value: nil, body: body) }
        return value
    }

    /// The error for an answer whose status the operation does not declare.
    public func undeclaredStatus() -> TrellisClientError { .undeclaredStatus(status: statusCode, contentType: headerFields[.contentType], body: body) }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let text = Substring(self)
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<Swift.max(start, end)]
    }
}
