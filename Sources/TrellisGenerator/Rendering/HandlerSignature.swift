/// The method of the service protocol that handles one operation: its name, signature and
/// documentation, as the protocol declares it and as handler stubs repeat it.
struct HandlerSignature {
    let operation: OperationDeclaration
    /// The service's namespace (`Petstore`).
    let namespace: String

    /// `Petstore` → `PetstoreService`.
    static func protocolName(forService name: String) -> String { name + "Service" }

    /// The operation's namespace type: `getPet` → `GetPet`.
    static func typeName(of operation: OperationDeclaration) -> String { SwiftNaming.typeName(operation.id) }

    /// The handler's name: `getPet` → `getPet` (escaped when it is a keyword).
    static func methodName(of operation: OperationDeclaration) -> String { SwiftNaming.memberName(operation.id) }

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

    var methodName: String { Self.methodName(of: operation) }
    /// `Petstore.GetPet`.
    var qualifiedTypeName: String { namespace + "." + Self.typeName(of: operation) }
    /// `Petstore.GetPet.Input`.
    var inputType: String { qualifiedTypeName + ".Input" }
    var documentation: [String] { Self.documentation(of: operation) }

    /// `func getPet(_ input: Petstore.GetPet.Input) async throws -> Petstore.GetPet.Output`.
    var declaration: String {
        "func \(methodName)(_ input: \(inputType)) async throws -> \(qualifiedTypeName).Output"
    }
}
