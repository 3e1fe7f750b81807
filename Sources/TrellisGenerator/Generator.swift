internal import TrellisJSON

/// What the generator reads: a service declaration and the model files next to it, as
/// paths relative to the declaration's folder.
public struct GeneratorInput: Sendable {
    /// The declaration's path, relative to the folder (e.g. `service.json`).
    public var declarationPath: String
    /// Every file of the folder by relative path: the declaration and the model files.
    public var files: [String: [UInt8]]
    /// The model files the build planned an output file for (the build plugin passes them):
    /// the types of any other model file — one added since the build was planned — go to
    /// `Models+Unplanned.swift`, which the plugin always declares, so that they are compiled
    /// before SwiftPM plans the build again. nil: every model file has its own output.
    public var plannedModelFiles: Set<String>?
    /// Whether to write `Client.swift` as well: a typed client of the service (its target
    /// then depends on the `TrellisClient` library).
    public var generatesClient = false
    /// The access level of every generated declaration (``AccessModifier/internal`` by
    /// default: models, operations and the client are the target's own, and its internal
    /// types, such as dependencies, can appear in them).
    public var accessModifier: AccessModifier = .internal
    /// Whether a path, relative to the declaration's folder, names an existing file: the
    /// command line passes the file system's answer, so that a declaration's `"$schema"` that
    /// leads nowhere is a warning (nil: not checked).
    public var fileExists: (@Sendable (String) -> Bool)?

    /// The files of a declaration's folder that belong to its service, from every file's
    /// path relative to that folder: a subfolder that holds a `service.json` of its own is
    /// another service's, with everything below it.
    public static func serviceFiles(_ relativePaths: [String]) -> [String] {
        let otherServices = Set(
            relativePaths.compactMap { path -> Substring? in
                guard path.hasSuffix("/service.json") else { return nil }
                return path.dropLast("service.json".count)  // "shelter/"
            })
        return relativePaths.filter { path in !otherServices.contains { path.hasPrefix($0) } }
    }

    /// An input.
    public init(
        declarationPath: String, files: [String: [UInt8]], plannedModelFiles: Set<String>? = nil, generatesClient: Bool = false,
        accessModifier: AccessModifier = .internal
    ) {
        self.declarationPath = declarationPath
        self.files = files
        self.plannedModelFiles = plannedModelFiles
        self.generatesClient = generatesClient
        self.accessModifier = accessModifier
    }
}

/// The access level written on generated declarations (a target's `trellis.json`
/// `"accessModifier"`, as swift-openapi-generator's setting of that name).
public enum AccessModifier: String, Sendable, CaseIterable {
    /// Visible to other modules: a library whose users call the service's types.
    case `public`
    /// Visible to the other modules of the package.
    case package
    /// The target's own (the default).
    case `internal`
}

/// One generated Swift file.
public struct GeneratedFile: Sendable, Hashable {
    public var name: String
    public var contents: String

    /// A file named `name` (in the output directory) holding `contents`.
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// What the generator produced: files (when there was no error) and diagnostics.
public struct GeneratorOutput: Sendable {
    public var files: [GeneratedFile]
    public var diagnostics: [Diagnostic]
}

/// Turns a service declaration and its models into Swift source: a pure function,
/// no file access.
///
/// ```swift
/// let output = Generator.generate(GeneratorInput(declarationPath: "service.json", files: files))
/// for diagnostic in output.diagnostics { print(diagnostic) }   // service.json:12:7: error: ...
/// ```
public enum Generator {
    /// The JSON Schema of the service declaration format (also shipped as
    /// `Sources/TrellisGenerator/trellis-service.schema.json`, for editors).
    public static var declarationMetaSchema: String { ServiceMetaSchema.text }

    /// The names of the files a generation writes, known before it runs (the build
    /// plugin declares them): the operations, the service and the OpenAPI document, plus
    /// one per model file (for a `service.json` declaration); for an OpenAPI document, a fixed
    /// set: the models in `Models1.swift` to `Models8.swift` and the operations in
    /// `Operations1.swift` to `Operations4.swift`, by a stable hash of their names.
    /// With `client`, `Client.swift` too.
    public static func outputFileNames(declarationPath: String, inputPaths: [String], client: Bool = false) -> [String] {
        let clientFile = client ? ["Client.swift"] : []
        if isOpenAPIPath(declarationPath) { return openAPIOutputFileNames + clientFile }
        let models = inputPaths.filter { $0 != declarationPath && $0.hasSuffix(".json") }.map(modelFileName)
        return ["Operations.swift", "Service.swift", "OpenAPI.swift"] + clientFile + models.sorted()
    }

    /// Whether a declaration is read as an OpenAPI document, by its name: `openapi.json`,
    /// or any `.yaml`/`.yml` file (`openapi.yaml`, `api.yml`); other `.json` files are
    /// `service.json` declarations.
    public static func isOpenAPIPath(_ path: String) -> Bool {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        return name == "openapi.json" || SourceFiles.isYAML(name)
    }

    static func modelFileName(_ path: String) -> String {
        let base = path.replacingSuffix(".json").map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return "Models+" + String(base) + ".swift"
    }

    /// Generates the Swift source of a service.
    public static func generate(_ input: GeneratorInput) -> GeneratorOutput {
        var output = generateFiles(input)
        // The same schema is visited from several places; report each problem once.
        var seen: Set<Diagnostic> = []
        output.diagnostics = output.diagnostics.filter { seen.insert($0).inserted }
        return output
    }

    private static func generateFiles(_ input: GeneratorInput) -> GeneratorOutput {
        if isOpenAPIPath(input.declarationPath) { return generateFromOpenAPI(input) }
        var diagnostics = Diagnostics()
        let files = SourceFiles(input.files)
        files.parseAll(into: &diagnostics)
        guard let root = files.json[input.declarationPath] else {
            if input.files[input.declarationPath] == nil {
                diagnostics.append(Diagnostic(.error, "no service declaration at \(input.declarationPath)", file: input.declarationPath))
            }
            return GeneratorOutput(files: [], diagnostics: diagnostics.all)
        }
        if let exists = input.fileExists, case .string(let metaSchema)? = root["$schema"], !metaSchema.contains("://"), !exists(metaSchema) {
            diagnostics.append(
                files.diagnostic(
                    .warning,
                    "\"$schema\": \(metaSchema) does not exist (the path is relative to the declaration); editors check and complete the declaration with it: point it at Sources/TrellisGenerator/trellis-service.schema.json in the Trellis package",
                    file: input.declarationPath, at: JSONPointer(["$schema"])))
        }
        // The schemas themselves, every model file whatever the declaration says of it: their
        // problems come in the same run as the declaration's.
        var checks = SchemaChecks(files: files)
        for path in input.files.keys.sorted() where path != input.declarationPath && path.hasSuffix(".json") { checks.checkModelFile(path) }
        var reader = DeclarationReader(files: files, path: input.declarationPath)
        guard reader.conformsToMetaSchema(root), var declaration = reader.read(root) else {
            return GeneratorOutput(files: [], diagnostics: diagnostics.all + checks.diagnostics.all + reader.diagnostics.all)
        }
        let declarationURI = SourceFiles.uri(of: input.declarationPath)
        for site in declaration.schemaSites where site.document == declarationURI { checks.checkSchema(at: site.pointer, in: input.declarationPath) }
        for diagnostic in reader.diagnostics.all + checks.diagnostics.all { diagnostics.append(diagnostic) }

        // Naming.
        let (translator, models) = nameModelsAndOperations(&declaration, declarationPath: input.declarationPath, files: files)
        // Translation: every operation's types (and the models they use), then the listed
        // models, into Swift declarations; nothing is rendered yet.
        let operationTranslator = OperationTranslator(declaration: declaration, translator: translator)
        var operations = declaration.operations.map { operationTranslator.translate($0) }
        var webSockets = declaration.webSockets.map(operationTranslator.translate)
        for model in models { _ = translator.namedType(model) }
        var builder = OpenAPIBuilder(declaration: declaration, translator: translator, files: files, declarationPath: input.declarationPath)
        let openAPI = builder.build()
        for diagnostic in translator.naming.diagnostics.all + translator.diagnostics.all { diagnostics.append(diagnostic) }
        if diagnostics.hasErrors { return GeneratorOutput(files: [], diagnostics: diagnostics.all) }

        // Cycle breaking, on the whole translated service.
        var declarations = translator.declarations
        RecursionBreaker.breakCycles(in: &declarations, operations: &operations, webSockets: &webSockets)
        // Rendering.
        let renderer = OperationRenderer(declaration: declaration, translator: translator, access: input.accessModifier.rawValue)
        let header = """
            // Generated by Trellis from \(input.declarationPath). Do not edit: the build regenerates it.

            import Foundation
            import TrellisCore
            import TrellisJSON


            """
        var output: [GeneratedFile] = []
        let modelPaths = input.files.keys.filter { $0 != input.declarationPath && $0.hasSuffix(".json") }.sorted()
        var unplanned = CodeWriter()
        for path in modelPaths {
            var writer = CodeWriter()
            let modelRenderer = ModelRenderer(access: input.accessModifier.rawValue)
            for (index, declaration) in (declarations[path] ?? []).sorted(by: { $0.name < $1.name }).enumerated() {
                if index > 0 { writer.line() }
                modelRenderer.render(declaration, into: &writer)
            }
            if let planned = input.plannedModelFiles, !planned.contains(path) {
                if !writer.text.isEmpty {
                    unplanned.line("// From \(path), added since the build was planned.")
                    unplanned.line(writer.text.hasSuffix("\n") ? String(writer.text.dropLast()) : writer.text)
                }
                continue
            }
            let body = writer.text.isEmpty ? "// \(path) declares no type that this service uses.\n" : writer.text
            output.append(GeneratedFile(name: modelFileName(path), contents: header + body))
        }
        if input.plannedModelFiles != nil {
            output.append(
                GeneratedFile(
                    name: "Models+Unplanned.swift",
                    contents: header + (unplanned.text.isEmpty ? "// Every model file has a generated file of its own.\n" : unplanned.text)))
        }
        output.append(GeneratedFile(name: "Operations.swift", contents: header + renderer.renderOperations(operations, webSockets: webSockets)))

        let documents = input.files.keys.filter { $0.hasSuffix(".json") && files.json[$0] != nil }.sorted().map { path -> (String, String) in
            var document = files.json[path] ?? [:]
            if path == input.declarationPath, case .object(var object) = document {
                // The declaration's own `$schema` names its format, not a dialect: its inline
                // schemas are 2020-12.
                object["$schema"] = "https://json-schema.org/draft/2020-12/schema"
                document = .object(object)
            }
            return (SourceFiles.uri(of: path), document.compactText)
        }
        output.append(GeneratedFile(name: "Service.swift", contents: header + renderer.renderService(openAPI: "", schemaDocuments: documents)))
        output.append(
            GeneratedFile(
                name: "OpenAPI.swift",
                contents: header
                    + openAPIFile(service: declaration.name, document: openAPI.prettyText, documents: documents, asGenerated: true, access: renderer.access)))
        if input.generatesClient {
            output.append(
                GeneratedFile(name: "Client.swift", contents: header + ClientRenderer(declaration: declaration, access: renderer.access).render(operations)))
        }
        return GeneratorOutput(files: output.sorted { $0.name < $1.name }, diagnostics: diagnostics.all)
    }

    /// The naming stage: the models' Swift names, then the operations' (which avoid them).
    /// Returns the translator that declares the models under those names, and the schemas
    /// that are models whether an operation uses them or not (a `service.json`'s listed
    /// models, an OpenAPI document's component schemas).
    static func nameModelsAndOperations(
        _ declaration: inout ServiceDeclaration, declarationPath: String, files: SourceFiles
    ) -> (translator: TypeTranslator, models: [SchemaSite]) {
        let models: [SchemaSite]
        if isOpenAPIPath(declarationPath) {
            let document = SourceFiles.uri(of: declarationPath)
            models = (files.json[declarationPath]?["components"]?["schemas"]?.objectValue ?? JSONObject()).map { name, _ in
                SchemaSite(document: document, pointer: JSONPointer(["components", "schemas", name]))
            }
        } else {
            models = declaration.models.filter { files.json[$0] != nil }.map { SchemaSite(document: SourceFiles.uri(of: $0), pointer: .root) }
        }
        let resolver = ReferenceResolver(files: files)
        let naming = ModelNaming(files: files, roots: declaration.schemaSites + models, resolver: resolver)
        let translator = TypeTranslator(files: files, naming: naming, resolver: resolver)
        // Before any type is translated: multipart bodies' file properties are files wherever
        // their schemas are used.
        for operation in declaration.operations { if let body = operation.body { _ = translator.fileParts(of: body) } }
        OperationNaming.assign(&declaration, avoiding: translator.modelNames)
        return (translator, models)
    }

    /// `OpenAPI.swift`: the served document and the schema documents, as string literals.
    static func openAPIFile(service: String, document: String, documents: [(String, String)], asGenerated: Bool, access: String) -> String {
        var writer = CodeWriter()
        writer.block("extension \(service)") { w in
            w.documentation([
                asGenerated
                    ? "The OpenAPI 3.1 document of the service, as generated (the runtime adds the answers it gives itself, such as 422)."
                    : "The service's OpenAPI document, as written (the runtime adds the answers it gives itself, such as 422)."
            ])
            // Computed, not stored: a literal in a getter's body is outside the file's interface
            // hash, so editing the document recompiles this file alone, not every file that
            // names these properties.
            w.block("\(access) static var openAPIDocument: String") { w in w.line(rawStringLiteral(document)) }
            w.line()
            w.documentation(["Every schema document of the service by URI, for request validation."])
            w.block("\(access) static var schemaDocuments: [String: String]") { w in
                w.line("[")
                for (uri, text) in documents {
                    w.line("    \(SwiftNaming.stringLiteral(uri)): \(rawStringLiteral(text)),")
                }
                w.line("]")
            }
        }
        return writer.text
    }

    /// A raw string literal (`#"..."#`, with as many `#` as needed) holding `text`.
    static func rawStringLiteral(_ text: String) -> String {
        // One more `#` than the longest run of them after a `"` or a `\` in the text (one
        // pass: the served document of a large API is megabytes).
        var longest = 0
        var run: Int? = nil
        for byte in text.utf8 {
            if byte == UInt8(ascii: "#"), let current = run {
                run = current + 1
                longest = max(longest, current + 1)
            } else {
                run = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") ? 0 : nil
            }
        }
        let hashes = String(repeating: "#", count: longest + 1)
        if text.contains("\n") {
            let indented = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n")
            return hashes + "\"\"\"\n" + indented + "\n\"\"\"" + hashes
        }
        return hashes + "\"" + text + "\"" + hashes
    }
}
