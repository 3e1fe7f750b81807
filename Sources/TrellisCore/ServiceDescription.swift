/// Everything the runtime needs to serve a generated service besides its handlers, as data:
/// the schema documents its operations' schemas resolve in, and the OpenAPI document. The
/// generator writes one per service declaration; the operations themselves, each with its
/// description, are the service's ``GeneratedService/operationHandlers``.
public struct ServiceDescription: Sendable {
    /// The service's Swift name.
    public var name: String
    /// The OpenAPI 3.1 document, as JSON text.
    public var openAPIDocument: String
    /// Every schema document of the service by URI (the declaration included), as JSON
    /// text: the registry that parameter, body and response schemas resolve in.
    public var schemaDocuments: [String: String]
    /// The security schemes the service declares: each must be bound to a verifier
    /// (``GeneratedService/securityVerifiers``) when an operation requires it.
    public var securitySchemes: [SecuritySchemeDescription]

    /// Creates a description; generated code calls this once per service, as its `serviceDescription`.
    public init(name: String, openAPIDocument: String, schemaDocuments: [String: String], securitySchemes: [SecuritySchemeDescription] = []) {
        self.name = name
        self.openAPIDocument = openAPIDocument
        self.schemaDocuments = schemaDocuments
        self.securitySchemes = securitySchemes
    }
}

/// A WebSocket route of a service: where it is, and the schemas of the messages each side
/// sends (JSON text messages).
public struct WebSocketDescription: Sendable {
    /// The route's id in the declaration (for logs).
    public var id: String
    /// The path template, e.g. `/rooms/{roomId}`.
    public var path: String
    /// The schema every message from the client is validated against, as a URI reference
    /// into ``ServiceDescription/schemaDocuments``.
    public var receive: String
    /// The schema of the messages the server sends.
    public var send: String
    /// The ways of meeting its security, checked before the upgrade (as an operation's);
    /// empty: open.
    public var security: [SecurityRequirement]
    /// The path, query, header and cookie parameters of the upgrade request, read and validated
    /// before the upgrade (a request whose parameters do not validate is answered 422).
    public var parameters: [ParameterDescription]
    /// The dependencies' names, resolved before the upgrade (one that throws refuses it).
    public var dependencies: [String]

    /// A description; generated code makes one per declared WebSocket.
    public init(
        id: String, path: String, receive: String, send: String, parameters: [ParameterDescription] = [], dependencies: [String] = [],
        security: [SecurityRequirement] = []
    ) {
        self.id = id
        self.path = path
        self.receive = receive
        self.send = send
        self.parameters = parameters
        self.dependencies = dependencies
        self.security = security
    }
}

/// One operation of a service.
public struct OperationDescription: Sendable {
    /// The operation's id: its key in the declaration's `operations` and its OpenAPI `operationId`
    /// (the runtime names the operation by it in logs and metrics).
    public var id: String
    /// The HTTP method.
    public var method: Method
    /// The path template, e.g. `/pets/{petId}`.
    public var path: String
    /// The parameters, the dependencies' ones included, that the runtime reads, coerces and
    /// validates before the handler runs.
    public var parameters: [ParameterDescription]
    /// The request body, or nil when the operation takes none (the runtime then does not read one).
    public var body: BodyDescription?
    /// The declared responses. When response validation is on, the runtime checks a JSON answer
    /// against the schema of the response for its status, of its range (`4XX`), or of `default`.
    public var responses: [ResponseDescription]
    /// The dependencies' names, service-wide and tag-level ones included, in resolution order.
    public var dependencies: [String]
    /// The ways of meeting the operation's security, any one of which lets a request in
    /// (OpenAPI's `security`, the operation's own, else its dependencies', else the service's);
    /// empty: the operation is open. The runtime checks it before anything else.
    public var security: [SecurityRequirement]

    /// Creates a description; generated code calls this once per operation, as its `operationDescription`.
    public init(
        id: String, method: Method, path: String, parameters: [ParameterDescription], body: BodyDescription?,
        responses: [ResponseDescription], dependencies: [String], security: [SecurityRequirement] = []
    ) {
        self.security = security
        self.id = id
        self.method = method
        self.path = path
        self.parameters = parameters
        self.body = body
        self.responses = responses
        self.dependencies = dependencies
    }

    /// An operation's HTTP method (OpenAPI's path item operations).
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET"
        case put = "PUT"
        case post = "POST"
        case delete = "DELETE"
        case options = "OPTIONS"
        case head = "HEAD"
        case patch = "PATCH"
        case trace = "TRACE"
    }
}

/// Where a parameter is read from.
public enum ParameterLocation: String, Sendable, Hashable {
    /// A path template segment, a query item, a header field or a cookie.
    case path, query, header, cookie
}

/// A parameter of an operation as generated inputs ask for it: where it is and its name
/// (a path and a query parameter may share a name).
public struct ParameterKey: Hashable, Sendable, CustomStringConvertible {
    /// Where the parameter is read from.
    public var location: ParameterLocation
    /// Its name, as the request carries it.
    public var name: String

    /// The key of the parameter `name` in `location`.
    public init(_ location: ParameterLocation, _ name: String) {
        self.location = location
        self.name = name
    }

    /// A path parameter: `.path("petId")`.
    public static func path(_ name: String) -> ParameterKey { ParameterKey(.path, name) }
    /// A query parameter.
    public static func query(_ name: String) -> ParameterKey { ParameterKey(.query, name) }
    /// A header (its name matched case-insensitively in requests).
    public static func header(_ name: String) -> ParameterKey { ParameterKey(.header, name) }
    /// A cookie.
    public static func cookie(_ name: String) -> ParameterKey { ParameterKey(.cookie, name) }

    /// `query limit`: the location, then the name.
    public var description: String { "\(location.rawValue) \(name)" }
}

/// One parameter of an operation.
public struct ParameterDescription: Sendable {
    /// The name as the request carries it: the path template's `{name}`, the query key, the header
    /// field name (matched case-insensitively) or the cookie name.
    public var name: String
    /// Where the parameter is read from.
    public var location: ParameterLocation
    /// Where and what: the key a generated input reads the parameter's value with.
    public var key: ParameterKey { ParameterKey(location, name) }
    /// Whether a request without the parameter is rejected (422); when the parameter has a
    /// ``defaultValue``, the default is used instead.
    public var required: Bool
    /// The schema, as a URI reference into ``ServiceDescription/schemaDocuments``.
    public var schema: String
    /// Whether the value is an array, and how a query array is written.
    public var style: Style
    /// The JSON type the text is coerced to: a scalar, an array of ``itemType``, or an object
    /// whose members have the ``propertyTypes``.
    public var type: ValueType
    /// The JSON type of an array's items (a scalar; nil: a string).
    public var itemType: ValueType?
    /// The JSON types of an object's properties (an `object` parameter); a property not
    /// listed is read as a string.
    public var propertyTypes: [String: ValueType]
    /// The default, as JSON text, applied when the parameter is absent.
    public var defaultValue: String?
    /// OpenAPI's `explode`: whether an array's items (an object's members) are written as
    /// separate values (`?id=1&id=2`, `.1.2`, `;id=1;id=2`, `role=admin,name=Al`) rather than
    /// in one (`?id=1,2`, `.1,2`, `;id=1,2`, `role,admin,name,Al`).
    public var explode: Bool

    /// The JSON type a parameter's text is read as.
    public enum ValueType: String, Sendable, Hashable {
        /// Text as it is.
        case string
        /// A whole number (`int_parsing` when the text is not one).
        case integer
        /// A number (`float_parsing`).
        case number
        /// `true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off`, as FastAPI reads them).
        case boolean
        /// Several values, per the parameter's style.
        case array
        /// Members, per the parameter's style.
        case object
        /// `null` for an empty text or `null` (a schema that allows only null); other text as a string.
        case null
    }

    /// How a parameter's value is written: OpenAPI's `style` (with ``explode``), or the
    /// location's default (``single``).
    public enum Style: String, Sendable, Hashable {
        /// The location's default: `simple` in a path or header, `form` in a query or cookie
        /// (an array in a query: repeated keys).
        case single
        /// Query and cookie: `?id=5`; arrays `?id=3&id=4` (exploded) or `?id=3,4`; objects
        /// `?role=admin&name=Al` (exploded) or `?id=role,admin,name,Al`.
        case form
        /// One comma-separated value in any location: `?tag=a,b` (as `form` without `explode`).
        case commaSeparated
        /// Query arrays and objects separated by spaces: `?id=3%204%205`.
        case spaceDelimited
        /// Query arrays and objects separated by pipes: `?id=3|4|5`.
        case pipeDelimited
        /// Query objects as `?id[role]=admin&id[name]=Al`.
        case deepObject
        /// Path and header: `5`, `3,4,5`, `role,admin` (or `role=admin` exploded).
        case simple
        /// Path: `.5`, `.3,4,5` (or `.3.4.5` exploded), `.role,admin` (or `.role=admin`).
        case label
        /// Path: `;id=5`, `;id=3,4,5` (or `;id=3;id=4;id=5` exploded), `;id=role,admin` (or `;role=admin`).
        case matrix
    }

    /// Creates a description; generated code calls this. The defaults describe a single value
    /// with no default value.
    public init(
        name: String, location: ParameterLocation, required: Bool, schema: String, style: Style = .single,
        type: ValueType, itemType: ValueType? = nil, defaultValue: String? = nil, explode: Bool? = nil, propertyTypes: [String: ValueType] = [:]
    ) {
        self.name = name
        self.location = location
        self.required = required
        self.schema = schema
        self.style = style
        self.type = type
        self.itemType = itemType
        self.defaultValue = defaultValue
        // OpenAPI's default: exploded for `form` (and the query's default), not for the others.
        self.explode = explode ?? (style == .form || (style == .single && (location == .query || location == .cookie)))
        self.propertyTypes = propertyTypes
    }
}

/// The request body of an operation.
public struct BodyDescription: Sendable {
    /// The media types it is accepted in, the preferred first (`application/json` unless the
    /// declaration says otherwise). The runtime answers 415, listing them, to a body of
    /// another type; for a JSON type it also accepts any `+json` type. A JSON body is parsed,
    /// an `application/x-www-form-urlencoded` one is read field by field (``fields``), a
    /// `multipart/form-data` one part by part (``fields`` and ``files``), and each is validated against ``schema`` and decoded into the same typed body; other
    /// types arrive as bytes.
    public var contentTypes: [String]
    /// The preferred media type.
    public var contentType: String { contentTypes.first ?? "application/octet-stream" }
    /// Whether a request without a body (or with an empty one) is rejected (422).
    public var required: Bool
    /// The schema, as a URI reference into ``ServiceDescription/schemaDocuments``.
    public var schema: String
    /// How the fields of a form body are read, each as a query parameter of the same
    /// type and style would be (OpenAPI's `encoding`); a field not listed is read as a string.
    public var fields: [ParameterDescription]
    /// The file parts of a `multipart/form-data` body: each is streamed to a temporary file
    /// and handed over as an ``UploadedFile``.
    public var files: [FilePartDescription]
    /// The bounds of a `multipart/form-data` body (other bodies are bounded by the
    /// configuration's `maxBodySize`).
    public var limits: BodyLimits
    /// The header fields declared for parts of a `multipart/form-data` body (OpenAPI's
    /// `encoding.headers`), by part name, each read and validated as a header parameter.
    public var partHeaders: [String: [ParameterDescription]]

    /// Creates a description of a body in one media type.
    public init(
        contentType: String, required: Bool, schema: String, fields: [ParameterDescription] = [], files: [FilePartDescription] = [],
        partHeaders: [String: [ParameterDescription]] = [:], limits: BodyLimits = BodyLimits()
    ) {
        self.init(contentTypes: [contentType], required: required, schema: schema, fields: fields, files: files, partHeaders: partHeaders, limits: limits)
    }

    /// Creates a description of a body accepted in several media types; generated code calls this.
    public init(
        contentTypes: [String], required: Bool, schema: String, fields: [ParameterDescription] = [], files: [FilePartDescription] = [],
        partHeaders: [String: [ParameterDescription]] = [:], limits: BodyLimits = BodyLimits()
    ) {
        self.contentTypes = contentTypes
        self.required = required
        self.schema = schema
        self.fields = fields
        self.files = files
        self.limits = limits
        self.partHeaders = partHeaders
    }
}

/// A file part of a `multipart/form-data` body: a body property declared as a file.
public struct FilePartDescription: Sendable {
    /// The part's name (the property's).
    public var name: String
    /// Whether the body must carry it (the schema's `required`).
    public var required: Bool
    /// Whether several parts of that name are taken (an array of files).
    public var multiple: Bool
    /// The media types a part may have (`image/png`, `image/*`); empty: any. A part in another
    /// is answered 415, naming the part.
    public var contentTypes: [String]
    /// The most bytes one file may have (the property's `maxLength`); nil: only the body's
    /// limit. A larger file is answered 413, naming the part, as soon as it is seen.
    public var maxBytes: Int?

    /// Creates a description; generated code calls this.
    public init(name: String, required: Bool, multiple: Bool = false, contentTypes: [String] = [], maxBytes: Int? = nil) {
        self.name = name
        self.required = required
        self.multiple = multiple
        self.contentTypes = contentTypes
        self.maxBytes = maxBytes
    }
}

/// How much a `multipart/form-data` body may carry (413 beyond a size, 400 beyond the parts);
/// nil: the configuration's default (`maxUploadSize`, `maxMultipartParts`, `maxBodySize` for
/// one field).
public struct BodyLimits: Sendable, Hashable {
    /// The most bytes of the whole body.
    public var maxBytes: Int?
    /// The most parts.
    public var maxParts: Int?
    /// The most bytes of one field that is not a file.
    public var maxFieldBytes: Int?

    /// Creates limits; generated code calls this with the declaration's.
    public init(maxBytes: Int? = nil, maxParts: Int? = nil, maxFieldBytes: Int? = nil) {
        self.maxBytes = maxBytes
        self.maxParts = maxParts
        self.maxFieldBytes = maxFieldBytes
    }
}

/// One declared response of an operation.
public struct ResponseDescription: Sendable {
    /// The status it describes: a code, a range (`4XX`) or `default`.
    public var status: Status
    /// The declared `Content-Type`; nil when the response has no body. It defaults to
    /// `application/json` for a schema and `application/octet-stream` for a stream.
    public var contentType: String?
    /// The body's schema, as a URI reference, if the response has a body.
    public var schema: String?

    /// Creates a description; generated code calls this.
    public init(status: Status, contentType: String?, schema: String?) {
        self.status = status
        self.contentType = contentType
        self.schema = schema
    }

    /// The statuses a declared response describes.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// One status code: `.code(404)`.
        case code(Int)
        /// Every code of a class, OpenAPI's `4XX`: `.range(4)`.
        case range(Int)
        /// Every code no other response of the operation describes.
        case `default`

        /// As OpenAPI writes it: `404`, `4XX`, `default`.
        public var description: String {
            switch self {
            case .code(let code): String(code)
            case .range(let hundreds): "\(hundreds)XX"
            case .default: "default"
            }
        }
    }
}
