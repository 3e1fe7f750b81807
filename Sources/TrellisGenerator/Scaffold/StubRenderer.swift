/// Renders handler stubs: each documented and declared like the protocol requirement,
/// answering the declared example of its successful response when there is one, else
/// throwing `NotImplementedError` (which the runtime answers with a 501).
struct StubRenderer {
    /// The type the stubs belong to.
    let typeName: String
    let protocolName: String
    /// `public `, `package ` or nothing: what the methods need to witness the protocol.
    let access: String
    /// The service's title, for the documentation of a new type.
    let title: String
    /// What the stub of an operation answers, by operation id (its declared example); the
    /// others throw `NotImplementedError`.
    var answers: [String: String] = [:]

    /// The opening of a new stubs file: what it is, whose it is, and its import.
    static func fileHeader(protocolName: String, declarationPath: String, readsJSON: Bool = false) -> String {
        """
        // Handler stubs for \(protocolName), written by `trellis scaffold` from \(declarationPath).
        // This file is yours: replace each stub's body with the operation's code. `trellis scaffold`
        // never rewrites it; it only appends stubs for operations that have no handler yet.

        import TrellisCore
        \(readsJSON ? "import TrellisJSON\n" : "")

        """
    }

    /// `extension X { stubs }` (`extension X: P` when the conformance is added too).
    func extensionBlock(_ signatures: [HandlerSignature], addingConformance: Bool) -> String {
        var writer = CodeWriter()
        writer.block("extension \(typeName)" + (addingConformance ? ": \(protocolName)" : "")) { w in stubs(signatures, into: &w) }
        return writer.text
    }

    /// `struct X: P { stubs }`, documented.
    func newType(_ signatures: [HandlerSignature]) -> String {
        var writer = CodeWriter()
        writer.documentation(["\(title): one handler per operation of `\(protocolName)`."])
        writer.block("struct \(typeName): \(protocolName)") { w in stubs(signatures, into: &w) }
        return writer.text
    }

    /// The `securityVerifiers` of the type (when `bindings` is not nil), and one verifier stub
    /// per entry of `stubs` that refuses every credential (401) until it is written: a declared
    /// requirement is never open.
    func verifiers(binding bindings: [(scheme: String, typeName: String)]?, stubs verifiers: [(scheme: String, description: String, typeName: String)])
        -> String
    {
        var writer = CodeWriter()
        if let bindings {
            writer.block("extension \(typeName)") { w in
                w.documentation(["The verifier of each security scheme the operations require: the application does not start without them."])
                let entries = bindings.map { "\(SwiftNaming.stringLiteral($0.scheme)): \($0.typeName).self" }.joined(separator: ", ")
                w.line(access + "var securityVerifiers: [String: any SecurityVerifier.Type] { [\(entries)] }")
            }
        }
        for (index, verifier) in verifiers.enumerated() {
            if bindings != nil || index > 0 { writer.line() }
            writer.documentation([
                "Verifies the credential of the security scheme `\(verifier.scheme)`: \(verifier.description).",
                "A stub: it refuses every credential (401) until it checks them.",
            ])
            writer.block("enum \(verifier.typeName): SecurityVerifier") { w in
                w.block("static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> String?") { body in
                    body.line("// Return the caller's identity (any type) for a valid credential, nil to refuse it.")
                    body.line("nil")
                }
            }
        }
        return writer.text
    }

    private func stubs(_ signatures: [HandlerSignature], into writer: inout CodeWriter) {
        for (index, signature) in signatures.enumerated() {
            if index > 0 { writer.line() }
            writer.documentation(signature.documentation)
            writer.block(access + signature.declaration) { body in
                if let answer = answers[signature.id] {
                    body.line("// The declared example, until the operation is written.")
                    body.line(answer)
                } else {
                    body.line("throw NotImplementedError(operation: \(SwiftNaming.stringLiteral(signature.id)))")
                }
            }
        }
    }
}
