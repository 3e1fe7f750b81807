internal import TrellisJSON
internal import TrellisSchema

/// Turns JSON Schemas into Swift type declarations: the translation stage for models.
///
/// Named schemas (a model file's root, an entry of `$defs`/`definitions`, a `$ref`'s target)
/// become top-level types, declared once, whoever references them, under the name the
/// naming stage (``ModelNaming``) gave them; inline object, enum and choice schemas become
/// types nested in the type (or operation) that holds them, named from their context.
final class TypeTranslator {
    let files: SourceFiles
    var diagnostics = Diagnostics()
    /// Declared top-level types, grouped by the model file they come from.
    private(set) var declarations: [String: [TypeDeclaration]] = [:]
    private var namedSites: [SchemaSite: String] = [:]
    /// Named schemas that allow `null`: their uses are optional.
    private var nullableNames: Set<String> = []
    /// Follows `$ref`s (the front ends' resolver, with `$id` aliases and anchors).
    let resolver: ReferenceResolver
    /// The naming stage's names of top-level types.
    private(set) var naming: ModelNaming

    /// The schemas of the file properties of `multipart/form-data` bodies (and of their
    /// items): these translate to `UploadedFile`.
    private var fileSites: Set<SchemaSite> = []

    /// A translator for the schemas of `files`, with the top-level names `naming` gave.
    init(files: SourceFiles, naming: ModelNaming, resolver: ReferenceResolver) {
        self.files = files
        self.naming = naming
        self.resolver = resolver
    }

    /// A file property of a `multipart/form-data` body.
    struct FilePart {
        var name: String
        var required: Bool
        /// An array of files.
        var multiple: Bool
        /// The media types a file may have (`encoding`'s `contentType`, else the schema's
        /// `contentMediaType`); empty: any.
        var contentTypes: [String]
        /// The schema's `maxLength`: the most bytes of one file.
        var maxBytes: Int?
    }

    /// The file properties of a body that may arrive as `multipart/form-data`: properties of
    /// its object schema declared `type: string` with `format: binary` (OpenAPI 3.0) or with
    /// a `contentMediaType` and no `contentEncoding` (3.1), or arrays of such. Their sites are
    /// remembered: they translate to `UploadedFile`.
    func fileParts(of body: BodyDeclaration) -> [FilePart] {
        guard body.isMultipart else { return [] }
        var site = body.schema
        for _ in 0..<8 {
            guard case .string(let reference)? = value(at: site)?["$ref"], let target = resolve(reference, from: site) else { break }
            site = target
        }
        guard let schema = value(at: site), let properties = schema["properties"]?.objectValue else { return [] }
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var parts: [FilePart] = []
        for (name, property) in properties {
            let propertySite = child(site, "properties", name)
            var fileSite: SchemaSite?
            var multiple = false
            if Self.isFile(property) {
                fileSite = propertySite
            } else if property["type"]?.stringValue == "array", let items = property["items"], Self.isFile(items) {
                fileSite = child(propertySite, "items")
                multiple = true
            }
            guard let fileSite, let file = value(at: fileSite) else { continue }
            fileSites.insert(fileSite)
            let declared = body.encoding[name]?["contentType"]?.stringValue ?? file["contentMediaType"]?.stringValue
            let types = (declared ?? "").split(separator: ",").map { String($0.drop { $0 == " " }).trimmingTrailingSpaces }.filter { !$0.isEmpty }
            let maxBytes = file["maxLength"]?.numberValue.flatMap { Int(exactly: $0.double.rounded(.down)) }
            parts.append(
                FilePart(
                    name: name, required: required.contains(name), multiple: multiple, contentTypes: types.contains("*/*") ? [] : types,
                    maxBytes: maxBytes))
        }
        return parts
    }

    /// Whether a property's schema is a file's.
    static func isFile(_ schema: JSON) -> Bool {
        guard case .object(let schema) = schema, schema["type"] == nil || schema["type"]?.stringValue == "string" else { return false }
        return schema["format"]?.stringValue == "binary" || (schema["contentMediaType"] != nil && schema["contentEncoding"] == nil)
    }

    // MARK: - Sites

    func value(at site: SchemaSite) -> JSON? {
        guard let path = SourceFiles.path(of: site.document), let document = files.json[path] else { return nil }
        return site.pointer.resolve(in: document)
    }

    private func child(_ site: SchemaSite, _ tokens: String...) -> SchemaSite {
        var pointer = site.pointer
        for token in tokens { pointer = pointer.appending(token) }
        return SchemaSite(document: site.document, pointer: pointer)
    }

    private func file(of site: SchemaSite) -> String { SourceFiles.path(of: site.document) ?? site.document }

    private func error(_ message: String, at site: SchemaSite) {
        diagnostics.append(files.diagnostic(.error, message, file: file(of: site), at: site.pointer))
    }

    private func warning(_ message: String, at site: SchemaSite) {
        diagnostics.append(files.diagnostic(.warning, message, file: file(of: site), at: site.pointer))
    }

    /// The site a `$ref` designates, or nil (with a diagnostic) when it leads nowhere.
    func resolve(_ reference: String, from site: SchemaSite) -> SchemaSite? {
        switch resolver.target(of: reference, from: site.document, anchors: true) {
        case .success(let target): return target
        case .failure(let failure):
            if resolver.isUnparsedFile(failure) { return nil }
            let reason: String
            switch failure {
            case .noFile(let path): reason = "no model file \(path)"
            default: reason = failure.reason
            }
            error("$ref \"\(reference)\" leads nowhere: \(reason)\(resolver.suggestion(for: failure, reference: reference))", at: child(site, "$ref"))
            return nil
        }
    }

    /// The Swift names models may take, for the naming of other things to avoid.
    var modelNames: Set<String> { naming.candidates.union(naming.owners.keys) }

    // MARK: - Named types

    /// The Swift type of a named schema, declaring it on first use.
    func namedType(_ site: SchemaSite) -> SwiftType {
        if let name = namedSites[site] { return nullableNames.contains(name) ? .optional(.named(name)) : .named(name) }
        guard let value = value(at: site) else { return .json }
        let name = naming.name(site)
        namedSites[site] = name
        var nested: [TypeDeclaration] = []
        let type = translate(site, value: value, name: name, qualifiedName: name, into: &nested, named: true)
        if case .named(let declared) = type.nonOptional, declared == name {
            // The translation declared the type itself (struct, enum or choice) into `nested`.
            declarations[file(of: site), default: []] += nested
        } else {
            // An alias names the non-optional type; users of a nullable schema see `Name?`.
            declarations[file(of: site), default: []].append(
                TypeDeclaration(
                    name: name, qualifiedName: name, kind: .alias(type.nonOptional), documentation: documentation(value), source: sourceText(site),
                    nested: nested))
        }
        if type.isOptional {
            namedSites[site] = name
            nullableNames.insert(name)
            return .optional(.named(name))
        }
        return .named(name)
    }

    /// The name of a type nested in `enclosing` for the property `jsonName`: never a name
    /// Swift reserves for member types (`Type`, `Protocol`), an enclosing type's name or a
    /// top-level model's (either would shadow a name generated code uses), nor a sibling's.
    private func nestedTypeName(_ jsonName: String, in enclosing: String, used: inout Set<String>) -> String {
        let base = SwiftNaming.typeName(jsonName)
        let enclosingNames = enclosing.split(separator: ".").map(String.init)
        func taken(_ name: String) -> Bool {
            SwiftNaming.reservedTypeNames.contains(name) || enclosingNames.contains(name) || naming.candidates.contains(name)
                || naming.owners[name] != nil || used.contains(name)
        }
        var name = base
        if taken(name) { name = base + "Value" }
        var index = 2
        while taken(name) {
            name = base + "Value" + String(index)
            index += 1
        }
        used.insert(name)
        return name
    }

    func sourceText(_ site: SchemaSite) -> String {
        let path = file(of: site)
        return site.pointer.tokens.isEmpty ? path : path + "#" + site.pointer.description
    }

    func documentation(_ value: JSON) -> [String] {
        var lines: [String] = []
        if case .string(let title)? = value["title"] { lines.append(title) }
        if case .string(let description)? = value["description"] {
            if !lines.isEmpty { lines.append("") }
            lines += description.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        }
        return lines
    }

    // MARK: - Translation

    /// The Swift type of the schema at `site`. Types it needs to declare (named `name`,
    /// qualified `qualifiedName`) are appended to `nested`.
    func type(for site: SchemaSite, name: String, qualifiedName: String, into nested: inout [TypeDeclaration]) -> SwiftType {
        if ModelNaming.isNamed(site, in: files) { return namedType(site) }
        if ModelNaming.componentName(site.pointer.tokens) != nil { return componentType(site) }
        guard let value = value(at: site) else { return .json }
        return translate(site, value: value, name: name, qualifiedName: qualifiedName, into: &nested, named: false)
    }

    private var componentTypes: [SchemaSite: SwiftType] = [:]

    /// The type of an OpenAPI component's inline schema (see ``ModelNaming/componentName(_:)``).
    private func componentType(_ site: SchemaSite) -> SwiftType {
        if let type = componentTypes[site] { return type }
        guard let value = value(at: site) else { return .json }
        let name = naming.name(site)
        var local: [TypeDeclaration] = []
        let type = translate(site, value: value, name: name, qualifiedName: name, into: &local, named: false)
        declarations[file(of: site), default: []] += local
        componentTypes[site] = type
        return type
    }

    private static let annotationKeywords: Set<String> = [
        "title", "description", "default", "examples", "example", "$comment", "readOnly", "writeOnly", "deprecated", "$schema", "$id", "$anchor",
    ]

    private func translate(_ site: SchemaSite, value: JSON, name: String, qualifiedName: String, into nested: inout [TypeDeclaration], named: Bool) -> SwiftType
    {
        guard case .object(let schema) = value else { return .json }
        if fileSites.contains(site) { return .named("UploadedFile") }

        // A reference (draft-07 ignores siblings; later drafts' constraints are left to validation).
        if case .string(let reference)? = schema["$ref"] {
            // Every target is a type of its own, declared once: inlining a target deep inside
            // another schema would declare it again at each use, and forever when it is recursive.
            guard let target = resolve(reference, from: site) else { return .json }
            return namedType(target)
        }

        // Nullable forms: type: [X, "null"], anyOf/oneOf: [X, {type: null}].
        if case .array(let types)? = schema["type"], types.contains("null") {
            let others = types.filter { $0 != "null" }
            if others.count == 1 {
                var copy = schema
                copy["type"] = others[0]
                let wrapped = translate(site, value: .object(copy), name: name, qualifiedName: qualifiedName, into: &nested, named: named)
                return wrapped.isOptional ? wrapped : .optional(wrapped)
            }
            return .json
        }
        for keyword in ["anyOf", "oneOf"] {
            if case .array(let alternatives)? = schema["anyOf"] ?? schema["oneOf"], schema[keyword] != nil, alternatives.count == 2,
                let nullIndex = alternatives.firstIndex(where: { isNullSchema($0) })
            {
                let other = child(site, keyword, String(1 - nullIndex))
                let wrapped = type(for: other, name: name, qualifiedName: qualifiedName, into: &nested)
                return wrapped.isOptional ? wrapped : .optional(wrapped)
            }
        }

        if case .array(let values)? = schema["enum"] {
            let strings = values.compactMap(\.stringValue)
            let hasNull = values.contains(.null)
            if !strings.isEmpty, strings.count + (hasNull ? 1 : 0) == values.count {
                declareEnum(strings, site: site, value: value, name: name, qualifiedName: qualifiedName, into: &nested)
                return hasNull ? .optional(.named(qualifiedName)) : .named(qualifiedName)
            }
            return scalarType(of: values) ?? .json
        }
        if let constant = schema["const"] { return scalarType(of: [constant]) ?? .json }

        if case .array(let parts)? = schema["allOf"] {
            return translateAllOf(site, schema: schema, parts: parts, name: name, qualifiedName: qualifiedName, into: &nested)
        }
        for keyword in ["oneOf", "anyOf"] {
            if case .array(let alternatives)? = schema[keyword], !alternatives.isEmpty {
                if alternatives.count == 1 { return type(for: child(site, keyword, "0"), name: name, qualifiedName: qualifiedName, into: &nested) }
                return translateChoice(
                    site, schema: schema, keyword: keyword, count: alternatives.count, name: name, qualifiedName: qualifiedName, into: &nested)
            }
        }

        let type = schema["type"]?.stringValue ?? inferredType(schema)
        switch type {
        case "string": return stringType(format: schema["format"]?.stringValue, contentEncoding: schema["contentEncoding"]?.stringValue)
        case "integer":
            switch schema["format"]?.stringValue {
            case "int32": return .named("Int32")
            case "int64": return .named("Int64")
            default: return .named("Int")
            }
        case "number":
            return schema["format"]?.stringValue == "float" ? .named("Float") : .named("Double")
        case "boolean": return .named("Bool")
        case "array":
            if schema["items"] == nil || schema["items"] == .bool(true) || schema["items"]?.kind == .array { return .array(.json) }
            let element = self.type(for: child(site, "items"), name: name + "Item", qualifiedName: qualifiedName + "Item", into: &nested)
            return .array(element)
        case "object":
            return translateObject(site, schema: schema, name: name, qualifiedName: qualifiedName, into: &nested)
        default:
            return .json
        }
    }

    private func isNullSchema(_ value: JSON) -> Bool {
        value["type"] == .string("null") || value["const"] == .null || value["enum"] == .array([.null])
    }

    private func inferredType(_ schema: JSONObject) -> String {
        if schema["properties"] != nil || schema["additionalProperties"] != nil || schema["required"] != nil || schema["patternProperties"] != nil {
            return "object"
        }
        if schema["items"] != nil || schema["prefixItems"] != nil { return "array" }
        if schema["pattern"] != nil || schema["minLength"] != nil || schema["maxLength"] != nil || schema["format"] != nil { return "string" }
        return "any"
    }

    /// The mapping of `format` to Swift types (documented in the generator's README section).
    private func stringType(format: String?, contentEncoding: String?) -> SwiftType {
        switch format {
        case "date-time": return .named("Date")
        case "date": return .named("CalendarDate")
        case "uuid": return .named("UUID")
        case "uri": return .named("URL")
        case "byte": return .named("Data")
        default: return contentEncoding == "base64" ? .named("Data") : .string
        }
    }

    private func scalarType(of values: [JSON]) -> SwiftType? {
        let kinds = Set(values.map(\.kind))
        switch kinds {
        case [.string]: return .string
        case [.integer]: return .named("Int")
        case [.integer, .real], [.real]: return .named("Double")
        case [.bool]: return .named("Bool")
        default: return nil
        }
    }

    // MARK: Enums

    private func declareEnum(_ values: [String], site: SchemaSite, value: JSON, name: String, qualifiedName: String, into nested: inout [TypeDeclaration]) {
        var cases: [(name: String, raw: String)] = []
        var used: Set<String> = []
        for raw in values where !cases.contains(where: { $0.raw == raw }) {
            var caseName = raw.isEmpty ? "empty" : SwiftNaming.memberName(raw)
            if used.contains(caseName) {
                warning(
                    "enum values \"\(raw)\" and \"\(cases.first { $0.name == caseName }?.raw ?? "")\" map to the same Swift case name \(caseName); the second is named \(caseName)\(cases.count)",
                    at: site)
                caseName = SwiftNaming.unescaped(caseName) + String(cases.count)
            }
            used.insert(caseName)
            cases.append((caseName, raw))
        }
        nested.append(
            TypeDeclaration(
                name: name, qualifiedName: qualifiedName, kind: .stringEnum(cases: cases), documentation: documentation(value), source: sourceText(site)))
    }

    // MARK: Objects

    private func translateObject(_ site: SchemaSite, schema: JSONObject, name: String, qualifiedName: String, into nested: inout [TypeDeclaration]) -> SwiftType
    {
        let properties = schema["properties"]?.objectValue ?? JSONObject()
        let additional = schema["additionalProperties"]
        if properties.count == 0, schema["allOf"] == nil {
            // A map: {"additionalProperties": {...}} → [String: T].
            if let additional, additional != .bool(false), additional != .bool(true) {
                return .dictionary(type(for: child(site, "additionalProperties"), name: name + "Value", qualifiedName: qualifiedName + "Value", into: &nested))
            }
            if additional != .bool(false) { return .dictionary(.json) }
        }
        let requiredInOrder = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let required = Set(requiredInOrder)
        var declaration = TypeDeclaration(
            name: name, qualifiedName: qualifiedName, kind: .structure(properties: [], additionalProperties: nil),
            documentation: documentation(.object(schema)), source: sourceText(site))
        var members: [PropertyDeclaration] = []
        var inner: [TypeDeclaration] = []
        var usedNames: [String: String] = [:]
        var usedTypeNames: Set<String> = []
        for (jsonName, propertySchema) in properties {
            let propertySite = child(site, "properties", jsonName)
            let typeName = nestedTypeName(jsonName, in: qualifiedName, used: &usedTypeNames)
            let type = self.type(for: propertySite, name: typeName, qualifiedName: qualifiedName + "." + typeName, into: &inner)
            var swiftName = SwiftNaming.memberName(jsonName)
            if let other = usedNames[swiftName] {
                let renamed = SwiftNaming.escape(SwiftNaming.unescaped(swiftName) + String(members.count))
                warning("properties \"\(other)\" and \"\(jsonName)\" map to the same Swift name \(swiftName); the second is named \(renamed)", at: propertySite)
                swiftName = renamed
            }
            usedNames[swiftName] = jsonName
            pendingLookup = inner
            members.append(
                property(
                    jsonName: jsonName, swiftName: swiftName, type: type, schema: propertySchema, site: propertySite, required: required.contains(jsonName)))
            pendingLookup = []
        }
        var added: Set<String> = []
        for name in requiredInOrder where properties[name] == nil && schema["allOf"] == nil && added.insert(name).inserted {
            // A required member without a schema: an untyped value (in the order `required`
            // lists them, so that the generated code is the same on every run).
            let swiftName = SwiftNaming.memberName(name)
            members.append(
                PropertyDeclaration(jsonName: name, swiftName: swiftName, type: .json, required: true, nullable: false, defaultValue: nil, documentation: []))
        }
        var additionalType: SwiftType?
        if let additional, additional != .bool(false), additional != .bool(true) {
            additionalType = type(
                for: child(site, "additionalProperties"), name: "AdditionalProperty", qualifiedName: qualifiedName + ".AdditionalProperty", into: &inner)
        }
        declaration.kind = .structure(properties: members, additionalProperties: additionalType)
        declaration.nested = inner
        nested.append(declaration)
        return .named(qualifiedName)
    }

    private func property(jsonName: String, swiftName: String, type: SwiftType, schema: JSON, site: SchemaSite, required: Bool) -> PropertyDeclaration {
        let nullable = type.isOptional
        var base = type.nonOptional
        var isDateTime = false
        if base == .named("Date") {
            isDateTime = true
        }
        var defaultValue: String?
        if let value = resolvedDefault(schema, site: site) {
            defaultValue = literal(value, for: base, site: site)
        } else if let constant = schema["const"], constant.kind != .object, constant.kind != .array, constant != .null {
            // A constant is its own natural default in the memberwise initializer.
            defaultValue = literal(constant, for: base, site: site)
        }
        if case .named("Date") = base {} else { base = type.nonOptional }
        let storedType: SwiftType = (required && !nullable) || (defaultValue != nil && !nullable) ? base : .optional(base)
        return PropertyDeclaration(
            jsonName: jsonName, swiftName: swiftName, type: storedType, required: required, nullable: nullable,
            defaultValue: defaultValue, documentation: documentation(schema), isDateTime: isDateTime)
    }

    private func resolvedDefault(_ schema: JSON, site: SchemaSite) -> JSON? {
        if let value = schema["default"] { return value }
        if case .string(let reference)? = schema["$ref"], let target = resolve(reference, from: site) { return value(at: target)?["default"] }
        return nil
    }

    /// A Swift literal of `type` for a JSON default, or nil (with a warning) when there is none.
    /// The Swift expression of a schema's `default` for `type`, or nil (with a warning) when
    /// it has none: a `JSON` value is left to validation, as is a value the type cannot hold.
    func literal(_ value: JSON, for type: SwiftType, site: SchemaSite) -> String? {
        if let written = writtenLiteral(value, for: type, depth: 0) { return written }
        if type.nonOptional == .json { return nil }
        warning(
            "the default \(value.compactText) cannot be written as a Swift \(type.rendered); it is not applied in Swift (validation still applies it to requests)",
            at: site)
        return nil
    }

    /// `value` as a Swift expression of `type`: scalars, arrays, dictionaries, optionals,
    /// string enums' cases, aliases' targets, structs built with their memberwise
    /// initializer from an object (`Options(retries: 3)`, `Options()` for `{}`), and choices'
    /// first alternative that holds the value (`Lint.level(.warn)`).
    private func writtenLiteral(_ value: JSON, for type: SwiftType, depth: Int) -> String? {
        guard depth < 32 else { return nil }
        switch (type, value) {
        case (.optional, .null): return "nil"
        case (.optional(let wrapped), _): return writtenLiteral(value, for: wrapped, depth: depth + 1)
        case (.named("String"), .string(let s)): return SwiftNaming.stringLiteral(s)
        case (.named("Int"), .integer(let i)), (.named("Int64"), .integer(let i)), (.named("Int32"), .integer(let i)): return String(i)
        case (.named("Int"), .number(let d)), (.named("Int64"), .number(let d)):
            // `1.0` is the integer 1 in JSON Schema.
            guard d.isFinite, d == d.rounded(), let exact = Int64(exactly: d) else { return nil }
            return String(exact)
        case (.named("Double"), .integer(let i)), (.named("Float"), .integer(let i)): return String(i)
        case (.named("Double"), .number(let d)), (.named("Float"), .number(let d)): return d.isFinite ? d.description : nil
        case (.named("Bool"), .bool(let b)): return b ? "true" : "false"
        case (.array(let element), .array(let items)):
            var parts: [String] = []
            for item in items {
                guard let part = writtenLiteral(item, for: element, depth: depth + 1) else { return nil }
                parts.append(part)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case (.dictionary(let element), .object(let members)):
            if members.count == 0 { return "[:]" }
            var parts: [String] = []
            for (key, member) in members {
                guard let part = writtenLiteral(member, for: element, depth: depth + 1) else { return nil }
                parts.append(SwiftNaming.stringLiteral(key) + ": " + part)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case (.named(let name), .string(let raw)) where enumCase(raw, in: name) != nil:
            return "." + (enumCase(raw, in: name) ?? raw)
        case (.named(let name), _):
            switch declaration(named: name)?.kind {
            case .alias(let target)?:
                return writtenLiteral(value, for: target, depth: depth + 1)
            case .structure(let properties, let additional)?:
                guard case .object(let members) = value else { return nil }
                let known = Set(properties.map(\.jsonName))
                guard additional == nil || members.keys.allSatisfy(known.contains), members.keys.allSatisfy(known.contains) else { return nil }
                var arguments: [String] = []
                for property in properties {
                    if let member = members[property.jsonName] {
                        guard !property.isDateTime, let part = writtenLiteral(member, for: property.type, depth: depth + 1) else { return nil }
                        arguments.append(property.swiftName + ": " + part)
                    } else if property.defaultValue == nil && !property.type.isOptional {
                        return nil  // a required member the default leaves out
                    }
                }
                return name + "(" + arguments.joined(separator: ", ") + ")"
            case .choice(let cases, _, _)?:
                // The first alternative that can hold the value, as decoding tries them.
                for item in cases {
                    if let payload = writtenLiteral(value, for: item.type, depth: depth + 1) { return name + "." + item.name + "(" + payload + ")" }
                }
                return nil
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A declared type by its qualified name (also among the declarations being built).
    private func declaration(named name: String) -> TypeDeclaration? {
        func search(_ declarations: [TypeDeclaration]) -> TypeDeclaration? {
            for declaration in declarations {
                if declaration.qualifiedName == name { return declaration }
                if let found = search(declaration.nested) { return found }
            }
            return nil
        }
        return search(declarations.values.flatMap { $0 }) ?? search(pendingLookup)
    }

    private var enumCases: [String: [(name: String, raw: String)]] = [:]

    private func enumCase(_ raw: String, in typeName: String) -> String? {
        func search(_ declarations: [TypeDeclaration]) -> [(name: String, raw: String)]? {
            for declaration in declarations {
                if declaration.qualifiedName == typeName, case .stringEnum(let cases) = declaration.kind { return cases }
                if let found = search(declaration.nested) { return found }
            }
            return nil
        }
        let cases = search(declarations.values.flatMap { $0 }) ?? search(pendingLookup) ?? []
        return cases.first { $0.raw == raw }?.name
    }

    /// Declarations being built that `enumCase` may need to see (set by callers).
    var pendingLookup: [TypeDeclaration] = []

    // MARK: allOf

    private func translateAllOf(
        _ site: SchemaSite, schema: JSONObject, parts: [JSON], name: String, qualifiedName: String, into nested: inout [TypeDeclaration]
    ) -> SwiftType {
        // allOf of one part (plus annotations): that part's type.
        let ownConstraints = schema.keys.filter { !Self.annotationKeywords.contains($0) && $0 != "allOf" }
        if parts.count == 1 && ownConstraints.isEmpty {
            return type(for: child(site, "allOf", "0"), name: name, qualifiedName: qualifiedName, into: &nested)
        }
        // Merge object parts into one struct: properties and required of every part.
        var merged = JSONObject()
        var properties = JSONObject()
        var required: [JSON] = []
        var objectLike = true
        func absorb(_ part: JSON, at partSite: SchemaSite, depth: Int) {
            guard depth < 16 else { return }
            guard case .object(let object) = part else {
                if part != .bool(true) { objectLike = false }
                return
            }
            if case .string(let reference)? = object["$ref"] {
                if let target = resolve(reference, from: partSite), let value = value(at: target) { absorb(value, at: target, depth: depth + 1) }
            }
            if case .array(let inner)? = object["allOf"] {
                for (index, item) in inner.enumerated() { absorb(item, at: child(partSite, "allOf", String(index)), depth: depth + 1) }
            }
            if let type = object["type"], type != .string("object") { objectLike = false }
            if object["oneOf"] != nil || object["anyOf"] != nil || object["enum"] != nil { objectLike = false }
            for (key, value) in object["properties"]?.objectValue ?? JSONObject() where properties[key] == nil {
                // Point the merged property at its original site, so nested names and refs resolve there.
                properties[key] = .object(
                    JSONObject([
                        ("$ref", .string("#" + child(partSite, "properties", key).pointer.description)), ("$trellisDocument", .string(partSite.document)),
                    ]))
                _ = value
            }
            required += object["required"]?.arrayValue ?? []
            if let additional = object["additionalProperties"], merged["additionalProperties"] == nil { merged["additionalProperties"] = additional }
        }
        absorb(.object(schema.filteringAllOf), at: site, depth: 0)
        for (index, part) in parts.enumerated() { absorb(part, at: child(site, "allOf", String(index)), depth: 0) }
        guard objectLike, properties.count > 0 else {
            warning("allOf that does not combine objects is not typed; the value is JSON (validation still applies every part)", at: site)
            return .json
        }
        return translateMergedObject(
            site, properties: properties, required: required, additional: merged["additionalProperties"], documentation: documentation(.object(schema)),
            name: name, qualifiedName: qualifiedName, into: &nested)
    }

    private func translateMergedObject(
        _ site: SchemaSite, properties: JSONObject, required: [JSON], additional: JSON?, documentation: [String],
        name: String, qualifiedName: String, into nested: inout [TypeDeclaration]
    ) -> SwiftType {
        let requiredNames = Set(required.compactMap(\.stringValue))
        var members: [PropertyDeclaration] = []
        var inner: [TypeDeclaration] = []
        var usedTypeNames: Set<String> = []
        for (jsonName, reference) in properties {
            guard case .string(let document)? = reference["$trellisDocument"], case .string(let fragment)? = reference["$ref"],
                let pointer = JSONPointer(parsing: String(fragment.dropFirst()))
            else { continue }
            let propertySite = SchemaSite(document: document, pointer: pointer)
            let typeName = nestedTypeName(jsonName, in: qualifiedName, used: &usedTypeNames)
            let type = self.type(for: propertySite, name: typeName, qualifiedName: qualifiedName + "." + typeName, into: &inner)
            let schema = value(at: propertySite) ?? true
            pendingLookup = inner
            defer { pendingLookup = [] }
            members.append(
                property(
                    jsonName: jsonName, swiftName: SwiftNaming.memberName(jsonName), type: type, schema: schema, site: propertySite,
                    required: requiredNames.contains(jsonName)))
        }
        var additionalType: SwiftType?
        if let additional, additional != .bool(false), additional != .bool(true) {
            additionalType = .json
        }
        nested.append(
            TypeDeclaration(
                name: name, qualifiedName: qualifiedName, kind: .structure(properties: members, additionalProperties: additionalType),
                documentation: documentation, source: sourceText(site), nested: inner))
        return .named(qualifiedName)
    }

    // MARK: oneOf / anyOf

    private func translateChoice(
        _ site: SchemaSite, schema: JSONObject, keyword: String, count: Int, name: String, qualifiedName: String, into nested: inout [TypeDeclaration]
    ) -> SwiftType {
        var cases: [ChoiceCase] = []
        var inner: [TypeDeclaration] = []
        var used: Set<String> = []
        var mapping: [String: String] = [:]  // target document#pointer → discriminator value
        var discriminator: Discriminator?
        if case .object(let object)? = schema["discriminator"], case .string(let property)? = object["propertyName"] {
            discriminator = Discriminator(propertyName: property)
            for (value, target) in object["mapping"]?.objectValue ?? JSONObject() {
                if case .string(let reference) = target, let resolved = resolve(reference, from: site) { mapping[resolved.reference] = value }
            }
        }
        for index in 0..<count {
            let alternative = child(site, keyword, String(index))
            let caseTypeName = name + "Case" + String(index + 1)
            let type = self.type(for: alternative, name: caseTypeName, qualifiedName: qualifiedName + "." + caseTypeName, into: &inner)
            var caseName = Self.caseName(for: type, index: index)
            if used.contains(caseName) { caseName = SwiftNaming.escape(SwiftNaming.unescaped(caseName) + String(index + 1)) }
            used.insert(caseName)
            var values: [String] = []
            if discriminator != nil {
                var target = alternative
                if case .string(let reference)? = value(at: alternative)?["$ref"], let resolved = resolve(reference, from: alternative) { target = resolved }
                if let mapped = mapping[target.reference] {
                    values.append(mapped)
                } else if case .named(let typeName) = type {
                    values.append(target.pointer.tokens.last.map { $0.hasSuffix(".json") ? String($0.dropLast(5)) : $0 } ?? typeName)
                    if target.pointer.tokens.isEmpty, let path = SourceFiles.path(of: target.document) {
                        values[0] = String(path.split(separator: "/").last ?? "").replacingSuffix(".json")
                    }
                }
            }
            cases.append(ChoiceCase(name: caseName, type: type, discriminatorValues: values))
        }
        // A case named like a type the enum's cases hold (`_779cdFull`, whose name has no
        // capital to lower) would hide that type inside the enum: such a case gets a suffix.
        let typeRoots = Set(cases.flatMap { Self.rootNames(of: $0.type) })
        for index in cases.indices where typeRoots.contains(SwiftNaming.unescaped(cases[index].name)) {
            var renamed = SwiftNaming.unescaped(cases[index].name) + "Case"
            while used.contains(renamed) || typeRoots.contains(renamed) { renamed += String(index + 1) }
            used.insert(renamed)
            cases[index].name = SwiftNaming.escape(renamed)
        }
        nested.append(
            TypeDeclaration(
                name: name, qualifiedName: qualifiedName, kind: .choice(cases: cases, exactlyOne: keyword == "oneOf", discriminator: discriminator),
                documentation: documentation(.object(schema)), source: sourceText(site), nested: inner))
        return .named(qualifiedName)
    }

    /// The outermost names a type is written with: `Pet` for `[Pet.Kind]?`.
    static func rootNames(of type: SwiftType) -> [String] {
        switch type {
        case .named(let name): return [String(name.split(separator: ".").first ?? Substring(name))]
        case .array(let element), .dictionary(let element), .optional(let element): return rootNames(of: element)
        }
    }

    static func caseName(for type: SwiftType, index: Int) -> String {
        switch type {
        case .named(let name):
            let simple = name.split(separator: ".").last.map(String.init) ?? name
            if simple.contains("Case") && simple.hasSuffix(String(index + 1)) { return "case\(index + 1)" }
            return SwiftNaming.memberName(simple)
        case .array(let element): return SwiftNaming.unescaped(caseName(for: element, index: index)) + "s"
        case .dictionary: return "dictionary"
        case .optional(let wrapped): return caseName(for: wrapped, index: index)
        }
    }
}

extension JSONObject {
    /// This object without its `allOf` (when merging it with its parts).
    var filteringAllOf: JSONObject {
        var copy = self
        copy["allOf"] = nil
        return copy
    }
}

extension String {
    func replacingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String { String(reversed().drop { $0 == " " }.reversed()) }
}
