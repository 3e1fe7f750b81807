internal import HTTPTypes
internal import TrellisCore
internal import TrellisJSON

/// The validated values of one request, as generated inputs read them.
struct RequestInputSource: OperationInputSource {
    /// `location:name` → value (after coercion, defaults and validation).
    let parameters: [String: JSONValue]
    let body: JSONValue?
    let raw: [UInt8]?
    /// The request's dependencies; nil when the operation declares none.
    let scope: DependencyScope?

    func parameter<T: Decodable>(_ name: String, in location: ParameterLocation, as type: T.Type) throws -> T? {
        guard let value = parameters[location.rawValue + ":" + name], !value.isNull else { return nil }
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
}

/// An input that asks for a dependency its operation does not declare (a generated input
/// never does).
struct UndeclaredDependencyError: Error, CustomStringConvertible {
    let dependency: String
    var description: String { "the operation does not declare the dependency \(dependency)" }
}
