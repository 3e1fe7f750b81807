/// The method of the service protocol that handles one operation or WebSocket: its name,
/// signature and documentation, as the protocol declares it and as handler stubs repeat it.
struct HandlerSignature {
    /// The operation's (or WebSocket's) id.
    let id: String
    /// The handler's name: `getPet` → `getPet` (escaped when it is a keyword).
    let methodName: String
    /// The types of the handler's unlabelled parameters: `[Petstore.GetPet.Input]`, or
    /// `[WebSocketSession<...>]` for a WebSocket (its `Input` first when it takes one).
    let parameterTypes: [String]
    /// `func getPet(_ input: Petstore.GetPet.Input) async throws -> Petstore.GetPet.Output`.
    let declaration: String
    /// The documentation lines (without `///`).
    let documentation: [String]

    /// The handler of an operation.
    init(operation: OperationDeclaration, namespace: String) {
        let qualified = namespace + "." + Self.typeName(of: operation)
        id = operation.id
        methodName = Self.methodName(of: operation)
        parameterTypes = [qualified + ".Input"]
        declaration = "func \(methodName)(_ input: \(qualified).Input) async throws -> \(qualified).Output"
        documentation = Self.documentation(of: operation)
    }

    /// The handler of a WebSocket route.
    init(webSocket: WebSocketDeclaration, namespace: String) {
        let qualified = namespace + "." + SwiftNaming.typeName(webSocket.id)
        id = webSocket.id
        methodName = SwiftNaming.memberName(webSocket.id)
        let session = "WebSocketSession<\(qualified).Receive, \(qualified).Send>"
        if webSocket.takesInput {
            parameterTypes = [qualified + ".Input", session]
            declaration = "func \(methodName)(_ input: \(qualified).Input, _ session: \(session)) async throws"
        } else {
            parameterTypes = [session]
            declaration = "func \(methodName)(_ session: \(session)) async throws"
        }
        var lines = ["`WebSocket \(webSocket.path)`" + (webSocket.summary.map { ": " + $0 } ?? "")]
        if let description = webSocket.description {
            lines += [""] + description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        }
        documentation = lines
    }

    /// `Petstore` → `PetstoreService`.
    static func protocolName(forService name: String) -> String { name + "Service" }

    /// The operation's namespace type: `getPet` → `GetPet`.
    static func typeName(of operation: OperationDeclaration) -> String {
        operation.swiftName.isEmpty ? SwiftNaming.typeName(operation.id) : operation.swiftName
    }

    /// The handler's name: `getPet` → `getPet` (escaped when it is a keyword).
    static func methodName(of operation: OperationDeclaration) -> String {
        operation.swiftMethodName.isEmpty ? SwiftNaming.memberName(operation.id) : operation.swiftMethodName
    }

    /// The documentation of the operation's namespace and handler (lines without `///`):
    /// method and path, summary, description, deprecation.
    static func documentation(of operation: OperationDeclaration) -> [String] {
        var lines = ["`\(operation.method) \(operation.path)`" + (operation.summary.map { ": " + $0 } ?? "")]
        if let description = operation.description {
            lines.append("")
            lines += description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        }
        if operation.deprecated { lines += ["", "- Warning: deprecated."] }
        return lines
    }
}
