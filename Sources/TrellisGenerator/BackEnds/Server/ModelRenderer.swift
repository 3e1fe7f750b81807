internal import TrellisJSON

/// Renders type declarations as Swift source.
///
/// Structs and choices get a `writeJSON(into:)` (``JSONWritable``) and an `init(json:)`
/// (``JSONReadable``), which the runtime uses for request and response bodies, and are
/// `Codable` through them (``JSONCodable``), so that defaults, `null` versus absent, and
/// RFC 3339 dates behave the same with every coder. A struct that holds uploaded files keeps
/// explicit `CodingKeys`, `init(from:)` and `encode(to:)`: a client's multipart writer asks
/// its encoder for the files' locations, which `writeJSON` does not write.
struct ModelRenderer {
    /// The access modifier written on every declaration (`public`, `package` or `internal`).
    let access: String

    func render(_ declaration: TypeDeclaration, into writer: inout CodeWriter) {
        // What must stand at file scope (the coding extensions of wide structs nested in this one).
        var deferred = CodeWriter()
        render(declaration, into: &writer, deferred: &deferred)
        if !deferred.text.isEmpty {
            writer.line()
            writer.append(deferred)
        }
    }

    private func render(_ declaration: TypeDeclaration, into writer: inout CodeWriter, deferred: inout CodeWriter) {
        var docs = declaration.documentation
        if !docs.isEmpty { docs.append("") }
        docs.append("Generated from `\(declaration.source)`.")
        writer.documentation(docs)
        switch declaration.kind {
        case .structure(let properties, let additional):
            renderStruct(declaration, properties: properties, additional: additional, into: &writer, deferred: &deferred)
        case .stringEnum(let cases):
            renderEnum(declaration, cases: cases, into: &writer)
        case .choice(let cases, let exactlyOne, let discriminator):
            renderChoice(declaration, cases: cases, exactlyOne: exactlyOne, discriminator: discriminator, into: &writer, deferred: &deferred)
        case .alias(let type):
            writer.line("\(access) typealias \(declaration.name) = \(type.rendered)")
            for inner in declaration.nested {
                writer.line()
                render(inner, into: &writer, deferred: &deferred)
            }
        }
    }

    private func renderNested(_ declaration: TypeDeclaration, into writer: inout CodeWriter, deferred: inout CodeWriter) {
        for inner in declaration.nested {
            writer.line()
            render(inner, into: &writer, deferred: &deferred)
        }
    }

    // MARK: Structs

    private func storedType(_ property: PropertyDeclaration) -> String {
        if property.boxed {
            return "IndirectBox<\(property.type.nonOptional.rendered)>" + (property.type.isOptional ? "?" : "")
        }
        return property.type.rendered
    }

    /// Structs with more stored properties than this keep them in a nested `_TrellisStorage`
    /// struct. The compiler's definite-initialization pass takes time that grows faster than
    /// the square of the number of properties for an initializer that sets them one by one, as
    /// the written-out memberwise initializer does (measured, `swiftc -emit-sil -Onone`: 200
    /// properties 0.4 s, 400 2.5 s, 800 17 s); the storage's memberwise initializer is the
    /// compiler's own, which it builds in one step.
    static let storageThreshold = 128

    private func renderStruct(
        _ declaration: TypeDeclaration, properties: [PropertyDeclaration], additional: SwiftType?, into writer: inout CodeWriter, deferred: inout CodeWriter
    ) {
        let inStorage = properties.count > Self.storageThreshold
        let bridged = !properties.contains { $0.type.rendered.contains("UploadedFile") }
        let conformances = bridged ? "Codable, Hashable, Sendable, JSONCodable" : "Codable, Hashable, Sendable, JSONReadable, JSONWritable"
        writer.block("\(access) struct \(declaration.name): \(conformances)") { w in
            if inStorage {
                renderForwardingProperties(properties, additional: additional, into: &w)
            } else {
                renderStoredProperties(properties, additional: additional, access: access, into: &w)
            }
            w.line()
            renderMemberwiseInitializer(properties, additional: additional, inStorage: inStorage, into: &w)
            if !bridged {
                w.line()
                renderCodingKeys(properties, into: &w)
            }
            if inStorage {
                if !bridged {
                    w.line()
                    w.documentation(["Reads the value with `decoder`."])
                    w.line("\(access) init(from decoder: any Decoder) throws { self._trellisStorage = try _TrellisStorage(from: decoder) }")
                    w.line()
                    w.documentation(["Writes the value with `encoder`."])
                    w.line("\(access) func encode(to encoder: any Encoder) throws { try _trellisStorage.encode(to: encoder) }")
                }
                w.line()
                w.documentation(["Reads the value from parsed JSON (request bodies; every decoder, through `init(from:)`)."])
                w.line("\(access) init(json: JSONValue) throws { self._trellisStorage = try _TrellisStorage(json: json) }")
                w.line()
                w.documentation(["Writes the value as JSON (response bodies; every encoder, through `encode(to:)`)."])
                w.line("\(access) func writeJSON(into writer: inout JSONWriter) throws { try _trellisStorage.writeJSON(into: &writer) }")
                w.line()
                w.documentation([
                    "The stored properties: a struct of their own, whose memberwise initializer the compiler synthesizes (one written out, setting \(properties.count) properties one by one, takes the compiler far longer to check)."
                ])
                w.block("struct _TrellisStorage: Hashable, Sendable") { b in
                    renderStoredProperties(properties, additional: additional, access: nil, into: &b)
                }
            } else {
                w.line()
                renderCoding(properties, additional: additional, keys: bridged ? nil : "CodingKeys", access: access, into: &w)
            }
            renderNested(declaration, into: &w, deferred: &deferred)
        }
        if inStorage {
            // In an extension (at file scope), so that _TrellisStorage keeps its synthesized
            // memberwise initializer.
            if !deferred.text.isEmpty { deferred.line() }
            deferred.block("extension \(declaration.qualifiedName)._TrellisStorage") { w in
                renderCoding(properties, additional: additional, keys: bridged ? nil : declaration.qualifiedName + ".CodingKeys", access: nil, into: &w)
            }
        }
    }

    /// The properties as stored properties (a boxed one behind a computed property).
    private func renderStoredProperties(_ properties: [PropertyDeclaration], additional: SwiftType?, access: String?, into w: inout CodeWriter) {
        let prefix = access.map { $0 + " " } ?? ""
        for property in properties {
            if access != nil { renderPropertyDocumentation(property, into: &w) }
            if property.boxed && access != nil {
                w.line("\(prefix)var \(property.swiftName): \(property.type.rendered) {")
                if property.type.isOptional {
                    w.line("    get { _\(SwiftNaming.unescaped(property.swiftName))?.value }")
                    w.line("    set { _\(SwiftNaming.unescaped(property.swiftName)) = newValue.map(IndirectBox.init) }")
                } else {
                    w.line("    get { _\(SwiftNaming.unescaped(property.swiftName)).value }")
                    w.line("    set { _\(SwiftNaming.unescaped(property.swiftName)) = IndirectBox(newValue) }")
                }
                w.line("}")
                w.line("private var _\(SwiftNaming.unescaped(property.swiftName)): \(storedType(property))")
            } else if property.boxed {
                w.line("var _\(SwiftNaming.unescaped(property.swiftName)): \(storedType(property))")
            } else {
                w.line("\(prefix)var \(property.swiftName): \(property.type.rendered)")
            }
        }
        if let additional {
            if access != nil { w.documentation(["Members not declared in `properties`."]) }
            w.line("\(prefix)var additionalProperties: [String: \(additional.rendered)]")
        }
    }

    /// The properties as computed properties that read and write the storage.
    private func renderForwardingProperties(_ properties: [PropertyDeclaration], additional: SwiftType?, into w: inout CodeWriter) {
        for property in properties {
            renderPropertyDocumentation(property, into: &w)
            let name = property.swiftName
            if property.boxed {
                let stored = "_trellisStorage._" + SwiftNaming.unescaped(name)
                w.line("\(access) var \(name): \(property.type.rendered) {")
                if property.type.isOptional {
                    w.line("    get { \(stored)?.value }")
                    w.line("    set { \(stored) = newValue.map(IndirectBox.init) }")
                } else {
                    w.line("    get { \(stored).value }")
                    w.line("    set { \(stored) = IndirectBox(newValue) }")
                }
                w.line("}")
            } else {
                w.line("\(access) var \(name): \(property.type.rendered) {")
                w.line("    get { _trellisStorage.\(name) }")
                w.line("    set { _trellisStorage.\(name) = newValue }")
                w.line("}")
            }
        }
        if let additional {
            w.documentation(["Members not declared in `properties`."])
            w.line("\(access) var additionalProperties: [String: \(additional.rendered)] {")
            w.line("    get { _trellisStorage.additionalProperties }")
            w.line("    set { _trellisStorage.additionalProperties = newValue }")
            w.line("}")
        }
        w.line("private var _trellisStorage: _TrellisStorage")
    }

    private func renderPropertyDocumentation(_ property: PropertyDeclaration, into w: inout CodeWriter) {
        var docs = property.documentation
        if property.nullable && property.required { docs.append((docs.isEmpty ? "" : "\n") + "Required; `nil` is written as `null`.") }
        w.documentation(docs.flatMap { $0.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) })
    }

    /// The memberwise initializer, with the declared defaults (and `nil` for optionals).
    private func renderMemberwiseInitializer(_ properties: [PropertyDeclaration], additional: SwiftType?, inStorage: Bool, into w: inout CodeWriter) {
        var parameters: [String] = []
        for property in properties {
            var parameter = "\(property.swiftName): \(property.type.rendered)"
            if let value = property.defaultValue {
                parameter += " = \(value)"
            } else if property.type.isOptional {
                parameter += " = nil"
            }
            parameters.append(parameter)
        }
        if let additional { parameters.append("additionalProperties: [String: \(additional.rendered)] = [:]") }
        /// What a property's stored value is made from its parameter.
        func stored(_ property: PropertyDeclaration) -> (name: String, value: String) {
            guard property.boxed else { return (property.swiftName, property.swiftName) }
            return (
                "_" + SwiftNaming.unescaped(property.swiftName),
                property.type.isOptional ? "\(property.swiftName).map(IndirectBox.init)" : "IndirectBox(\(property.swiftName))"
            )
        }
        w.documentation(["Creates a value."])
        if parameters.isEmpty {
            w.line("\(access) init() {}")
        } else if inStorage {
            w.block("\(access) init(\(parameters.joined(separator: ", ")))") { b in
                var arguments = properties.map { property in
                    let (name, value) = stored(property)
                    return "\(name): \(value)"
                }
                if additional != nil { arguments.append("additionalProperties: additionalProperties") }
                b.line("self._trellisStorage = _TrellisStorage(")
                for (index, argument) in arguments.enumerated() { b.line("    " + argument + (index == arguments.count - 1 ? ")" : ",")) }
            }
        } else {
            w.block("\(access) init(\(parameters.joined(separator: ", ")))") { b in
                for property in properties {
                    let (name, value) = stored(property)
                    b.line("self.\(name) = \(value)")
                }
                if additional != nil { b.line("self.additionalProperties = additionalProperties") }
            }
        }
    }

    private func renderCodingKeys(_ properties: [PropertyDeclaration], into w: inout CodeWriter) {
        if properties.isEmpty {
            w.line("enum CodingKeys: CodingKey {}")
        } else {
            w.block("enum CodingKeys: String, CodingKey") { b in
                for property in properties {
                    let name = property.swiftName
                    if SwiftNaming.unescaped(name) == property.jsonName {
                        b.line("case \(name)")
                    } else {
                        b.line("case \(name) = \(SwiftNaming.stringLiteral(property.jsonName))")
                    }
                }
            }
        }
    }

    /// `init(json:)` and `writeJSON(into:)` over the stored properties, and `init(from:)` and
    /// `encode(to:)` with the coding keys `keys` unless it is nil (`access` nil: inside
    /// `_TrellisStorage`).
    private func renderCoding(_ properties: [PropertyDeclaration], additional: SwiftType?, keys: String?, access: String?, into w: inout CodeWriter) {
        if let keys { renderCodable(properties, additional: additional, keys: keys, access: access, into: &w) }
        renderReader(properties: properties, additional: additional, access: access, into: &w)
        w.line()
        renderWriter(properties: properties, additional: additional, access: access, into: &w)
    }

    /// `init(from:)` and `encode(to:)` over the stored properties, and a blank line after.
    private func renderCodable(_ properties: [PropertyDeclaration], additional: SwiftType?, keys: String, access: String?, into w: inout CodeWriter) {
        let prefix = access.map { $0 + " " } ?? ""
        w.block("\(prefix)init(from decoder: any Decoder) throws") { b in
            if !properties.isEmpty { b.line("let container = try decoder.container(keyedBy: \(keys).self)") }
            for property in properties {
                let target = property.boxed ? "self._\(SwiftNaming.unescaped(property.swiftName))" : "self.\(property.swiftName)"
                let type = property.boxed ? "IndirectBox<\(property.type.nonOptional.rendered)>" : property.type.nonOptional.rendered
                let key = ".\(property.swiftName)"
                var expression: String
                if property.isDateTime {
                    expression =
                        property.required && !property.nullable
                        ? "try container.decodeDateTime(forKey: \(key))"
                        : "try container.decodeDateTimeIfPresent(forKey: \(key))"
                } else if property.required && !property.nullable {
                    expression = "try container.decode(\(type).self, forKey: \(key))"
                } else {
                    expression = "try container.decodeIfPresent(\(type).self, forKey: \(key))"
                }
                if let value = property.defaultValue, !property.type.isOptional, !(property.required && !property.nullable) {
                    // A plain call where it can be: `??` costs the type checker far more.
                    expression =
                        property.isDateTime || property.boxed
                        ? expression + " ?? \(value)" : "try container.decode(\(type).self, forKey: \(key), default: \(value))"
                }
                b.line("\(target) = \(expression)")
            }
            if let additional {
                b.line("let all = try decoder.container(keyedBy: AnyCodingKey.self)")
                b.line("var additionalProperties: [String: \(additional.rendered)] = [:]")
                b.line("let declared: Set<String> = [\(properties.map { SwiftNaming.stringLiteral($0.jsonName) }.joined(separator: ", "))]")
                b.block("for key in all.allKeys where !declared.contains(key.stringValue)") { l in
                    l.line("additionalProperties[key.stringValue] = try all.decode(\(additional.rendered).self, forKey: key)")
                }
                b.line("self.additionalProperties = additionalProperties")
            }
        }

        // Encoding.
        w.line()
        w.block("\(prefix)func encode(to encoder: any Encoder) throws") { b in
            if !properties.isEmpty { b.line("var container = encoder.container(keyedBy: \(keys).self)") }
            for property in properties {
                var value = property.boxed ? "_\(SwiftNaming.unescaped(property.swiftName))" : property.swiftName
                // `container` and `encoder` are this function's locals: such properties are read through `self`.
                if value == "container" || value == "encoder" { value = "self." + value }
                let key = ".\(property.swiftName)"
                if property.isDateTime {
                    b.line(
                        property.type.isOptional
                            ? (property.required
                                ? "if let value = \(value) { try container.encodeDateTime(value, forKey: \(key)) } else { try container.encodeNil(forKey: \(key)) }"
                                : "try container.encodeDateTimeIfPresent(\(value), forKey: \(key))")
                            : "try container.encodeDateTime(\(value), forKey: \(key))")
                } else if property.type.isOptional && !property.required {
                    b.line("try container.encodeIfPresent(\(value), forKey: \(key))")
                } else {
                    b.line("try container.encode(\(value), forKey: \(key))")
                }
            }
            if additional != nil {
                b.line("var all = encoder.container(keyedBy: AnyCodingKey.self)")
                b.block("for (key, value) in additionalProperties") { l in
                    l.line("try all.encode(value, forKey: AnyCodingKey(key))")
                }
            }
        }
        w.line()
    }

    /// The types whose `writeJSON(into:)` cannot throw: calling it with `try` is a compiler
    /// warning in the user's build.
    static let nonThrowingWriters: Set<String> = [
        "String", "Bool", "Int", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "Date", "UUID", "URL", "Data", "CalendarDate",
    ]

    /// `try value.writeJSON(into: &writer)`, without the `try` when the type's writer cannot throw.
    static func writeCall(_ value: String, type: SwiftType) -> String {
        if case .named(let name) = type, nonThrowingWriters.contains(name) { return "\(value).writeJSON(into: &writer)" }
        return "try \(value).writeJSON(into: &writer)"
    }

    /// `writeJSON(into:)`: the bytes `encode(to:)` produces, written directly. Whether a
    /// comma goes before a member is known while every member before it is always written;
    /// after the first member that may be left out, a local flag tells.
    private func renderWriter(properties: [PropertyDeclaration], additional additionalType: SwiftType?, access: String?, into writer: inout CodeWriter) {
        let additional = additionalType != nil
        enum Comma { case never, always, flag }
        // The state before each member (and before the additional properties).
        var states: [Comma] = []
        var state = Comma.never
        for property in properties {
            states.append(state)
            let alwaysWritten = !(property.type.isOptional && !property.required)
            switch (state, alwaysWritten) {
            case (.never, true): state = .always
            case (.never, false): state = .flag
            case (.always, _): state = .always
            case (.flag, true): state = .always
            case (.flag, false): state = .flag
            }
        }
        let finalState = state
        let flagRead = states.contains { $0 == .flag } || (additional && finalState != .always)
        writer.documentation(["Writes the value as JSON (response bodies; every encoder, through `encode(to:)`)."])
        writer.block((access.map { $0 + " " } ?? "") + "func writeJSON(into writer: inout JSONWriter) throws") { b in
            b.line("writer.writeByte(UInt8(ascii: \"{\"))")
            if flagRead { b.line("var comma = false") }
            for (index, property) in properties.enumerated() {
                let before = states[index]
                // Whether a later member (or the additional properties) reads the flag.
                let laterReads = states[(index + 1)...].contains { $0 == .flag } || (additional && finalState != .always)
                var value = property.boxed ? "_\(SwiftNaming.unescaped(property.swiftName))" : property.swiftName
                if value == "writer" { value = "self." + value }
                let key = SwiftNaming.stringLiteral(Self.quoted(property.jsonName) + ":")
                let commaKey = SwiftNaming.stringLiteral("," + Self.quoted(property.jsonName) + ":")
                let alwaysWritten = !(property.type.isOptional && !property.required)
                let target = alwaysWritten ? value : "value"
                var lines: [String] = []
                switch before {
                case .never: lines.append("writer.writeRaw(\(key))")
                case .always: lines.append("writer.writeRaw(\(commaKey))")
                case .flag: lines.append("writer.writeRaw(comma ? \(commaKey) : \(key))")
                }
                lines.append(Self.writeCall(target, type: alwaysWritten ? property.type : property.type.nonOptional))
                // Only members before the first one always written can leave the flag false.
                if laterReads && before != .always { lines.append("comma = true") }
                if alwaysWritten {
                    for line in lines { b.line(line) }
                } else {
                    b.block("if let value = \(value)") { l in for line in lines { l.line(line) } }
                }
            }
            if additional {
                b.block("for (key, value) in additionalProperties") { l in
                    if finalState == .always {
                        l.line("writer.writeByte(UInt8(ascii: \",\"))")
                    } else {
                        l.line("if comma { writer.writeByte(UInt8(ascii: \",\")) }")
                        l.line("comma = true")
                    }
                    l.line("writer.writeString(key)")
                    l.line("writer.writeByte(UInt8(ascii: \":\"))")
                    l.line(Self.writeCall("value", type: additionalType ?? .json))
                }
            }
            b.line("writer.writeByte(UInt8(ascii: \"}\"))")
        }
    }

    /// `init(json:)`: what `init(from:)` reads, read directly from the parsed value.
    private func renderReader(properties: [PropertyDeclaration], additional: SwiftType?, access: String?, into writer: inout CodeWriter) {
        writer.documentation(["Reads the value from parsed JSON (request bodies; every decoder, through `init(from:)`)."])
        writer.block((access.map { $0 + " " } ?? "") + "init(json: JSONValue) throws") { b in
            b.block("guard json.kind == .object else") { g in
                g.line("throw DecodingError.typeMismatch(Self.self, .init(codingPath: [], debugDescription: \"expected an object, found \\(json.kind)\"))")
            }
            for property in properties {
                let target = property.boxed ? "self._\(SwiftNaming.unescaped(property.swiftName))" : "self.\(property.swiftName)"
                let type = property.boxed ? "IndirectBox<\(property.type.nonOptional.rendered)>" : property.type.nonOptional.rendered
                let key = SwiftNaming.stringLiteral(property.jsonName)
                var expression =
                    property.required && !property.nullable
                    ? "try json.member(\(key), as: \(type).self)"
                    : "try json.memberIfPresent(\(key), as: \(type).self)"
                if let value = property.defaultValue, !property.type.isOptional, !(property.required && !property.nullable) {
                    expression = property.boxed ? expression + " ?? \(value)" : "try json.member(\(key), as: \(type).self, default: \(value))"
                }
                b.line("\(target) = \(expression)")
            }
            if let additional {
                b.line("var additionalProperties: [String: \(additional.rendered)] = [:]")
                b.line("let declared: Set<String> = [\(properties.map { SwiftNaming.stringLiteral($0.jsonName) }.joined(separator: ", "))]")
                b.block("for (key, value) in json.members where !declared.contains(key)") { l in
                    l.line("additionalProperties[key] = try \(additional.rendered)(json: value)")
                }
                b.line("self.additionalProperties = additionalProperties")
            }
        }
    }

    /// `name` as a JSON string, quotes and escapes included.
    static func quoted(_ name: String) -> String {
        var writer = JSONWriter(capacity: name.utf8.count + 2)
        writer.writeString(name)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    // MARK: Enums

    /// Beyond this many cases, a string enum's `init(rawValue:)` looks its case up in a dictionary.
    static let enumLookupThreshold = 64

    private func renderEnum(_ declaration: TypeDeclaration, cases: [(name: String, raw: String)], into writer: inout CodeWriter) {
        writer.block("\(access) enum \(declaration.name): String, Codable, Hashable, Sendable, CaseIterable, JSONReadable, JSONWritable") { w in
            for item in cases {
                if SwiftNaming.unescaped(item.name) == item.raw {
                    w.line("case \(item.name)")
                } else {
                    w.line("case \(item.name) = \(SwiftNaming.stringLiteral(item.raw))")
                }
            }
            if cases.count > Self.enumLookupThreshold {
                // The synthesized init(rawValue:) is one switch over every raw value, which costs
                // the compiler far more than the cases themselves (a 2,474-case enum: 11 s and
                // 2.9 GB under Swift 6's checking, 0.8 s and 150 MB with this lookup).
                w.line()
                w.documentation(["The cases by raw value."])
                w.line("private static let _casesByRawValue: [String: Self] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })")
                w.line()
                w.documentation(["The case whose raw value is `rawValue`, if any."])
                w.block("\(access) init?(rawValue: String)") { b in
                    b.line("guard let value = Self._casesByRawValue[rawValue] else { return nil }")
                    b.line("self = value")
                }
            }
            w.line()
            w.documentation(["Reads one of the raw values."])
            w.block("\(access) init(json: JSONValue) throws") { b in
                b.block("guard let value = Self(rawValue: try String(json: json)) else") { g in
                    g.line("throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: \"\\(json.json) is not a \(declaration.name)\"))")
                }
                b.line("self = value")
            }
            w.line()
            w.documentation(["Writes the raw value as a JSON string."])
            // Declared `throws` (it never throws) so that members of this type are written with
            // `try` like any other model, without a compiler warning.
            w.line("\(access) func writeJSON(into writer: inout JSONWriter) throws { writer.writeString(rawValue) }")
        }
    }

    // MARK: Choices

    private func renderChoice(
        _ declaration: TypeDeclaration, cases: [ChoiceCase], exactlyOne: Bool, discriminator: Discriminator?, into writer: inout CodeWriter,
        deferred: inout CodeWriter
    ) {
        let indirect = declaration.isIndirect ? "indirect " : ""
        let bridged = !cases.contains { $0.type.rendered.contains("UploadedFile") }
        let conformances = bridged ? "Codable, Hashable, Sendable, JSONCodable" : "Codable, Hashable, Sendable, JSONReadable, JSONWritable"
        writer.block("\(access) \(indirect)enum \(declaration.name): \(conformances)") { w in
            for item in cases {
                w.line("case \(item.name)(\(item.type.rendered))")
            }
            w.line()
            if !bridged {
                w.block("\(access) init(from decoder: any Decoder) throws") { b in
                    if let discriminator {
                        b.line("let container = try decoder.container(keyedBy: AnyCodingKey.self)")
                        b.line("let kind = try container.decode(String.self, forKey: AnyCodingKey(\(SwiftNaming.stringLiteral(discriminator.propertyName))))")
                        b.switchBlock("kind") { s in
                            for item in cases where !item.discriminatorValues.isEmpty {
                                s.line("case \(item.discriminatorValues.map(SwiftNaming.stringLiteral).joined(separator: ", ")):")
                                s.line("    self = .\(item.name)(try \(item.type.rendered)(from: decoder))")
                            }
                            s.line("default:")
                            s.line(
                                "    throw DecodingError.dataCorruptedError(forKey: AnyCodingKey(\(SwiftNaming.stringLiteral(discriminator.propertyName))), in: container, debugDescription: \"unknown \(discriminator.propertyName) \\\"\\(kind)\\\"\")"
                            )
                        }
                    } else {
                        b.documentation([
                            exactlyOne
                                ? "oneOf: the first alternative that decodes (request validation has already checked that exactly one matches)."
                                : "anyOf: the first alternative that decodes."
                        ])
                        for item in cases {
                            b.block("if let value = try? \(item.type.rendered)(from: decoder)") { l in
                                l.line("self = .\(item.name)(value)")
                                l.line("return")
                            }
                        }
                        b.line(
                            "throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: \"the value matches none of the alternatives of \(declaration.name)\"))"
                        )
                    }
                }
                w.line()
                w.block("\(access) func encode(to encoder: any Encoder) throws") { b in
                    b.switchBlock("self") { s in
                        for item in cases {
                            s.line("case .\(item.name)(let value): try value.encode(to: encoder)")
                        }
                    }
                }
                w.line()
            }
            w.documentation(["Reads the value from parsed JSON (request bodies; every decoder, through `init(from:)`)."])
            w.block("\(access) init(json: JSONValue) throws") { b in
                if let discriminator {
                    b.line("let kind = try json.member(\(SwiftNaming.stringLiteral(discriminator.propertyName)), as: String.self)")
                    b.switchBlock("kind") { s in
                        for item in cases where !item.discriminatorValues.isEmpty {
                            s.line("case \(item.discriminatorValues.map(SwiftNaming.stringLiteral).joined(separator: ", ")):")
                            s.line("    self = .\(item.name)(try \(item.type.rendered)(json: json))")
                        }
                        s.line("default:")
                        s.line(
                            "    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: \"unknown \(discriminator.propertyName) \\\"\\(kind)\\\"\"))"
                        )
                    }
                } else {
                    for item in cases {
                        b.block("if let value = try? \(item.type.rendered)(json: json)") { l in
                            l.line("self = .\(item.name)(value)")
                            l.line("return")
                        }
                    }
                    b.line(
                        "throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: \"the value matches none of the alternatives of \(declaration.name)\"))"
                    )
                }
            }
            w.line()
            w.documentation(["Writes the value as JSON (response bodies; every encoder, through `encode(to:)`)."])
            w.block("\(access) func writeJSON(into writer: inout JSONWriter) throws") { b in
                b.switchBlock("self") { s in
                    for item in cases {
                        s.line("case .\(item.name)(let value): " + Self.writeCall("value", type: item.type))
                    }
                }
            }
            renderNested(declaration, into: &w, deferred: &deferred)
        }
    }
}
