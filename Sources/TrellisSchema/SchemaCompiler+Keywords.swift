internal import TrellisJSON

extension SchemaCompiler {
    /// Compiles the keywords of one schema object into `node`.
    func compile(_ node: SchemaNode, value: JSON, at location: SchemaLocation, scope: SchemaScope) throws(SchemaError) {
        let object: JSONObject
        switch value {
        case .bool(let b):
            node.constant = b
            return
        case .object(let o):
            object = o
        default:
            throw SchemaError(location: node.location, message: "a schema must be an object or a boolean, not \(value.kind)")
        }
        var builder = KeywordBuilder(compiler: self, node: node, object: object, location: location, scope: scope)
        try builder.build()
        node.keywords = builder.keywords
        node.collectsAnnotations = builder.collectsAnnotations
        if node.keywords.isEmpty { node.constant = true }
    }
}

/// Builds the keyword list of one schema object.
struct KeywordBuilder {
    let compiler: SchemaCompiler
    let node: SchemaNode
    let object: JSONObject
    let location: SchemaLocation
    let scope: SchemaScope
    var keywords: [Keyword] = []
    var late: [Keyword] = []
    var collectsAnnotations = false

    var version: Dialect.Version { scope.dialect.version }

    init(compiler: SchemaCompiler, node: SchemaNode, object: JSONObject, location: SchemaLocation, scope: SchemaScope) {
        self.compiler = compiler
        self.node = node
        self.object = object
        self.location = location
        self.scope = scope
    }

    func uses(_ vocabulary: Vocabularies) -> Bool {
        version <= .draft7 || scope.vocabularies.contains(vocabulary)
    }

    func error(_ keyword: String, _ message: String) -> SchemaError {
        SchemaError(location: node.location + "/" + JSONPointer.escape(keyword), message: message)
    }

    mutating func build() throws(SchemaError) {
        if scope.dialect.refOverridesSiblings, let ref = object["$ref"] {
            keywords = [try reference(ref, keyword: "$ref")]
            return
        }
        if uses(.validation) { try buildValidation() }
        if uses(.formatAnnotation) || scope.vocabularies.contains(.formatAssertion) { try buildFormat() }
        if version == .draft7 { buildContent() }
        if uses(.applicator) { try buildApplicators() }
        if let ref = object["$ref"] { keywords.append(try reference(ref, keyword: "$ref")) }
        if version >= .draft2020_12, case .string(let ref)? = object["$dynamicRef"] { keywords.append(try dynamicReference(ref)) }
        if version == .draft2019_09, case .string(let ref)? = object["$recursiveRef"] { keywords.append(try recursiveReference(ref)) }
        if version >= .draft2019_09 && uses(.unevaluated) { try buildUnevaluated() }
        keywords += late
    }

    // MARK: - Validation vocabulary

    mutating func buildValidation() throws(SchemaError) {
        if let type = object["type"] {
            var set = TypeSet()
            let names: [JSON] = type.arrayValue ?? [type]
            for name in names {
                guard case .string(let text) = name, let one = TypeSet(name: text) else {
                    throw error("type", "unknown type \(name); expected one of string, number, integer, object, array, boolean, null")
                }
                set.insert(one)
            }
            guard !names.isEmpty else { throw error("type", "type must name at least one type") }
            if version == .draft4 { set.insert(.strictIntegers) }
            keywords.append(.type(set))
        }
        if let values = object["enum"] {
            guard case .array(let items) = values else { throw error("enum", "enum must be an array") }
            keywords.append(.enumeration(EnumValues(items)))
        }
        if version >= .draft6, let value = object["const"] { keywords.append(.constant(value)) }

        // Numbers
        if let value = object["multipleOf"] {
            guard let number = value.numberValue, number.double > 0 else { throw error("multipleOf", "multipleOf must be a number greater than 0") }
            keywords.append(.multipleOf(Multiple(number)))
        }
        for (name, isMaximum) in [("minimum", false), ("maximum", true)] {
            guard let value = object[name] else { continue }
            guard let number = value.numberValue else { throw error(name, "\(name) must be a number") }
            let exclusive = version == .draft4 && object[isMaximum ? "exclusiveMaximum" : "exclusiveMinimum"] == .bool(true)
            keywords.append(isMaximum ? .maximum(number, exclusive: exclusive) : .minimum(number, exclusive: exclusive))
        }
        if version >= .draft6 {
            for (name, isMaximum) in [("exclusiveMinimum", false), ("exclusiveMaximum", true)] {
                guard let value = object[name] else { continue }
                guard let number = value.numberValue else { throw error(name, "\(name) must be a number") }
                keywords.append(isMaximum ? .maximum(number, exclusive: true) : .minimum(number, exclusive: true))
            }
        }

        // Strings
        if let n = try count("minLength") { keywords.append(.minLength(n)) }
        if let n = try count("maxLength") { keywords.append(.maxLength(n)) }
        if let value = object["pattern"] {
            guard case .string(let pattern) = value else { throw error("pattern", "pattern must be a string") }
            keywords.append(.pattern(try regex(pattern, keyword: "pattern"), source: pattern))
        }

        // Arrays
        if let n = try count("minItems") { keywords.append(.minItems(n)) }
        if let n = try count("maxItems") { keywords.append(.maxItems(n)) }
        if object["uniqueItems"] == .bool(true) { keywords.append(.uniqueItems) }

        // Objects
        if let n = try count("minProperties") { keywords.append(.minProperties(n)) }
        if let n = try count("maxProperties") { keywords.append(.maxProperties(n)) }
        if let value = object["required"] {
            keywords.append(.required(try names(value, keyword: "required")))
        }
        if version >= .draft2019_09, case .object(let map)? = object["dependentRequired"] {
            var pairs: [(PropertyKey, [PropertyKey])] = []
            for (name, list) in map { pairs.append((PropertyKey(name), try names(list, keyword: "dependentRequired"))) }
            keywords.append(.dependentRequired(pairs))
        }
    }

    func count(_ keyword: String) throws(SchemaError) -> Int? {
        guard let value = object[keyword] else { return nil }
        guard let number = value.numberValue, number.isIntegral, number.double >= 0 else {
            throw error(keyword, "\(keyword) must be a non-negative integer")
        }
        // Beyond 2^53 a limit cannot be reached anyway; clamping keeps arithmetic safe.
        return Int(min(number.double, 9_007_199_254_740_992))
    }

    func names(_ value: JSON, keyword: String) throws(SchemaError) -> [PropertyKey] {
        guard case .array(let items) = value else { throw error(keyword, "\(keyword) must be an array of strings") }
        var result: [PropertyKey] = []
        for item in items {
            guard case .string(let name) = item else { throw error(keyword, "\(keyword) must be an array of strings") }
            result.append(PropertyKey(name))
        }
        return result
    }

    func regex(_ pattern: String, keyword: String) throws(SchemaError) -> ECMARegex {
        do {
            return try ECMARegex(pattern)
        } catch {
            throw self.error(keyword, "invalid regular expression \(JSON.string(pattern)): \(error)")
        }
    }

    mutating func buildFormat() throws(SchemaError) {
        guard case .string(let name)? = object["format"] else { return }
        let asserted = compiler.options.formatAssertion || scope.vocabularies.contains(.formatAssertion)
        guard asserted else { return }
        if name == "regex" {
            keywords.append(.format(FormatChecker(name: "regex", check: { ECMARegex.isValid($0) })))
        } else if let checker = FormatChecker.named(name) {
            keywords.append(.format(checker))
        }
    }

    /// Draft-07 asserts `contentEncoding: base64` and `contentMediaType: application/json`
    /// (later drafts made them annotations only).
    mutating func buildContent() {
        let encoding = object["contentEncoding"]?.stringValue?.lowercased()
        let mediaType = object["contentMediaType"]?.stringValue?.lowercased()
        let base64 = encoding == "base64"
        let json = mediaType == "application/json" || (mediaType?.hasSuffix("+json") ?? false)
        if base64 || json { keywords.append(.content(ContentCheck(base64: base64, json: json))) }
    }

    // MARK: - Applicators

    func subschema(_ path: String...) throws(SchemaError) -> NodeRef {
        var pointer = location.pointer
        for token in path { pointer = pointer.appending(token) }
        return NodeRef(try compiler.node(at: SchemaLocation(document: location.document, pointer: pointer)))
    }

    func subschemas(_ keyword: String) throws(SchemaError) -> [NodeRef] {
        guard case .array(let items)? = object[keyword] else { throw error(keyword, "\(keyword) must be an array of schemas") }
        var result: [NodeRef] = []
        for index in items.indices { result.append(try subschema(keyword, String(index))) }
        return result
    }

    mutating func buildApplicators() throws(SchemaError) {
        // Objects
        var properties = ObjectProperties()
        var hasProperties = false
        if let value = object["properties"] {
            guard case .object(let map) = value else { throw error("properties", "properties must be an object") }
            for (name, _) in map {
                properties.properties.append((PropertyKey(name), try subschema("properties", name)))
                properties.propertyIndex[name] = properties.properties.count - 1
            }
            hasProperties = true
        }
        if let value = object["patternProperties"] {
            guard case .object(let map) = value else { throw error("patternProperties", "patternProperties must be an object") }
            for (pattern, _) in map {
                properties.patterns.append((try regex(pattern, keyword: "patternProperties"), pattern, try subschema("patternProperties", pattern)))
            }
            hasProperties = true
        }
        if object["additionalProperties"] != nil {
            properties.additional = try subschema("additionalProperties")
            hasProperties = true
        }
        if hasProperties { keywords.append(.properties(properties)) }
        if version >= .draft6, object["propertyNames"] != nil { keywords.append(.propertyNames(try subschema("propertyNames"))) }
        if case .object(let map)? = object["dependencies"] {
            var required: [(PropertyKey, [PropertyKey])] = []
            var schemas: [(PropertyKey, NodeRef)] = []
            for (name, value) in map {
                if case .array = value {
                    required.append((PropertyKey(name), try names(value, keyword: "dependencies")))
                } else {
                    schemas.append((PropertyKey(name), try subschema("dependencies", name)))
                }
            }
            if !required.isEmpty { keywords.append(.dependentRequired(required)) }
            if !schemas.isEmpty { keywords.append(.dependentSchemas(schemas)) }
        }
        if version >= .draft2019_09, case .object(let map)? = object["dependentSchemas"] {
            var schemas: [(PropertyKey, NodeRef)] = []
            for (name, _) in map { schemas.append((PropertyKey(name), try subschema("dependentSchemas", name))) }
            keywords.append(.dependentSchemas(schemas))
        }

        // Arrays
        if version >= .draft2020_12 {
            let prefix = object["prefixItems"] != nil ? try subschemas("prefixItems") : []
            let rest = object["items"] != nil ? try subschema("items") : nil
            if !prefix.isEmpty || rest != nil {
                keywords.append(.items(prefix: prefix, prefixKeyword: "prefixItems", rest: rest, restKeyword: "items"))
            }
        } else if let items = object["items"] {
            if case .array = items {
                let prefix = try subschemas("items")
                let rest = object["additionalItems"] != nil ? try subschema("additionalItems") : nil
                keywords.append(.items(prefix: prefix, prefixKeyword: "items", rest: rest, restKeyword: "additionalItems"))
            } else {
                keywords.append(.items(prefix: [], prefixKeyword: "items", rest: try subschema("items"), restKeyword: "items"))
            }
        }
        if version >= .draft6, object["contains"] != nil {
            var minimum = 1
            var maximum: Int?
            if version >= .draft2019_09 && uses(.validation) {
                minimum = try count("minContains") ?? 1
                maximum = try count("maxContains")
            }
            keywords.append(.contains(try subschema("contains"), min: minimum, max: maximum, annotates: version >= .draft2020_12))
        }

        // Combinators
        if object["allOf"] != nil { keywords.append(.allOf(try subschemas("allOf"))) }
        if object["anyOf"] != nil { keywords.append(.anyOf(try subschemas("anyOf"))) }
        if object["oneOf"] != nil { keywords.append(.oneOf(try subschemas("oneOf"))) }
        if object["not"] != nil { keywords.append(.not(try subschema("not"))) }
        if version >= .draft7, object["if"] != nil {
            let then = object["then"] != nil ? try subschema("then") : nil
            let otherwise = object["else"] != nil ? try subschema("else") : nil
            // Even without then/else, `if` contributes annotations for unevaluated*.
            keywords.append(.conditional(if: try subschema("if"), then: then, else: otherwise))
        }
    }

    mutating func buildUnevaluated() throws(SchemaError) {
        if object["unevaluatedItems"] != nil {
            late.append(.unevaluatedItems(try subschema("unevaluatedItems")))
            collectsAnnotations = true
        }
        if object["unevaluatedProperties"] != nil {
            late.append(.unevaluatedProperties(try subschema("unevaluatedProperties")))
            collectsAnnotations = true
        }
    }

    // MARK: - References

    func reference(_ value: JSON, keyword: String) throws(SchemaError) -> Keyword {
        guard case .string(let ref) = value else { throw error(keyword, "\(keyword) must be a string") }
        let target = scope.base.resolving(ref)
        let location = try compiler.locate(target, from: ref, defaultDialect: scope.dialect, at: node.location + "/" + keyword)
        return .ref(NodeRef(try compiler.node(at: location)), keyword: keyword)
    }

    func dynamicReference(_ ref: String) throws(SchemaError) -> Keyword {
        let target = scope.base.resolving(ref)
        let location = try compiler.locate(target, from: ref, defaultDialect: scope.dialect, at: node.location + "/$dynamicRef")
        let initial = try compiler.node(at: location)
        // Dynamic only when the fragment is a plain name and the initial target declares
        // that same name as a $dynamicAnchor (the "bookend" rule); otherwise a plain $ref.
        let fragment = (target.fragment ?? "").removingPercentEncoding
        if !fragment.isEmpty, !fragment.hasPrefix("/"),
            case .string(let declared)? = location.pointer.resolve(in: compiler.documents[location.document].root)?["$dynamicAnchor"],
            declared == fragment
        {
            compiler.usesDynamicScope = true
            return .dynamicRef(NodeRef(initial), anchor: fragment)
        }
        return .ref(NodeRef(initial), keyword: "$dynamicRef")
    }

    func recursiveReference(_ ref: String) throws(SchemaError) -> Keyword {
        let target = scope.base.resolving(ref)
        let location = try compiler.locate(target, from: ref, defaultDialect: scope.dialect, at: node.location + "/$recursiveRef")
        let initial = try compiler.node(at: location)
        if compiler.recursiveAnchors.contains(initial.resource.uri), initial.resource.root?.node === initial {
            compiler.usesDynamicScope = true
            return .recursiveRef(NodeRef(initial))
        }
        return .ref(NodeRef(initial), keyword: "$recursiveRef")
    }
}
