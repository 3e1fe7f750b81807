internal import TrellisJSON
internal import TrellisSchema

/// Checks of the schemas themselves, before any type is made of them, so that a schema the
/// runtime would refuse at start-up fails the build instead, at its line and column: every
/// model file (and each schema written in a service declaration) against its dialect's
/// meta-schema, then compiled as the runtime compiles it; each `format` against the formats
/// Trellis knows. Every problem of every file is reported in one run.
struct SchemaChecks {
    let files: SourceFiles
    private(set) var diagnostics = Diagnostics()
    /// The meta-schemas' validators, by dialect, compiled once.
    private var metaValidators: [Dialect: Validator] = [:]
    /// Every file by its URI, for the `$ref`s of the schemas compiled as the runtime compiles them.
    private let registry: SchemaRegistry

    init(files: SourceFiles) {
        self.files = files
        var registry = SchemaRegistry()
        for (path, document) in files.json { registry.register(document, as: SourceFiles.uri(of: path)) }
        self.registry = registry
    }

    /// The formats a `format` may name: those the validator asserts (JSON Schema 2020-12's),
    /// and OpenAPI's, which choose Swift types.
    static let knownFormats: [String] = FormatChecker.names + ["int32", "int64", "float", "double", "byte", "binary", "password"]

    /// Checks the model file at `path` (parsed; not the declaration).
    mutating func checkModelFile(_ path: String) {
        guard let document = files.json[path] else { return }
        checkSchema(document, in: path, at: .root, inheriting: nil)
    }

    /// Checks a schema written at `pointer` in the file at `path` (a declaration's inline
    /// schema: 2020-12 unless it says otherwise).
    mutating func checkSchema(at pointer: JSONPointer, in path: String) {
        guard let document = files.json[path], let schema = pointer.resolve(in: document), schema.objectValue != nil else { return }
        checkSchema(schema, in: path, at: pointer, inheriting: .draft2020_12)
    }

    private mutating func checkSchema(_ schema: JSON, in path: String, at base: JSONPointer, inheriting: Dialect?) {
        guard case .object(let object) = schema else {
            if case .bool = schema { return }
            diagnostics.append(files.diagnostic(.error, "a schema is a JSON object (or true or false), not \(schema.kindName)", file: path, at: base))
            return
        }
        var dialect = inheriting ?? .draft2020_12
        if case .string(let uri)? = object["$schema"] {
            if let named = Dialect(metaSchemaURI: uri) {
                dialect = named
            } else {
                let known = Dialect.all.map(\.metaSchemaURI).joined(separator: ", ")
                diagnostics.append(
                    files.diagnostic(
                        .error, "\"$schema\": \(uri) is not a JSON Schema dialect Trellis knows (\(known))", file: path, at: base.appending("$schema")))
                return
            }
        }
        guard let validator = metaValidator(for: dialect) else { return }
        let errors = validator.validate(schema)
        var reported: Set<JSONPointer> = []
        for error in errors {
            let at = JSONPointer(base.tokens + error.instanceLocation.tokens)
            // One error per place: a value that fails several branches of the meta-schema is one mistake.
            guard reported.insert(at).inserted else { continue }
            let place = at.tokens.isEmpty ? "the schema" : at.tokens.joined(separator: ".")
            diagnostics.append(
                files.diagnostic(
                    .error, "\(place): \(Self.message(for: error, at: at, in: schema, base: base)) (the JSON Schema \(dialect) meta-schema)", file: path, at: at
                ))
        }
        checkFormats(schema, in: path, at: base)
        // What the meta-schema cannot say (a pattern that is not a regular expression, say),
        // the runtime's compiler does: compiled here as there, with every file registered.
        guard errors.isEmpty, base == .root else { return }
        do {
            _ = try Validator(schema: schema, baseURI: SourceFiles.uri(of: path), registry: registry)
        } catch {
            // A reference that leads nowhere is reported where the types are made, with its reason.
            guard !error.message.contains("reference") else { return }
            let pointer = JSONPointer(parsing: error.pointer) ?? .root
            diagnostics.append(files.diagnostic(.error, error.message, file: path, at: pointer))
        }
    }

    static let typeNames = ["array", "boolean", "integer", "null", "number", "object", "string"]

    /// The meta-schema's error in words, with a suggestion for a misspelt `type`.
    private static func message(for error: ValidationError, at pointer: JSONPointer, in schema: JSON, base: JSONPointer) -> String {
        let relative = JSONPointer(Array(pointer.tokens.dropFirst(base.tokens.count)))
        if relative.tokens.last == "type", case .string(let name)? = relative.resolve(in: schema) {
            let hint = closestName(to: name, among: typeNames).map { "did you mean \"\($0)\"? " } ?? ""
            return "\"\(name)\" is not a JSON Schema type; \(hint)the types: \(typeNames.joined(separator: ", "))"
        }
        return error.message
    }

    /// Warns of every `format` Trellis does not know (it would validate nothing and type a
    /// plain `String`), naming the closest known one.
    private mutating func checkFormats(_ value: JSON, in path: String, at pointer: JSONPointer) {
        switch value {
        case .object(let object):
            if case .string(let format)? = object["format"], !Self.knownFormats.contains(format) {
                let hint = closestName(to: format, among: Self.knownFormats).map { "did you mean \"\($0)\"? " } ?? ""
                diagnostics.append(
                    files.diagnostic(
                        .warning,
                        "unknown format \"\(format)\": it checks nothing and the value is a String; \(hint)known formats: \(Self.knownFormats.joined(separator: ", "))",
                        file: path, at: pointer.appending("format")))
            }
            // Values that are data, not schemas, are left alone.
            for (key, child) in object where !["enum", "const", "default", "examples", "example"].contains(key) {
                checkFormats(child, in: path, at: pointer.appending(key))
            }
        case .array(let items):
            for (index, item) in items.enumerated() { checkFormats(item, in: path, at: pointer.appending(index)) }
        default:
            break
        }
    }

    private mutating func metaValidator(for dialect: Dialect) -> Validator? {
        if let validator = metaValidators[dialect] { return validator }
        do {
            let validator = try Validator(reference: dialect.metaSchemaURI, registry: SchemaRegistry())
            metaValidators[dialect] = validator
            return validator
        } catch {
            diagnostics.append(Diagnostic(.error, "internal error: the \(dialect) meta-schema does not compile: \(error)", file: ""))
            return nil
        }
    }
}

extension JSON {
    /// `an array`, `a string`...: what a value is, in words.
    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .bool: "a boolean"
        case .null: "null"
        default: "a number"
        }
    }
}
