internal import HTTPTypes
internal import NIOCore
internal import Synchronization
internal import TrellisCore
internal import TrellisJSON

/// What an upgrade request to a WebSocket route must pass before the upgrade, in the order an
/// operation's request does: the route's security, then its parameters (validated together,
/// a 422 listing every issue), then its input (the dependencies it declares, any of which may
/// refuse it). The handshake gate runs them once and hands what it admitted to the upgrader
/// through a ``Holder`` in the connection's pipeline; the responder runs them again to answer
/// a refusal as HTTP does.
enum WebSocketAdmission {
    /// An admitted request: the scope its identities and dependencies live in (torn down when
    /// the session ends), and the route's input.
    struct Admitted: Sendable {
        let scope: DependencyScope?
        let input: (any Sendable)?
    }

    /// Checks an upgrade request to `route`, whose path parameters are `pathValues`; with
    /// `readsInput`, reads the route's input too.
    /// - Throws: The security's `HTTPError` (401, 403), `RequestValidationError` (422), or what
    ///   reading the input throws; the scope is torn down first.
    static func admit(
        _ route: CompiledService.WebSocketRoute, pathValues: [String], uri: String, fields: HTTPFields, settings: WebSocketHandshakeGate.Settings,
        readsInput: Bool
    ) async throws -> Admitted {
        guard route.needsAdmission else { return Admitted(scope: nil, input: nil) }
        let needsScope = route.security != nil || route.handler.takesInput
        let (query, malformedQuery) = uri.firstIndex(of: "?").map { PercentDecoding.query(uri[uri.index(after: $0)...]) } ?? ([], [])
        let cookies = TrellisResponder.cookies(fields[values: .cookie])
        let scope = needsScope ? WebSocketHandshakeGate.scope(uri: uri, fields: fields, route: route, settings: settings) : nil
        do {
            if let gate = route.security, let scope {
                try await gate.check(SecurityGate.Credentials(headers: fields, query: query, cookies: { cookies }), in: scope)
            }
            let (values, issues) = try TrellisResponder.readParameters(
                route.parameters, pathValues: pathValues, query: query, headers: fields, cookies: cookies, templates: route.issueTemplates,
                validates: true, malformedQuery: malformedQuery)
            if !issues.isEmpty { throw RequestValidationError(issues: issues) }
            let parameters = ParameterValues(parameters: route.parameters, values: values)
            scope?.provideParameters { key in parameters[key] }
            guard readsInput, route.handler.takesInput else { return Admitted(scope: scope, input: nil) }
            let source = RequestInputSource(parameters: parameters, body: nil, raw: nil, scope: scope)
            return Admitted(scope: scope, input: try await route.handler.readInput(from: source))
        } catch {
            if let scope { _ = await scope.tearDown(after: error) }
            throw error
        }
    }

    /// What the gate admitted on a connection, until the upgrader takes it: a pass-through
    /// handler of the connection's own. Removed without being taken (the connection closed
    /// before the upgrade), it tears the admission's scope down.
    final class Holder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = NIOAny
        private let admitted: Mutex<Admitted?>

        init(_ admitted: Admitted) { self.admitted = Mutex(admitted) }

        /// The admission, once.
        func take() -> Admitted? {
            admitted.withLock { value in
                defer { value = nil }
                return value
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let scope = take()?.scope { Task { _ = await scope.tearDown(after: nil) } }
        }
    }
}
