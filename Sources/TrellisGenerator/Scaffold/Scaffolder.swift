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
        guard !generated.diagnostics.contains(where: { $0.severity == .error }), let (declaration, translator) = readDeclaration(input) else { return output }

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
        // The schemes the operations require need verifiers, or the application does not start:
        // those the declaration names are bound by generated code (their types stubbed when
        // the sources do not declare them); the others are bound here, to stubs.
        let required = requiredSchemes(declaration)
        let unbound = code.declares(property: "securityVerifiers", in: target.name) ? [] : required.filter { declaration.securityVerifiers[$0.name] == nil }
        var namedStubs: [(scheme: String, description: String, typeName: String)] = []
        for scheme in required {
            guard let type = declaration.securityVerifiers[scheme.name], !type.contains("."), !code.declaresType(type),
                !namedStubs.contains(where: { $0.typeName == type })
            else { continue }
            namedStubs.append((scheme.name, scheme.description, type))
        }
        guard !missing.isEmpty || !unbound.isEmpty || !namedStubs.isEmpty else { return output }
        output.stubbedMethods = missing.map { SwiftNaming.unescaped($0.methodName) }

        let answers = exampleAnswers(declaration, translator: translator).filter { id in missing.contains { $0.id == id.key } }
        let existing = sources[path] ?? ""
        var text: String
        if existing.allSatisfy(\.isWhitespace) {
            text = StubRenderer.fileHeader(protocolName: protocolName, declarationPath: input.declarationPath, readsJSON: !answers.isEmpty)
        } else {
            text = (existing.hasSuffix("\n") ? "" : "\n") + "\n"
            let imports = code.imports(in: path)
            let needed = ["TrellisCore"] + (answers.isEmpty ? [] : ["TrellisJSON"])
            for module in needed where !imports.contains(module) { text += "import \(module)\n" }
            if !needed.allSatisfy(imports.contains) { text += "\n" }
            text += "// Added by `trellis scaffold`: stubs for the operations that had no handler.\n"
        }
        let renderer = StubRenderer(
            typeName: typeName, protocolName: protocolName, access: code.access(of: typeName),
            title: declaration.info["title"]?.stringValue ?? namespace, answers: answers)
        if target.name == nil {
            text += renderer.newType(missing)
        } else if !missing.isEmpty {
            text += renderer.extensionBlock(missing, addingConformance: target.addsConformance)
        }
        if !unbound.isEmpty || !namedStubs.isEmpty {
            var used = Set(namedStubs.map(\.typeName))
            let stubs = unbound.map { scheme in
                var name = SwiftNaming.typeName(scheme.name) + "Verifier"
                while code.declaresType(name) || used.contains(name) { name += "Stub" }
                used.insert(name)
                return (scheme: scheme.name, description: scheme.description, typeName: name)
            }
            // The implementation's securityVerifiers replaces the generated one: it binds the
            // declared verifiers too.
            let bindings =
                unbound.isEmpty
                ? nil
                : required.compactMap { scheme in
                    (declaration.securityVerifiers[scheme.name] ?? stubs.first { $0.scheme == scheme.name }?.typeName).map {
                        (scheme: scheme.name, typeName: $0)
                    }
                }
            text += (text.hasSuffix("\n\n") || text.isEmpty ? "" : "\n") + renderer.verifiers(binding: bindings, stubs: namedStubs + stubs)
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
    private static func readDeclaration(_ input: GeneratorInput) -> (ServiceDeclaration, TypeTranslator)? {
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
        let (translator, _) = Generator.nameModelsAndOperations(&declaration, declarationPath: input.declarationPath, files: files)
        return (declaration, translator)
    }

    /// What the stub of each operation answers when its successful response declares an
    /// example (`examples` or `example` in its schema, or in its items' for an array): the
    /// output case with the example read into its type — a working mock until the handler is
    /// written. Only JSON bodies without headers to set; other operations' stubs answer 501.
    static func exampleAnswers(_ declaration: ServiceDeclaration, translator: TypeTranslator) -> [String: String] {
        let operationTranslator = OperationTranslator(declaration: declaration, translator: translator)
        var answers: [String: String] = [:]
        for operation in declaration.operations {
            let translated = operationTranslator.translate(operation)
            guard
                let answer = translated.cases.first(where: { $0.status.isSuccess }),
                !answer.status.isRange, answer.kind == "json", answer.headersType == nil, answer.bodyType == nil,
                let payload = answer.payload, !payload.isOptional,
                let site = operation.responses.first(where: { $0.status == answer.status })?.schema,
                let example = example(at: site, translator: translator)
            else { continue }
            answers[operation.id] = ".\(answer.name)(try \(payload.rendered)(json: JSONDocument(parsing: \(rawLiteral(example.compactText))).root))"
        }
        return answers
    }

    /// The example of the schema at `site` (following `$ref`s): its first `examples`, its
    /// `example` (OpenAPI 3.0), or for an array without one, its items' example in an array.
    private static func example(at site: SchemaSite, translator: TypeTranslator, depth: Int = 0) -> JSON? {
        guard depth < 8, case .success((let found, let schema)) = translator.resolver.dereference(site) else { return nil }
        if let first = schema["examples"]?.arrayValue?.first { return first }
        if let example = schema["example"] { return example }
        if schema["type"]?.stringValue == "array", schema["items"] != nil,
            let item = example(at: SchemaSite(document: found.document, pointer: found.pointer.appending("items")), translator: translator, depth: depth + 1)
        {
            return .array([item])
        }
        return nil
    }

    /// `text` as a raw string literal (`#"…"#`, with as many `#` as it needs).
    private static func rawLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        return hashes + "\"" + text + "\"" + hashes
    }
}
