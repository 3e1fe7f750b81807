/// Everything the runtime needs to serve a generated service, as data: its operations,
/// their parameters, bodies and responses, the schema documents to validate them with,
/// and the OpenAPI document. The generator writes one per service declaration.
public struct ServiceDescription: Sendable {
    /// The service's Swift name.
    public var name: String
    /// The OpenAPI 3.1 document, as JSON text.
    public var openAPIDocument: String
    /// Every schema document of the service by URI (the declaration included), as JSON
    /// text: the registry that parameter, body and response schemas resolve in.
    public var schemaDocuments: [String: String]
    /// The operations, in declaration order.
    public var operations: [OperationDescription]
    /// The WebSocket routes, in declaration order.
    public var webSockets: [WebSocketDescription]

    /// Creates a description; generated code calls this once per service, as its `serviceDescription`.
    public init(
        name: String, openAPIDocument: String, schemaDocuments: [String: String], operations: [OperationDescription],
        webSockets: [WebSocketDescription] = []
    ) {
        self.name = name
        self.openAPIDocument = openAPIDocument
        self.schemaDocuments = schemaDocuments
        self.operations = operations
        self.webSockets = webSockets
    }
}

/// A WebSocket route of a service: where it is, and the schemas of the messages each side
/// sends (JSON text messages).
public struct WebSocketDescription: Sendable {
    /// The route's id in the declaration (what `handleWebSocket(_:transport:)` dispatches on).
    public var id: String
    /// The path (no parameters).
    public var path: String
    /// The schema every message from the client is validated against, as a URI reference
    /// into ``ServiceDescription/schemaDocuments``.
    public var receive: String
    /// The schema of the messages the server sends.
    public var send: String

    /// A description; generated code makes one per declared WebSocket.
    public init(id: String, path: String, receive: String, send: String) {
        self.id = id
        self.path = path
        self.receive = receive
        self.send = send
    }
}

/// One operation of a service.
public struct OperationDescription: Sendable {
    /// The operation's id: its key in the declaration's `operations` and its OpenAPI `operationId`.
    /// The runtime passes it to ``GeneratedService/handle(operation:from:)``.
    public var id: String
    /// `GET`, `POST`, ...
    public var method: String
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

    /// Creates a description; generated code calls this once per operation, as its `operationDescription`.
    public init(
        id: String, method: String, path: String, parameters: [ParameterDescription], body: BodyDescription?,
        responses: [ResponseDescription], dependencies: [String]
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.parameters = parameters
        self.body = body
        self.responses = responses
        self.dependencies = dependencies
    }
}

/// Where a parameter is read from.
public enum ParameterLocation: String, Sendable, Hashable {
    /// A path template segment, a query item, a header field or a cookie.
    case path, query, header, cookie
}

/// One parameter of an operation.
public struct ParameterDescription: Sendable {
    /// The name as the request carries it: the path template's `{name}`, the query key, the header
    /// field name (matched case-insensitively) or the cookie name.
    public var name: String
    /// Where the parameter is read from.
    public var location: ParameterLocation
    /// Whether a request without the parameter is rejected (422); when the parameter has a
    /// ``defaultValue``, the default is used instead.
    public var required: Bool
    /// The schema, as a URI reference into ``ServiceDescription/schemaDocuments``.
    public var schema: String
    /// Whether the value is an array, and how a query array is written.
    public var style: Style
    /// The JSON type the text is coerced to (`integer`, `number`, `boolean`, `string`, or
    /// `array` of one of these).
    public var type: String
    /// The JSON type of an array's items.
    public var itemType: String?
    /// The JSON types of an object's properties (an `object` parameter); a property not
    /// listed is read as a string.
    public var propertyTypes: [String: String]
    /// The default, as JSON text, applied when the parameter is absent.
    public var defaultValue: String?
    /// OpenAPI's `explode`: whether an array's items (an object's members) are written as
    /// separate values (`?id=1&id=2`, `.1.2`, `;id=1;id=2`, `role=admin,name=Al`) rather than
    /// in one (`?id=1,2`, `.1,2`, `;id=1,2`, `role,admin,name,Al`).
    public var explode: Bool

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
        type: String, itemType: String? = nil, defaultValue: String? = nil, explode: Bool? = nil, propertyTypes: [String: String] = [:]
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
    /// The declared media type (`application/json` unless the declaration says otherwise). The
    /// runtime answers 415 to a body of another type; for a JSON type it also accepts
    /// `application/json` and any `+json` type. Only JSON bodies are parsed and validated.
    public var contentType: String
    /// Whether a request without a body (or with an empty one) is rejected (422).
    public var required: Bool
    /// The schema, as a URI reference into ``ServiceDescription/schemaDocuments``.
    public var schema: String

    /// Creates a description; generated code calls this.
    public init(contentType: String, required: Bool, schema: String) {
        self.contentType = contentType
        self.required = required
        self.schema = schema
    }
}

/// One declared response of an operation.
public struct ResponseDescription: Sendable {
    /// `200`, ..., a range (`2XX`, ... `5XX`) or `default`.
    public var status: String
    /// The declared `Content-Type`; nil when the response has no body. It defaults to
    /// `application/json` for a schema and `application/octet-stream` for a stream.
    public var contentType: String?
    /// The body's schema, as a URI reference, if the response has a body.
    public var schema: String?

    /// Creates a description; generated code calls this.
    public init(status: String, contentType: String?, schema: String?) {
        self.status = status
        self.contentType = contentType
        self.schema = schema
    }
}
