public import HTTPTypes
public import TrellisCore
internal import TrellisJSON

/// One request of an operation as a generated client builds it: its parameters and body,
/// written as the runtime reads them, from the operation's description (its path template,
/// each parameter's location, style and explode, its body's media type).
///
/// ```swift
/// var request = OperationRequest(Petstore.GetPet.operationDescription)
/// try request.parameter(.path("petId"), 7)
/// let output = try await client.send(request, as: Petstore.GetPet.Output.self)
/// ```
public struct OperationRequest: Sendable {
    /// The operation.
    public let operation: OperationDescription
    private var pathValues: [String: String] = [:]
    private var queryItems: [(String, String)] = []
    private var cookies: [(String, String)] = []
    /// Header fields the request carries besides the parameters' (`Accept`, say).
    public var headerFields: HTTPFields = [:]
    /// The body's bytes, if it has one.
    public private(set) var body: [UInt8]?
    /// The statuses whose answers are streamed (their cases hold a `ResponseStream`): the
    /// client asks its transport to stream the answer, and collects the body of any other.
    public var streamedStatuses: [ClosedRange<Int>] = []
    /// The parameters' values as JSON, for client-side validation.
    private(set) var parameterValues: [(key: ParameterKey, value: JSON)] = []
    /// A form or multipart body as the schema sees it (files as their names), for
    /// client-side validation; a JSON body is validated from its bytes.
    private(set) var bodyObject: JSON?

    /// An empty request of `operation`.
    public init(_ operation: OperationDescription) {
        self.operation = operation
    }

    /// Sets the parameter `key` to `value` (nil leaves it out), written in its declared style.
    /// - Throws: ``TrellisClientError/invalidRequest(_:)`` when the operation has no such
    ///   parameter, or the value cannot be written in its style.
    public mutating func parameter<T: Encodable>(_ key: ParameterKey, _ value: T?) throws(TrellisClientError) {
        guard let value else { return }
        guard let description = operation.parameters.first(where: { $0.location == key.location && $0.name == key.name }) else {
            throw .invalidRequest("\(operation.id) has no \(key) parameter")
        }
        let json: JSON
        do {
            json = try JSONValueEncoder().encode(value)
        } catch {
            throw .invalidRequest("the \(key) parameter cannot be written as JSON: \(error)")
        }
        parameterValues.append((key, json))
        guard let shape = try ParameterWriter.shape(of: json) else { return }
        switch key.location {
        case .path: pathValues[key.name] = ParameterWriter.path(shape, description)
        case .query: queryItems += ParameterWriter.query(shape, description)
        case .header:
            guard let name = HTTPField.Name(key.name) else { throw .invalidRequest("'\(key.name)' is not a header field name") }
            headerFields[name] = ParameterWriter.header(shape, description)
        case .cookie: cookies += ParameterWriter.cookie(shape, description)
        }
    }

    /// Sets the body to `value` written as JSON (with the fast writers the runtime answers
    /// with), with the operation's JSON media type.
    /// - Throws: ``TrellisClientError/invalidRequest(_:)`` for a value JSON cannot hold.
    public mutating func jsonBody<T: Encodable>(_ value: T?) throws(TrellisClientError) {
        guard let value else { return }
        do {
            body = try JSONBody.bytes(of: value)
        } catch {
            throw .invalidRequest("the body cannot be written as JSON: \(error)")
        }
        let declared = operation.body?.contentTypes.first { $0 == "application/json" || $0.hasSuffix("+json") }
        headerFields[.contentType] = declared ?? "application/json"
    }

    /// Sets the body to `value` written as an `application/x-www-form-urlencoded` form: each
    /// member a field, in the style the operation declares for it.
    /// - Throws: ``TrellisClientError/invalidRequest(_:)`` for a value that is not an object, or
    ///   a member a form cannot carry.
    public mutating func formBody<T: Encodable>(_ value: T?) throws(TrellisClientError) {
        guard let value else { return }
        let object = try Self.object(of: value)
        body = try FormBodyWriter.form(object, body: declaredBody)
        bodyObject = .object(object)
        headerFields[.contentType] = "application/x-www-form-urlencoded"
    }

    /// Sets the body to `value` written as `multipart/form-data`: each file property
    /// (an ``UploadedFile``, made with ``UploadedFile/init(contentsOf:contentType:filename:)``)
    /// a file part read from its file, each other member a field in its declared style, an
    /// object a JSON part.
    /// - Throws: ``TrellisClientError/invalidRequest(_:)`` for a value that is not an object, or
    ///   a file that cannot be read.
    public mutating func multipartBody<T: Encodable>(_ value: T?) throws(TrellisClientError) {
        guard let value else { return }
        let object = try Self.object(of: value)
        let boundary = "trellis-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let described = declaredBody
        body = try FormBodyWriter.multipart(object, body: described, boundary: boundary)
        // The schema sees a file as its name, as the runtime validates it.
        var seen = object
        for part in described.files {
            switch object[part.name] {
            case .array(let files)?: seen[part.name] = .array(files.map { .string($0["filename"]?.stringValue ?? "") })
            case let file?: seen[part.name] = .string(file["filename"]?.stringValue ?? "")
            case nil: break
            }
        }
        bodyObject = .object(seen)
        headerFields[.contentType] = "multipart/form-data; boundary=" + boundary
    }

    /// The operation's body, or an empty description of one.
    private var declaredBody: BodyDescription {
        operation.body ?? BodyDescription(contentType: "application/octet-stream", required: false, schema: "")
    }

    /// `value` as a JSON object, files with where they are.
    private static func object<T: Encodable>(of value: T) throws(TrellisClientError) -> JSONObject {
        var encoder = JSONValueEncoder()
        encoder.writesFileLocations = true
        let json: JSON
        do {
            json = try encoder.encode(value)
        } catch {
            throw .invalidRequest("the body cannot be written: \(error)")
        }
        guard case .object(let object) = json else { throw .invalidRequest("a form body must be an object, not \(json.kind)") }
        return object
    }

    /// Sets the body to `bytes` as they are, in `contentType` (by default the operation's
    /// first declared media type).
    public mutating func rawBody(_ bytes: [UInt8]?, contentType: String? = nil) {
        guard let bytes else { return }
        body = bytes
        headerFields[.contentType] = contentType ?? operation.body?.contentTypes.first ?? "application/octet-stream"
    }

    /// Asks for the answer in `mediaType` (`Accept`), for an operation that answers in several.
    public mutating func accept(_ mediaType: String) {
        headerFields[.accept] = mediaType
    }

    /// The request for a server at `base`: method, path (the base's path, the operation's
    /// with its parameters, the query), header fields and cookies.
    /// - Throws: ``TrellisClientError/invalidRequest(_:)`` when a required path parameter was
    ///   not set.
    public func httpRequest(base: BaseURL) throws(TrellisClientError) -> HTTPRequest {
        var path = base.path
        var template = Substring(operation.path)
        while let open = template.firstIndex(of: "{") {
            path += template[..<open]
            guard let close = template[open...].firstIndex(of: "}") else { break }
            let name = String(template[template.index(after: open)..<close])
            guard let value = pathValues[name] else { throw .invalidRequest("the path parameter \(name) of \(operation.id) is not set") }
            path += value
            template = template[template.index(after: close)...]
        }
        path += template
        if !queryItems.isEmpty {
            path +=
                "?"
                + queryItems.map {
                    PercentEncoding.encode($0.0, allowed: .queryComponent) + "=" + PercentEncoding.encode($0.1, allowed: .queryComponent)
                }.joined(separator: "&")
        }
        var fields = headerFields
        if !cookies.isEmpty { fields[.cookie] = cookies.map { $0.0 + "=" + $0.1 }.joined(separator: "; ") }
        if let body { fields[.contentLength] = String(body.count) }
        let method = HTTPRequest.Method(operation.method.rawValue) ?? .get
        return HTTPRequest(method: method, scheme: base.scheme, authority: base.authority, path: path, headerFields: fields)
    }
}

/// Where a server is: scheme, host and port, and a path its operations' paths follow.
public struct BaseURL: Sendable, Hashable {
    /// `http` or `https`.
    public var scheme: String
    /// `host` or `host:port`.
    public var authority: String
    /// The path before the operations' (no trailing slash; empty for the root).
    public var path: String

    /// Reads `http://host[:port][/path]` (or `https`).
    /// - Throws: ``TrellisClientError/invalidBaseURL(_:)`` for anything else.
    public init(_ url: String) throws(TrellisClientError) {
        let lowered = url.lowercased()
        let scheme: String
        if lowered.hasPrefix("http://") { scheme = "http" } else if lowered.hasPrefix("https://") { scheme = "https" } else { throw .invalidBaseURL(url) }
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(" ") else { throw .invalidBaseURL(url) }
        var path = rest.dropFirst(authority.count)
        guard !path.contains("?"), !path.contains("#") else { throw .invalidBaseURL(url) }
        while path.hasSuffix("/") { path = path.dropLast() }
        self.scheme = scheme
        self.authority = String(authority)
        self.path = String(path)
    }
}
