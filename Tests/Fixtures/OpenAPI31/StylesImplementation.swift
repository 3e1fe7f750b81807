import TrellisCore

/// The handlers of the OpenAPI 3.1 fixture: each answers what the runtime read, so that
/// the tests see every parameter style's value.
public struct StylesImplementation: StylesService {
    public init() {}

    /// The document's `apiKey` (every operation) and `bearer` schemes.
    public var securityVerifiers: [String: any SecurityVerifier.Type] { ["apiKey": FixtureKey.self, "bearer": FixtureToken.self] }

    public func echoStyles(_ input: Styles.EchoStyles.Input) async throws -> Styles.EchoStyles.Output {
        func point(_ point: Point?) -> String { point.map { "(\($0.x),\($0.y))" } ?? "-" }
        let filter = input.filter.map { "\($0.color?.rawValue ?? "-"),\($0.size.map(String.init) ?? "-")" } ?? "-"
        let parts = [
            "simple=\(input.simple)", "label=\(input.label)", "matrix=\(input.matrix)", "point=\(point(input.point))",
            "form=\(input.form ?? [])", "csv=\(input.csv ?? [])", "space=\(input.space ?? [])", "pipe=\(input.pipe ?? [])",
            "filter=\(filter)", "corner=\(point(input.corner))", "limit=\(input.limit)", "ids=\(input.xIds ?? [])",
            "xpoint=\(point(input.xPoint))", "session=\(input.session ?? "-")",
        ]
        return .ok(Echo(text: parts.joined(separator: " ")))
    }

    public func createItem(_ input: Styles.CreateItem.Input) async throws -> Styles.CreateItem.Output {
        // An answer its `4XX` schema forbids (minLength), for the response-validation test.
        if input.body.name == "blank-problem" { return .clientError(statusCode: 409, Problem(detail: "")) }
        if input.body.name == "taken" { return .clientError(statusCode: 409, Problem(detail: "an item of that name exists")) }
        return .created(input.body, headers: .init(location: "/items/1"))
    }
}

/// `X-API-Key: fixture-key`.
public enum FixtureKey: SecurityVerifier {
    public static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> String? {
        guard case .apiKey(let key) = credential, ConstantTime.equals(key, "fixture-key") else { return nil }
        return key
    }
}

/// `Authorization: Bearer fixture-token`.
public enum FixtureToken: SecurityVerifier {
    public static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> String? {
        guard case .bearer(let token) = credential, ConstantTime.equals(token, "fixture-token") else { return nil }
        return token
    }
}
