internal import TrellisJSON

/// The naming stage for models: every schema that becomes a top-level Swift type gets its
/// name here, before translation, from the whole service at once.
///
/// Which schemas those are follows from the intermediate form: the schemas its operations,
/// dependencies and WebSockets use (and a `service.json`'s listed models, an OpenAPI
/// document's component schemas), and every schema a `$ref` among them reaches. Names are
/// given in an order of their own (files named after their type, definitions, then files
/// titled otherwise, each by file and place; then the targets of `$ref`s into the middle of a
/// schema; then the inline schemas of OpenAPI components), so a
/// model's name does not depend on which operation happens to use it first, and adding an
/// operation never renames a model.
struct ModelNaming {
    /// The name of each schema that is a top-level type.
    private(set) var names: [SchemaSite: String] = [:]
    /// Who holds each name.
    private(set) var owners: [String: SchemaSite] = [:]
    /// Notes and warnings about names (a standard library name, two schemas for one name).
    private(set) var diagnostics = Diagnostics()
    /// Names top-level types may take (every model file's, `$defs` entry's and component's),
    /// which nested types and operations avoid so that they never shadow one.
    let candidates: Set<String>
    private let files: SourceFiles

    /// Names every top-level type that `roots` (the schema sites of a service) lead to.
    init(files: SourceFiles, roots: [SchemaSite], resolver: ReferenceResolver) {
        self.files = files
        var candidates: Set<String> = []
        for (path, json) in files.json {
            candidates.insert(SwiftNaming.typeName(Self.baseFileName(path)))
            if case .string(let title)? = json["title"], !title.isEmpty, title.count <= 64 { candidates.insert(SwiftNaming.typeName(title)) }
            for keyword in ["$defs", "definitions"] {
                if case .object(let definitions)? = json[keyword] {
                    for (key, _) in definitions { candidates.insert(SwiftNaming.typeName(key)) }
                }
            }
            if case .object(let schemas)? = json["components"]?["schemas"] {
                for (key, _) in schemas { candidates.insert(SwiftNaming.typeName(key)) }
            }
        }
        self.candidates = candidates

        // Every site the roots reach through `$ref`s.
        var targets: Set<SchemaSite> = []
        var pending = roots
        var walked: Set<SchemaSite> = []
        while let site = pending.popLast() {
            guard walked.insert(site).inserted, let value = Self.value(at: site, in: files) else { continue }
            for reference in Self.schemaReferences(in: value) {
                guard case .success(let target) = resolver.target(of: reference, from: site.document, anchors: true) else { continue }
                if targets.insert(target).inserted { pending.append(target) }
            }
        }
        let order: (SchemaSite, SchemaSite) -> Bool = { ($0.document, $0.pointer.description) < ($1.document, $1.pointer.description) }
        // When two schemas want one name, a file named so has it, then a definition with that
        // key, then a file titled so: `Pet.json` is `Pet` (titled "Pet" or not), a `$defs`
        // entry `pet` beside it `Pet2`, and `Animal.json` titled "Pet" `Pet3`.
        let named = Set(roots.filter { Self.isNamed($0, in: files) }).union(targets.filter { Self.isNamed($0, in: files) })
        func rank(_ site: SchemaSite) -> Int {
            guard site.pointer.tokens.isEmpty else { return 1 }
            guard let title = Self.value(at: site, in: files)?["title"]?.stringValue, !title.isEmpty, title.count <= 64 else { return 0 }
            return SwiftNaming.typeName(title) == SwiftNaming.typeName(Self.baseFileName(site.document)) ? 0 : 2
        }
        for site in named.map({ (rank($0), $0) }).sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : order($0.1, $1.1) }).map(\.1) { _ = name(site) }
        for site in targets.filter({ !Self.isNamed($0, in: files) }).sorted(by: order) { _ = name(site) }
        for site in Set(roots.filter { Self.componentName($0.pointer.tokens) != nil }).sorted(by: order) { _ = name(site) }
    }

    /// The name of the top-level type for `site`, given now if the site has none yet (a site
    /// the walk from the roots did not reach).
    mutating func name(_ site: SchemaSite) -> String {
        if let name = names[site] { return name }
        let name: String
        if let component = Self.componentName(site.pointer.tokens), !Self.isNamed(site, in: files) {
            name = componentName(component)
        } else {
            name = topLevelName(site)
        }
        names[site] = name
        owners[name] = site
        return name
    }

    /// A definition's key, a file's title or name; for a `$ref` into the middle of a schema,
    /// the property or definition it points into (and, when that is taken, its parents too).
    private mutating func topLevelName(_ site: SchemaSite) -> String {
        let value = Self.value(at: site, in: files) ?? [:]
        var base: String
        let tokens = site.pointer.tokens
        let meaningful = tokens.filter { Int($0) == nil && !Self.subschemaKeywords.contains($0) }
        var derived = false
        if let definition = Self.definitionName(tokens) {
            base = SwiftNaming.typeName(definition)
        } else if case .string(let title)? = value["title"], !title.isEmpty, title.count <= 64 {
            base = SwiftNaming.typeName(title)
        } else if let token = meaningful.last {
            base = SwiftNaming.typeName(token)
            var parents = meaningful.dropLast()
            while owners[base] != nil || candidates.contains(base) || SwiftNaming.reservedTypeNames.contains(base), let parent = parents.popLast() {
                base = SwiftNaming.typeName(parent) + base
            }
            derived = true
        } else {
            base = SwiftNaming.typeName(Self.baseFileName(file(of: site)))
        }
        if SwiftNaming.reservedTypeNames.contains(base) {
            diagnostics.append(
                files.diagnostic(
                    .note, "the Swift name \(base) is taken by the standard library; the type is named \(base)Model", file: file(of: site), at: site.pointer))
            base += "Model"
        }
        if let owner = owners[base], owner != site {
            // Qualified by its file when that tells the two apart (`cargo-lints-clippy.json`'s
            // `DetailedLint` is `CargoLintsClippyDetailedLint`), numbered when it does not.
            let qualifier = SwiftNaming.typeName(Self.baseFileName(file(of: site)))
            let qualified = qualifier + base
            var renamed: String
            if file(of: owner) != file(of: site), !base.hasPrefix(qualifier), owners[qualified] == nil, !candidates.contains(qualified) {
                renamed = qualified
            } else {
                var index = 2
                while owners[base + String(index)] != nil { index += 1 }
                renamed = base + String(index)
            }
            if !derived {
                diagnostics.append(
                    files.diagnostic(
                        .warning,
                        "two schemas map to the Swift type name \(base): \(sourceText(owner)) and \(sourceText(site)); this one is named \(renamed) (give it a title to choose its name)",
                        file: file(of: site), at: site.pointer))
            }
            base = renamed
        }
        return base
    }

    /// The name of the type of an OpenAPI component's inline schema: the component's, with
    /// `Value` when a model has it.
    private func componentName(_ component: String) -> String {
        let base = SwiftNaming.typeName(component)
        var name = base
        var index = 2
        while owners[name] != nil || candidates.contains(name) || SwiftNaming.reservedTypeNames.contains(name) {
            name = base + (index == 2 ? "Value" : "Value" + String(index - 1))
            index += 1
        }
        return name
    }

    // MARK: - Sites

    /// Whether a site gets a top-level name of its own: a file's root or a definition.
    static func isNamed(_ site: SchemaSite, in files: SourceFiles) -> Bool {
        let tokens = site.pointer.tokens
        if tokens.isEmpty { return SourceFiles.path(of: site.document).map { files.json[$0] != nil } ?? false }
        return definitionName(tokens) != nil
    }

    /// The name of the definition a pointer designates: an entry of `$defs`, `definitions`
    /// or an OpenAPI document's `components/schemas`; nil for any other place.
    static func definitionName(_ tokens: [String]) -> String? {
        if tokens.count == 2 && (tokens[0] == "$defs" || tokens[0] == "definitions") { return tokens[1] }
        if tokens.count == 3 && tokens[0] == "components" && tokens[1] == "schemas" { return tokens[2] }
        return nil
    }

    /// The component an inline schema of an OpenAPI document's reusable parameter, header,
    /// body or response belongs to (`components/headers/content-version/schema` →
    /// `content-version`): its types are declared once, at the top level, for every
    /// operation that uses it.
    static func componentName(_ tokens: [String]) -> String? {
        guard tokens.count >= 4, tokens[0] == "components", tokens.last == "schema",
            ["parameters", "headers", "requestBodies", "responses"].contains(tokens[1])
        else { return nil }
        return tokens[2]
    }

    static let subschemaKeywords: Set<String> = [
        "properties", "patternProperties", "additionalProperties", "items", "prefixItems", "additionalItems", "contains", "$defs", "definitions",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies", "propertyNames", "unevaluatedProperties",
        "unevaluatedItems",
    ]

    /// The `$ref`s a schema uses: its own and its subschemas', not those of definitions it
    /// only holds (`$defs`, reached if something refers to them) nor of values (`enum`,
    /// `const`, `default`, examples).
    static func schemaReferences(in value: JSON) -> [String] {
        value.references(skipping: ["$defs", "definitions", "enum", "const", "default", "examples", "example"])
    }

    static func value(at site: SchemaSite, in files: SourceFiles) -> JSON? {
        guard let path = SourceFiles.path(of: site.document), let document = files.json[path] else { return nil }
        return site.pointer.resolve(in: document)
    }

    /// `Pet.schema.json` → `Pet`.
    static func baseFileName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? "Model"
        if name.hasSuffix(".json") { name = String(name.dropLast(5)) }
        if name.hasSuffix(".schema") { name = String(name.dropLast(7)) }
        return name
    }

    private func file(of site: SchemaSite) -> String { SourceFiles.path(of: site.document) ?? site.document }

    private func sourceText(_ site: SchemaSite) -> String {
        let path = file(of: site)
        return site.pointer.tokens.isEmpty ? path : path + "#" + site.pointer.description
    }
}
