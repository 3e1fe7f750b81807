internal import HTTPTypes
import Synchronization
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// Checks, on the client's side, what a client sends and what it receives against the
/// service's own schemas, so that drift between a server and its clients is caught where it
/// happens: a request that does not validate is not sent, an answer that does not validate is
/// an error rather than a value.
///
/// Generated clients validate by default in debug builds and not in release builds; pass
/// `validation:` to choose.
///
/// ```swift
/// let client = try PetstoreClient(baseURL: url, transport: transport, validation: .requestsAndAnswers)
/// ```
public struct ClientValidation: Sendable {
    /// What a client validates.
    public struct Checks: OptionSet, Sendable, Hashable {
        /// The checks, one bit each.
        public let rawValue: Int
        /// Creates a set of checks.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Parameters and JSON, form and multipart bodies, before the request is sent.
        public static let requests = Checks(rawValue: 1)
        /// JSON answers, against the schema of the response for their status.
        public static let answers = Checks(rawValue: 2)
    }

    /// Nothing is validated.
    public static let none = ClientValidation(checks: [])
    /// Requests and answers are validated.
    public static let requestsAndAnswers = ClientValidation(checks: [.requests, .answers])
    /// What generated clients do unless told otherwise: ``requestsAndAnswers`` in debug
    /// builds, ``none`` in release builds (where the server validates anyway).
    public static var `default`: ClientValidation {
        #if DEBUG
            requestsAndAnswers
        #else
            ClientValidation.none
        #endif
    }

    /// What is validated.
    public var checks: Checks

    /// Validation of `checks`.
    public init(checks: Checks) { self.checks = checks }
}

/// The compiled validators of one service, made as they are first needed.
final class ServiceValidators: Sendable {
    private let service: ServiceDescription
    private let state = Mutex<State>(State())

    private struct State {
        var registry: SchemaRegistry?
        var validators: [String: Validator] = [:]
    }

    init(service: ServiceDescription) { self.service = service }

    /// The validator of the schema `reference`.
    func validator(_ reference: String, formats: Bool) throws(TrellisClientError) -> Validator {
        let key = (formats ? "f " : "  ") + reference
        let service = self.service
        let result: Result<Validator, TrellisClientError> = state.withLock { state in
            if let validator = state.validators[key] { return .success(validator) }
            if state.registry == nil {
                var registry = SchemaRegistry()
                for (uri, text) in service.schemaDocuments {
                    guard let document = try? JSON(parsing: text, options: JSONParseOptions(maxDepth: 4096, largeIntegers: .approximate)) else {
                        return .failure(.invalidRequest("the service's schema document \(uri) is not JSON"))
                    }
                    registry.register(document, as: uri)
                }
                state.registry = registry
            }
            do {
                let validator = try Validator(
                    reference: reference, registry: state.registry ?? SchemaRegistry(), options: ValidatorOptions(formatAssertion: formats))
                state.validators[key] = validator
                return .success(validator)
            } catch {
                return .failure(.invalidRequest("the schema \(reference) does not compile: \(error)"))
            }
        }
        return try result.get()
    }

    /// The issues of `request`'s parameters and body, each as `location name: message`.
    func issues(of request: OperationRequest) throws(TrellisClientError) -> [String] {
        var issues: [String] = []
        let operation = request.operation
        for parameter in operation.parameters {
            let value = request.parameterValues.last { $0.key == parameter.key }?.value
            guard let value, value != .null else {
                if parameter.required, parameter.defaultValue == nil { issues.append("\(parameter.key): the parameter is required") }
                continue
            }
            for error in try validator(parameter.schema, formats: true).validate(value) {
                issues.append("\(parameter.key)\(Self.location(error)): \(error.message)")
            }
        }
        guard let body = operation.body else { return issues }
        let instance: JSON?
        if let object = request.bodyObject {
            instance = object
        } else if let bytes = request.body, let type = request.headerFields[.contentType]?.lowercased(),
            type.hasPrefix("application/json") || type.split(separator: ";").first?.hasSuffix("+json") == true
        {
            instance = try? JSON(parsing: bytes, options: JSONParseOptions(largeIntegers: .approximate))
        } else {
            instance = nil
        }
        if let instance {
            for error in try validator(body.schema, formats: true).validate(instance) { issues.append("body\(Self.location(error)): \(error.message)") }
        } else if body.required, request.body == nil {
            issues.append("body: the body is required")
        }
        return issues
    }

    /// The issues of a JSON answer against its response's schema, each as `location: message`.
    func issues(of response: ClientResponse, operation: OperationDescription) throws(TrellisClientError) -> [String] {
        guard let mediaType = response.mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else { return [] }
        let code = response.statusCode
        let candidates =
            operation.responses.filter { $0.status == .code(code) }.nonEmpty
            ?? operation.responses.filter { $0.status == .range(code / 100) }.nonEmpty
            ?? operation.responses.filter { $0.status == .default }
        let declared = candidates.first { ($0.contentType?.lowercased()).map { $0 == mediaType || $0.hasSuffix("+json") } ?? true } ?? candidates.first
        guard let reference = declared?.schema else { return [] }
        // A body that does not parse is the output's error to report.
        guard let instance = try? JSON(parsing: response.body, options: JSONParseOptions(largeIntegers: .approximate)) else { return [] }
        return try validator(reference, formats: false).validate(instance).map { "body\(Self.location($0)): \($0.message)" }
    }

    private static func location(_ error: ValidationError) -> String {
        error.instancePath.isEmpty ? "" : " " + error.instanceLocation.description
    }
}

extension Array {
    fileprivate var nonEmpty: Self? { isEmpty ? nil : self }
}
