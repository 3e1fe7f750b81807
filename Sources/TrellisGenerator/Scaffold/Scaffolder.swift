internal import TrellisJSON

/// What the scaffolder found and what to append to the stubs file.
public struct ScaffoldOutput: Sendable {
    /// The file the stubs go into, as a key of the sources (the given path, or
    /// `<Name>Service+Stubs.swift` by default); empty when generation failed.
    public var stubsPath: String
    /// The text to append to the stubs file (the whole file when it does not exist yet);
    /// empty when every operation is implemented or generation failed.
    public var text: String
    /// The handlers that got a stub (`getPet`), in the declaration's order.
    public var stubbedMethods: [String]
    /// The type the stubs extend (or declare): the one that conforms to the service
    /// protocol; nil when generation failed.
    public var typeName: String?
    /// Whether ``text`` declares ``typeName`` (no type conformed to the protocol yet).
    public var declaresType: Bool
    /// The generator's diagnostics (the stubs are written only without errors), plus notes.
    public var diagnostics: [Diagnostic]
}

/// Writes `async` handler stubs for the operations a service's implementation does not
/// handle yet: a pure function of the declaration and the target's Swift source.
///
/// It finds the type that conforms to the generated protocol (`struct X: PetstoreService`
/// or `extension X: PetstoreService`), the handlers already written anywhere in the
/// sources (in that type, its extensions, or an extension of the protocol; comments and
/// string literals do not count), and returns an `extension X` with one stub per missing
/// handler, documented like the protocol requirement, that throws
/// `NotImplementedError` (the runtime answers 501). With no conforming type, it declares
/// `struct <Name>Implementation: <Name>Service` with every stub.
///
/// ```swift
/// let output = Scaffolder.scaffold(input, sources: ["Handlers.swift": text])
/// if !output.text.isEmpty { /* append output.text to output.stubsPath */ }
/// ```
public enum Scaffolder {
    /// Scaffolds the handlers missing from `sources` (path → Swift text; the stubs file
    /// included when it exists). `stubsPath` is where the stubs go (default
    /// `<Name>Service+Stubs.swift`), in the same terms as the keys of `sources`.
    public static func scaffold(_ input: GeneratorInput, sources: [String: String], stubsPath: String? = nil) -> ScaffoldOutput {
        let generated = Generator.generate(input)
        var output = ScaffoldOutput(
            stubsPath: stubsPath ?? "", text: "", stubbedMethods: [], typeName: nil, declaresType: false, diagnostics: generated.diagnostics)
        guard !generated.diagnostics.contains(where: { $0.severity == .error }), let declaration = readDeclaration(input) else { return output }

        let namespace = declaration.name
        let protocolName = HandlerSignature.protocolName(forService: namespace)
        let path = stubsPath ?? protocolName + "+Stubs.swift"
        output.stubsPath = path
        let code = ScannedSources(sources)
        let target = code.target(conformingTo: protocolName, fallback: namespace + "Implementation")
        if let note = target.note { output.diagnostics.append(note) }

        let signatures =
            declaration.operations.map { HandlerSignature(operation: $0, namespace: namespace) }
            + declaration.webSockets.map { HandlerSignature(webSocket: $0, namespace: namespace) }
        let missing = signatures.filter { !code.implements($0, in: target.name, protocolName: protocolName) }
        let typeName = target.name ?? namespace + "Implementation"
        output.typeName = typeName
        output.declaresType = target.name == nil
        // The schemes the operations require need verifiers, or the application does not start.
        let schemes = code.declares(property: "securityVerifiers", in: target.name) ? [] : requiredSchemes(declaration)
        guard !missing.isEmpty || !schemes.isEmpty else { return output }
        output.stubbedMethods = missing.map { SwiftNaming.unescaped($0.methodName) }

        let existing = sources[path] ?? ""
        var text: String
        if existing.allSatisfy(\.isWhitespace) {
            text = StubRenderer.fileHeader(protocolName: protocolName, declarationPath: input.declarationPath)
        } else {
            text = (existing.hasSuffix("\n") ? "" : "\n") + "\n"
            if !code.imports(in: path).contains("TrellisCore") { text += "import TrellisCore\n\n" }
            text += "// Added by `trellis scaffold`: stubs for the operations that had no handler.\n"
        }
        let renderer = StubRenderer(
            typeName: typeName, protocolName: protocolName, access: code.access(of: typeName),
            title: declaration.info["title"]?.stringValue ?? namespace)
        if target.name == nil {
            text += renderer.newType(missing)
        } else if !missing.isEmpty {
            text += renderer.extensionBlock(missing, addingConformance: target.addsConformance)
        }
        if !schemes.isEmpty {
            var used: Set<String> = []
            let verifiers = schemes.map { scheme in
                var name = SwiftNaming.typeName(scheme.name) + "Verifier"
                while code.declaresType(name) || used.contains(name) { name += "Stub" }
                used.insert(name)
                return (scheme: scheme.name, description: scheme.description, typeName: name)
            }
            text += (text.hasSuffix("\n\n") || text.isEmpty ? "" : "\n") + renderer.verifiers(verifiers)
        }
        output.text = text
        return output
    }

    /// The security schemes the operations and WebSockets require, in the order they are
    /// first required, each with what its credential is.
    private static func requiredSchemes(_ declaration: ServiceDeclaration) -> [(name: String, description: String)] {
        let requirements = declaration.operations.map { declaration.security(of: $0) } + declaration.webSockets.map { $0.security ?? declaration.security }
        var names: [String] = []
        for requirement in requirements.compactMap({ $0?.arrayValue }).joined() {
            for (name, _) in requirement.objectValue ?? JSONObject() where !names.contains(name) { names.append(name) }
        }
        return names.map { name in
            let scheme = declaration.securitySchemes?[name]
            let description: String
            switch scheme?["type"]?.stringValue {
            case "apiKey":
                description = "an API key in the \(scheme?["in"]?.stringValue ?? "header") `\(scheme?["name"]?.stringValue ?? name)`: `.apiKey(key)`"
            case "http" where scheme?["scheme"]?.stringValue?.lowercased() == "basic":
                description = "HTTP Basic: `.basic(username:password:)`"
            case "http" where scheme?["scheme"]?.stringValue?.lowercased() == "bearer", "oauth2", "openIdConnect":
                description = "a bearer token: `.bearer(token)`"
            case "http":
                description = "`Authorization: \(scheme?["scheme"]?.stringValue ?? "")`: `.authorization(scheme:credentials:)`"
            default:
                description = "mutual TLS: `.mutualTLS`"
            }
            return (name, description)
        }
    }

    /// The declaration, read again and named as generation names it (generation
    /// succeeded, so it reads cleanly).
    private static func readDeclaration(_ input: GeneratorInput) -> ServiceDeclaration? {
        let files = SourceFiles(input.files)
        var ignored = Diagnostics()
        files.parseAll(into: &ignored)
        guard let root = files.json[input.declarationPath] else { return nil }
        var declaration: ServiceDeclaration?
        if Generator.isOpenAPIPath(input.declarationPath) {
            var reader = OpenAPIReader(files: files, path: input.declarationPath)
            declaration = reader.read()
        } else {
            var reader = DeclarationReader(files: files, path: input.declarationPath)
            declaration = reader.read(root)
        }
        guard var declaration else { return nil }
        _ = Generator.nameModelsAndOperations(&declaration, declarationPath: input.declarationPath, files: files)
        return declaration
    }
}
