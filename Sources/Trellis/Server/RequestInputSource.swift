internal import HTTPTypes
internal import TrellisCore
internal import TrellisJSON

/// The validated values of one request, as generated inputs read them.
struct RequestInputSource: OperationInputSource {
    /// The parameters' values (after coercion, defaults and validation).
    let parameters: ParameterValues
    let body: JSONValue?
    let raw: [UInt8]?
    /// The request's dependencies; nil when the operation declares none.
    let scope: DependencyScope?
    /// The negotiated media type of the answer, for an operation that answers in several.
    var responseContentType: String? = nil

    func parameter<T: Decodable>(_ key: ParameterKey, as type: T.Type) throws -> T? {
        guard let value = parameters[key], !value.isNull else { return nil }
        return try JSONBody.read(type, from: value)
    }

    func body<T: Decodable>(as type: T.Type) throws -> T? {
        guard let body, !body.isNull else { return nil }
        return try JSONBody.read(type, from: body)
    }

    func rawBody() throws -> [UInt8]? { raw }

    func dependency<D: Dependency>(_ type: D.Type) async throws -> D.Value {
        guard let scope else { throw UndeclaredDependencyError(dependency: String(describing: type)) }
        return try await scope.resolve(type)
    }

    func identity<V: SecurityVerifier>(_ verifier: V.Type) -> V.Value? { scope?.identity(verifier) }
}

/// The values of a request's parameters, found by their key.
struct ParameterValues: Sendable {
    let parameters: [CompiledService.Parameter]
    /// By position, as ``parameters``; empty when the request carries none.
    let values: [JSONValue?]

    /// The value of the parameter `key`; an operation has few parameters, so a scan is the
    /// fastest way there (no hashing).
    subscript(key: ParameterKey) -> JSONValue? {
        for index in values.indices where parameters[index].key == key { return values[index] }
        return nil
    }
}

/// An input that asks for a dependency its operation does not declare (a generated input
/// never does).
struct UndeclaredDependencyError: Error, CustomStringConvertible {
    let dependency: String
    var description: String { "the operation does not declare the dependency \(dependency)" }
}
