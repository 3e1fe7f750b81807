internal import TrellisJSON

/// Where a schema is: a loaded document and a JSON pointer into it.
struct SchemaLocation: Hashable {
    let document: Int
    let pointer: JSONPointer
}

/// The context in force at one schema object: base URI, dialect and vocabularies.
struct SchemaScope {
    var base: URIReference
    var dialect: Dialect
    var vocabularies: Vocabularies
    /// The URI of the schema resource the object belongs to.
    var resourceURI: String
}

/// A schema document being compiled, with the scope of every schema object in it.
final class LoadedDocument {
    let id: Int
    let uri: String
    let root: JSON
    var scopes: [JSONPointer: SchemaScope] = [:]

    init(id: Int, uri: String, root: JSON) {
        self.id = id
        self.uri = uri
        self.root = root
    }
}

/// Compiles schema documents into a graph of ``SchemaNode``s.
///
/// One compiler compiles one ``Validator``: it loads documents from the registry as
/// `$ref`s reach them, indexes their identifiers (`$id`, `$anchor`, `$dynamicAnchor`),
/// and compiles every reachable schema once (a worklist, so deep or recursive schemas
/// do not deepen the stack).
final class SchemaCompiler {
    let registry: SchemaRegistry
    let options: ValidatorOptions
    var documents: [LoadedDocument] = []
    var documentsByURI: [String: Int] = [:]
    /// Canonical resource URI (no fragment) → the schema there.
    var resources: [String: SchemaLocation] = [:]
    /// `uri#name` → the schema with that `$anchor` / `$dynamicAnchor` (or draft-07 `$id: "#name"`).
    var anchors: [String: SchemaLocation] = [:]
    /// Resource URI → its `$dynamicAnchor`s.
    var dynamicAnchors: [String: [String: SchemaLocation]] = [:]
    var recursiveAnchors: Set<String> = []
    var resourceObjects: [String: SchemaResource] = [:]
    var nodes: [SchemaLocation: SchemaNode] = [:]
    var allNodes: [SchemaNode] = []
    var pending: [(SchemaNode, JSON, SchemaLocation, SchemaScope)] = []
    /// Whether any `$dynamicRef` or `$recursiveRef` was compiled (evaluation then tracks the dynamic scope).
    var usesDynamicScope = false

    init(registry: SchemaRegistry, options: ValidatorOptions) {
        self.registry = registry
        self.options = options
    }

    // MARK: - Entry points

    /// Compiles `schema` as a document at `uri`; returns its root node.
    func compileRoot(_ schema: JSON, uri: String) throws(SchemaError) -> SchemaNode {
        let document = try load(schema, uri: uri, defaultDialect: options.defaultDialect)
        let root = try node(at: SchemaLocation(document: document.id, pointer: .root))
        try drain()
        try rejectInPlaceCycles(from: root)
        return root
    }

    /// Compiles the schema a reference (`uri#fragment`) designates in the registry.
    func compileReference(_ reference: String) throws(SchemaError) -> SchemaNode {
        let target = URIReference(parsing: reference)
        let location = try locate(target, from: reference, defaultDialect: options.defaultDialect)
        let root = try node(at: location)
        try drain()
        try rejectInPlaceCycles(from: root)
        return root
    }

    private func drain() throws(SchemaError) {
        while let (node, value, location, scope) = pending.popLast() {
            try compile(node, value: value, at: location, scope: scope)
        }
    }

    /// Rejects a root schema that reaches itself again without moving into the instance
    /// (`{"$ref": "#"}`, or `allOf` → `$ref` back): validating anything with it would
    /// never end.
    ///
    /// Only cycles reachable from the root this way are errors: real-world schemas hold
    /// such cycles in definitions that no instance reaches (SchemaStore's `cloudify`), and
    /// those are left to the evaluation depth limit, which fails cleanly.
    func rejectInPlaceCycles(from root: SchemaNode) throws(SchemaError) {
        enum Mark { case visiting, done }
        var marks: [ObjectIdentifier: Mark] = [:]
        for start in [root] where marks[ObjectIdentifier(start)] == nil {
            // Iterative depth-first search over in-place edges.
            var stack: [(node: SchemaNode, next: [SchemaNode], index: Int)] = [(start, start.inPlaceSubschemas, 0)]
            marks[ObjectIdentifier(start)] = .visiting
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].index == stack[top].next.count {
                    marks[ObjectIdentifier(stack[top].node)] = .done
                    stack.removeLast()
                    continue
                }
                let child = stack[top].next[stack[top].index]
                stack[top].index += 1
                switch marks[ObjectIdentifier(child)] {
                case .visiting:
                    throw SchemaError(
                        location: child.location,
                        message:
                            "this schema refers back to itself without going into the instance (through $ref, allOf, anyOf, oneOf, not, if/then/else or dependentSchemas), so validating with it would never end"
                    )
                case .done:
                    continue
                case nil:
                    marks[ObjectIdentifier(child)] = .visiting
                    stack.append((child, child.inPlaceSubschemas, 0))
                }
            }
        }
    }

    // MARK: - Documents and identifiers

    func load(_ root: JSON, uri: String, defaultDialect: Dialect) throws(SchemaError) -> LoadedDocument {
        let key = SchemaRegistry.key(uri)
        if let existing = documentsByURI[key] { return documents[existing] }
        let document = LoadedDocument(id: documents.count, uri: key, root: root)
        documents.append(document)
        documentsByURI[key] = document.id
        let base = URIReference(parsing: key)
        resources[key] = SchemaLocation(document: document.id, pointer: .root)
        let scope = SchemaScope(base: base, dialect: defaultDialect, vocabularies: .all, resourceURI: key)
        try index(root, at: .root, in: document, inherited: scope, isDocumentRoot: true)
        return document
    }

    /// Records the scope of every schema object and registers identifiers and anchors.
    private func index(_ value: JSON, at pointer: JSONPointer, in document: LoadedDocument, inherited: SchemaScope, isDocumentRoot: Bool) throws(SchemaError) {
        guard case .object(let object) = value else {
            document.scopes[pointer] = inherited
            return
        }
        var scope = inherited
        let location = SchemaLocation(document: document.id, pointer: pointer)
        let here = Self.location(document.uri, pointer)

        // `$schema` applies at a document root, and at an embedded resource in 2019-09+.
        if case .string(let metaSchema)? = object["$schema"],
            isDocumentRoot || (object["$id"] != nil && scope.dialect.version >= .draft2019_09)
        {
            (scope.dialect, scope.vocabularies) = try dialect(named: metaSchema, at: here)
        }
        let hasRef = object["$ref"] != nil
        if case .string(let id)? = object[scope.dialect.idKeyword], !(scope.dialect.refOverridesSiblings && hasRef) {
            if id.hasPrefix("#") {
                let name = String(id.dropFirst())
                if scope.dialect.version <= .draft7, !name.isEmpty, !name.hasPrefix("/") {
                    anchors[scope.resourceURI + "#" + name] = location
                }
            } else {
                let resolved = scope.base.resolving(id)
                let canonical = resolved.withoutFragment
                scope.base = canonical
                scope.resourceURI = canonical.description
                if resources[scope.resourceURI] == nil || isDocumentRoot { resources[scope.resourceURI] = location }
                if let fragment = resolved.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"), scope.dialect.version <= .draft7 {
                    anchors[scope.resourceURI + "#" + fragment] = location
                }
            }
        }
        if scope.dialect.version >= .draft2019_09 {
            if case .string(let anchor)? = object["$anchor"] {
                anchors[scope.resourceURI + "#" + anchor] = location
            }
            if scope.dialect.version >= .draft2020_12, case .string(let anchor)? = object["$dynamicAnchor"] {
                anchors[scope.resourceURI + "#" + anchor] = anchors[scope.resourceURI + "#" + anchor] ?? location
                dynamicAnchors[scope.resourceURI, default: [:]][anchor] = location
            }
            if scope.dialect.version == .draft2019_09, case .bool(true)? = object["$recursiveAnchor"], resources[scope.resourceURI] == location {
                recursiveAnchors.insert(scope.resourceURI)
            }
        }
        document.scopes[pointer] = scope
        for (keyword, child) in object {
            switch SubschemaKeywords.shape(of: keyword, in: scope.dialect, value: child) {
            case .none: continue
            case .single:
                try index(child, at: pointer.appending(keyword), in: document, inherited: scope, isDocumentRoot: false)
            case .array:
                for (i, item) in (child.arrayValue ?? []).enumerated() {
                    try index(item, at: pointer.appending(keyword).appending(i), in: document, inherited: scope, isDocumentRoot: false)
                }
            case .map:
                for (name, item) in child.objectValue ?? JSONObject() where item.kind == .object || item.kind == .bool {
                    try index(item, at: pointer.appending(keyword).appending(name), in: document, inherited: scope, isDocumentRoot: false)
                }
            }
        }
    }

    /// The dialect and vocabularies a `$schema` value selects.
    func dialect(named uri: String, at location: String, depth: Int = 0) throws(SchemaError) -> (Dialect, Vocabularies) {
        if let known = Dialect(metaSchemaURI: uri) { return (known, .all) }
        guard depth < 8, case .object(let meta)? = registry.document(at: uri) else {
            throw SchemaError(
                location: location,
                message:
                    "unknown dialect: $schema \"\(uri)\" is not a supported JSON Schema version (2020-12, 2019-09, draft-07, -06, -04) nor a registered meta-schema"
            )
        }
        var dialect = Dialect.draft2020_12
        var vocabularies = Vocabularies.all
        if case .string(let parent)? = meta["$schema"], parent != uri {
            (dialect, vocabularies) = try self.dialect(named: parent, at: location, depth: depth + 1)
        }
        if case .object(let declared)? = meta["$vocabulary"], dialect.version >= .draft2019_09 {
            vocabularies = [.core]
            for (vocabulary, required) in declared {
                if let known = Vocabularies(uri: vocabulary) {
                    vocabularies.formUnion(known)
                    if known == .applicator && dialect.version == .draft2019_09 { vocabularies.insert(.unevaluated) }
                } else if required == .bool(true) {
                    throw SchemaError(location: location, message: "meta-schema \"\(uri)\" requires the unsupported vocabulary \"\(vocabulary)\"")
                }
            }
        }
        return (dialect, vocabularies)
    }

    // MARK: - References

    /// The dialect of a document reached through a reference, when it names none: a document
    /// that identifies itself with draft-04's `id` (an absolute URI) and not with `$id` is a
    /// draft-04 document (schemas written for draft-04 reached from draft-07 ones, as real
    /// schema collections mix them); any other is read in the referring schema's dialect.
    static func dialect(of document: JSON, else referring: Dialect) -> Dialect {
        guard case .object(let root) = document, root["$schema"] == nil, root["$id"] == nil, referring.version > .draft4,
            case .string(let id)? = root["id"], URIReference(parsing: id).scheme != nil
        else { return referring }
        return .draft4
    }

    /// The location a reference designates, loading its document from the registry if needed.
    func locate(_ target: URIReference, from reference: String, defaultDialect: Dialect, at origin: String? = nil) throws(SchemaError) -> SchemaLocation {
        let resourceURI = target.withoutFragment.description
        let fragment = (target.fragment ?? "").removingPercentEncoding
        var resource = resources[resourceURI]
        if resource == nil, let document = registry.document(at: resourceURI) {
            resource = SchemaLocation(
                document: try load(document, uri: resourceURI, defaultDialect: Self.dialect(of: document, else: defaultDialect)).id, pointer: .root)
        }
        func unresolvable(_ detail: String) -> SchemaError {
            SchemaError(
                location: origin ?? reference,
                message: "unresolvable reference \"\(reference)\"" + (reference == target.description ? "" : " (\(target))") + ": \(detail)")
        }
        if fragment.isEmpty {
            guard let resource else { throw unresolvable("no schema is registered at \(resourceURI)") }
            return resource
        }
        if fragment.hasPrefix("/") {
            guard let resource else { throw unresolvable("no schema is registered at \(resourceURI)") }
            guard let pointer = JSONPointer(parsing: fragment) else { throw unresolvable("malformed JSON pointer") }
            let full = JSONPointer(resource.pointer.tokens + pointer.tokens)
            guard full.resolve(in: documents[resource.document].root) != nil else {
                throw unresolvable("nothing at \(fragment)")
            }
            return SchemaLocation(document: resource.document, pointer: full)
        }
        guard let anchored = anchors[resourceURI + "#" + fragment] else {
            throw unresolvable(resource == nil ? "no schema is registered at \(resourceURI)" : "no anchor \"\(fragment)\"")
        }
        return anchored
    }

    // MARK: - Nodes

    /// The node for a location, created (and queued for compilation) on first use.
    func node(at location: SchemaLocation) throws(SchemaError) -> SchemaNode {
        if let existing = nodes[location] { return existing }
        let document = documents[location.document]
        guard let value = location.pointer.resolve(in: document.root) else {
            throw SchemaError(location: Self.location(document.uri, location.pointer), message: "no schema at this location")
        }
        let scope = scope(at: location, in: document)
        let (resource, isNew) = resourceObject(scope.resourceURI)
        let node = SchemaNode(location: Self.location(document.uri, location.pointer), resource: resource)
        nodes[location] = node
        allNodes.append(node)
        if resources[scope.resourceURI] == location { resource.root = NodeRef(node) }
        pending.append((node, value, location, scope))
        if isNew { try linkAnchors(of: resource) }
        return node
    }

    private func scope(at location: SchemaLocation, in document: LoadedDocument) -> SchemaScope {
        var pointer = location.pointer
        while true {
            if let scope = document.scopes[pointer] { return scope }
            guard !pointer.tokens.isEmpty else { break }
            pointer = JSONPointer(Array(pointer.tokens.dropLast()))
        }
        return SchemaScope(base: URIReference(parsing: document.uri), dialect: options.defaultDialect, vocabularies: .all, resourceURI: document.uri)
    }

    private func resourceObject(_ uri: String) -> (SchemaResource, isNew: Bool) {
        if let existing = resourceObjects[uri] { return (existing, false) }
        let resource = SchemaResource(uri: uri)
        resourceObjects[uri] = resource
        resource.recursiveAnchor = recursiveAnchors.contains(uri)
        return (resource, true)
    }

    /// Compiles what a dynamic reference may jump to once the resource is in the dynamic
    /// scope: its `$dynamicAnchor`s and, for `$recursiveAnchor`, its root.
    private func linkAnchors(of resource: SchemaResource) throws(SchemaError) {
        if resource.recursiveAnchor, let root = resources[resource.uri] {
            resource.root = NodeRef(try node(at: root))
        }
        for (name, location) in dynamicAnchors[resource.uri] ?? [:] {
            resource.dynamicAnchors[name] = NodeRef(try node(at: location))
        }
    }

    /// `uri#pointer`, with the characters a URI fragment may not hold percent-encoded.
    static func location(_ uri: String, _ pointer: JSONPointer) -> String {
        var fragment = ""
        for scalar in pointer.description.unicodeScalars {
            switch scalar {
            case " ", "\"", "#", "%", "<", ">", "\\", "^", "`", "{", "|", "}", "\u{7F}":
                fragment += "%" + String(scalar.value, radix: 16, uppercase: true)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                fragment += "%" + (hex.count == 1 ? "0" : "") + hex
            default:
                fragment.unicodeScalars.append(scalar)
            }
        }
        return uri + "#" + fragment
    }
}

/// Which keywords hold subschemas, and in what shape, per dialect.
enum SubschemaKeywords {
    enum Shape { case none, single, array, map }

    static func shape(of keyword: String, in dialect: Dialect, value: JSON) -> Shape {
        let version = dialect.version
        switch keyword {
        case "additionalProperties", "not", "propertyNames", "contains":
            return .single
        case "if", "then", "else":
            return version >= .draft7 ? .single : .none
        case "additionalItems":
            return version <= .draft2019_09 ? .single : .none
        case "items":
            if value.kind == .array { return version <= .draft2019_09 ? .array : .none }
            return .single
        case "unevaluatedItems", "unevaluatedProperties", "contentSchema":
            return version >= .draft2019_09 ? .single : .none
        case "allOf", "anyOf", "oneOf":
            return .array
        case "prefixItems":
            return version >= .draft2020_12 ? .array : .none
        case "properties", "patternProperties", "definitions", "dependencies":
            return .map
        case "$defs", "dependentSchemas":
            return version >= .draft2019_09 ? .map : .none
        default:
            return .none
        }
    }
}
