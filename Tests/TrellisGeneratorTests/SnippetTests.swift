import Testing
import TrellisGenerator

/// One construct each: a model schema in, the exact Swift it becomes out.
@Suite struct SnippetTests {
    /// The generated model file for `schema` (as `Model.json`), without the file header.
    func model(_ schema: String) throws -> String {
        let declaration = #"{"info": {"title": "T", "version": "1"}, "models": ["Model.json"], "operations": {}}"#
        let output = Generator.generate(
            GeneratorInput(
                declarationPath: "service.json", files: ["service.json": Array(declaration.utf8), "Model.json": Array(schema.utf8)]))
        #expect(output.diagnostics.filter { $0.severity != .note }.isEmpty, "\(output.diagnostics)")
        let file = try #require(output.files.first { $0.name == "Models+Model.swift" })
        return String(
            file.contents.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("///") && !$0.hasPrefix("internal") }.joined(
                separator: "\n"))
    }

    /// Bounds beyond 64 bits are a schema's business (validation), not a reason to stop: the
    /// type stays `Int`, and the document embedded for the runtime still holds the bound.
    @Test func integersBeyondSixtyFourBits() throws {
        let text = try model(#"{"title": "Counter", "type": "integer", "minimum": -18446744073709551615, "maximum": 18446744073709551615}"#)
        #expect(text.contains("internal typealias Counter = Int"))
        let declaration = #"{"info": {"title": "T", "version": "1"}, "models": ["Model.json"], "operations": {}}"#
        let output = Generator.generate(
            GeneratorInput(
                declarationPath: "service.json",
                files: ["service.json": Array(declaration.utf8), "Model.json": Array(#"{"type": "integer", "maximum": 18446744073709551615}"#.utf8)]))
        let documents = try #require(output.files.first { $0.name == "OpenAPI.swift" }).contents
        #expect(documents.contains(#""maximum":1.8446744073709552e+19"#) || documents.contains(#""maximum":1.8446744073709552e19"#), "\(documents)")
    }

    /// Required members without a schema become untyped properties in the order `required`
    /// lists them (not a set's order, which changes from one run of the generator to the next
    /// and would make every build recompile the file).
    @Test func requiredMembersWithoutSchemasKeepTheirOrder() throws {
        let names = ["kilo", "alpha", "zulu", "echo", "bravo", "yankee", "delta"]
        let text = try model(
            #"{"title": "Loose", "type": "object", "properties": {"note": {"type": "string"}}, "additionalProperties": false, "required": ["#
                + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]}")
        #expect(text.contains("internal init(note: String? = nil, " + names.map { "\($0): JSON" }.joined(separator: ", ") + ")"), "\(text)")
    }

    /// A choice's case named like a type its cases hold (a name with no capital to lower)
    /// would hide the type inside the enum: the case gets a suffix.
    @Test func choiceCasesNeverHideTypes() throws {
        let text = try model(
            ##"{"title": "Pick", "anyOf": [{"$ref": "#/$defs/_7abc"}, {"type": "array", "items": {"$ref": "#/$defs/_7abc"}}], "$defs": {"_7abc": {"type": "object", "properties": {"a": {"type": "string"}}}}}"##
        )
        #expect(text.contains("case _7abcCase(_7abc)"), "\(text)")
        #expect(text.contains("case _7abcs([_7abc])"))
        #expect(text.contains("if let value = try? _7abc(json: json)"))
    }

    /// A string enum of many cases looks its case up rather than switching over every raw value.
    @Test func largeStringEnumsLookTheirCasesUp() throws {
        let values = (1...70).map { "\"v\($0)\"" }.joined(separator: ", ")
        let text = try model(#"{"title": "Many", "enum": ["# + values + #"]}"#)
        #expect(text.contains("private static let _casesByRawValue: [String: Self] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })"))
        #expect(text.contains("internal init?(rawValue: String) {"))
        #expect(!(try model(#"{"title": "Few", "enum": ["a", "b"]}"#)).contains("_casesByRawValue"))
    }

    @Test func stringEnum() throws {
        #expect(
            try model(#"{"title": "Status", "enum": ["available", "in-stock", "class"]}"#) == """
                /// Status
                ///
                /// Generated from `Model.json`.
                internal enum Status: String, Codable, Hashable, Sendable, CaseIterable, JSONReadable, JSONWritable {
                    case available
                    case inStock = "in-stock"
                    case `class`

                    /// Reads one of the raw values.
                    internal init(json: JSONValue) throws {
                        guard let value = Self(rawValue: try String(json: json)) else {
                            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\\(json.json) is not a Status"))
                        }
                        self = value
                    }

                    /// Writes the raw value as a JSON string.
                    internal func writeJSON(into writer: inout JSONWriter) throws { writer.writeString(rawValue) }
                }

                """)
    }

    @Test func aliasesForScalarsAndArrays() throws {
        #expect(try model(#"{"title": "Code", "type": "string", "pattern": "^[A-Z]+$"}"#).contains("internal typealias Code = String"))
        #expect(try model(#"{"title": "Tags", "type": "array", "items": {"type": "string"}}"#).contains("internal typealias Tags = [String]"))
        #expect(try model(#"{"title": "Scores", "additionalProperties": {"type": "number"}}"#).contains("internal typealias Scores = [String: Double]"))
        #expect(try model(#"{"title": "Maybe", "type": ["integer", "null"]}"#).contains("internal typealias Maybe = Int"))
    }

    @Test func requiredOptionalNullableAndDefault() throws {
        let text = try model(
            """
            {"title": "Item", "type": "object", "required": ["a", "c"],
             "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": ["string", "null"]},
                            "d": {"type": "integer", "default": 3}}}
            """)
        #expect(
            text.contains(
                """
                    internal var a: String
                    internal var b: String?
                    /// Required; `nil` is written as `null`.
                    internal var c: String?
                    internal var d: Int
                """))
        #expect(text.contains("internal init(a: String, b: String? = nil, c: String? = nil, d: Int = 3)"))
        // Read and written by the model's own reader and writer (every coder goes through them).
        #expect(text.contains(#"self.c = try json.memberIfPresent("c", as: String.self)"#), "\(text)")
        #expect(text.contains(#"self.d = try json.member("d", as: Int.self, default: 3)"#))
        #expect(!text.contains("CodingKeys") && !text.contains("init(from decoder") && !text.contains("encode(to encoder"))
    }

    @Test func jsonNamesAreKeptInTheReaderAndWriter() throws {
        let text = try model(
            #"{"title": "Names", "type": "object", "properties": {"pet_id": {"type": "integer"}, "URL": {"type": "string"}, "default": {"type": "boolean"}}}"#)
        #expect(text.contains(#"self.petId = try json.memberIfPresent("pet_id", as: Int.self)"#), "\(text)")
        #expect(text.contains(#"self.url = try json.memberIfPresent("URL", as: String.self)"#))
        #expect(text.contains(#"self.`default` = try json.memberIfPresent("default", as: Bool.self)"#))
        #expect(text.contains(#"writer.writeRaw("\"pet_id\":")"#))
    }

    @Test func choiceWithoutDiscriminatorTriesEachAlternative() throws {
        let text = try model(#"{"title": "IdOrName", "oneOf": [{"type": "integer"}, {"type": "string"}]}"#)
        #expect(
            text.contains(
                """
                internal enum IdOrName: Codable, Hashable, Sendable, JSONCodable {
                    case int(Int)
                    case string(String)
                """))
        #expect(text.contains("case .int(let value): value.writeJSON(into: &writer)"))
        #expect(text.contains("if let value = try? Int(json: json) {"))
    }

    @Test func selfReferenceIsBoxed() throws {
        let text = try model(
            ##"{"title": "Node", "type": "object", "properties": {"next": {"$ref": "#"}, "children": {"type": "array", "items": {"$ref": "#"}}}}"##)
        #expect(text.contains("private var _next: IndirectBox<Node>?"))
        #expect(text.contains("internal var children: [Node]?"))
    }

    @Test func inlineObjectsNestInTheirParent() throws {
        let text = try model(
            #"{"title": "Outer", "type": "object", "properties": {"inner_part": {"type": "object", "properties": {"x": {"type": "integer"}}}}}"#)
        #expect(text.contains("internal var innerPart: Outer.InnerPart?"))
        #expect(text.contains("    internal struct InnerPart: Codable, Hashable, Sendable, JSONCodable {"))
    }

    @Test func nestedTypesNeverTakeNamesSwiftOrTheirParentsUse() throws {
        let text = try model(
            #"{"title": "Shape", "type": "object", "properties": {"type": {"enum": ["a", "b"]}, "protocol": {"type": "object"}, "shape": {"type": "object", "properties": {"x": {"type": "integer"}}}}}"#
        )
        #expect(text.contains("internal var type: Shape.TypeValue?"))
        #expect(text.contains("internal enum TypeValue: String, Codable, Hashable, Sendable, CaseIterable, JSONReadable, JSONWritable {"))
        #expect(text.contains("internal var shape: Shape.ShapeValue?"))
        #expect(!text.contains("enum Type:") && !text.contains("struct Shape.Shape"))
    }

    @Test func propertiesNamedLikeTheWritersLocalsAreReadThroughSelf() throws {
        let text = try model(
            #"{"title": "Box", "type": "object", "required": ["writer"], "properties": {"writer": {"type": "string"}, "json": {"type": "string"}}}"#)
        #expect(text.contains("self.writer.writeJSON(into: &writer)"), "\(text)")
        #expect(text.contains(#"self.json = try json.memberIfPresent("json", as: String.self)"#))
    }

    /// The writer knows where commas go while every member before is always written, and
    /// keeps a flag from the first member that may be left out.
    @Test func readersReadEachMemberAsTheDecoderDoes() throws {
        let text = try model(
            #"{"title": "R", "type": "object", "required": ["b", "c"], "properties": {"a": {"type": "string", "default": "x"}, "b": {"type": ["integer", "null"]}, "c": {"type": "boolean"}, "json": {"type": "string", "format": "date-time"}}, "additionalProperties": {"type": "integer"}}"#
        )
        #expect(
            text.contains(
                #"""
                    internal init(json: JSONValue) throws {
                        guard json.kind == .object else {
                            throw DecodingError.typeMismatch(Self.self, .init(codingPath: [], debugDescription: "expected an object, found \(json.kind)"))
                        }
                        self.a = try json.member("a", as: String.self, default: "x")
                        self.b = try json.memberIfPresent("b", as: Int.self)
                        self.c = try json.member("c", as: Bool.self)
                        self.json = try json.memberIfPresent("json", as: Date.self)
                        var additionalProperties: [String: Int] = [:]
                        let declared: Set<String> = ["a", "b", "c", "json"]
                        for (key, value) in json.members where !declared.contains(key) {
                            additionalProperties[key] = try Int(json: value)
                        }
                        self.additionalProperties = additionalProperties
                    }
                """#))
    }

    @Test func writersWriteEachMemberWithItsKey() throws {
        let text = try model(
            #"{"title": "W", "type": "object", "required": ["b", "c"], "properties": {"a": {"type": "string"}, "b": {"type": ["integer", "null"]}, "c": {"type": "boolean"}, "writer": {"type": "number"}, "q\"": {"type": "integer"}}}"#
        )
        #expect(
            text.contains(
                #"""
                    internal func writeJSON(into writer: inout JSONWriter) throws {
                        writer.writeByte(UInt8(ascii: "{"))
                        var comma = false
                        if let value = a {
                            writer.writeRaw("\"a\":")
                            value.writeJSON(into: &writer)
                            comma = true
                        }
                        writer.writeRaw(comma ? ",\"b\":" : "\"b\":")
                        try b.writeJSON(into: &writer)
                        writer.writeRaw(",\"c\":")
                        c.writeJSON(into: &writer)
                        if let value = self.writer {
                            writer.writeRaw(",\"writer\":")
                            try value.writeJSON(into: &writer)
                        }
                        if let value = q {
                            writer.writeRaw(",\"q\\\"\":")
                            value.writeJSON(into: &writer)
                        }
                        writer.writeByte(UInt8(ascii: "}"))
                    }
                """#))
    }

    @Test func aReferenceIntoASchemaIsATypeOfItsOwnAndMayRecurse() throws {
        let text = try model(
            ##"{"title": "Tree", "type": "object", "properties": {"node": {"type": "object", "properties": {"parent": {"$ref": "#/properties/node"}, "kids": {"type": "array", "items": {"$ref": "#/properties/node"}}}}}}"##
        )
        #expect(text.contains("internal struct Node: Codable, Hashable, Sendable, JSONCodable {"))
        #expect(text.contains("private var _parent: IndirectBox<Node>?"))
        #expect(text.contains("internal var kids: [Node]?"))
    }

    @Test func everyLineBreakInADescriptionStartsADocLine() throws {
        let text = try model(#"{"title": "Note", "description": "one\rtwo\u2028three\r\nfour", "type": "string"}"#)
        #expect(text.contains("/// one\n/// two\n/// three\n/// four\n"))
    }
}

/// The generated client asks its transport to stream exactly the statuses whose case is
/// streamed: a code, and `default` less every status declared apart.
@Suite struct ClientStreamedStatusesTests {
    @Test func streamedStatusesAreTheStreamedCasesOnly() throws {
        let stream = #"{"description": "Events", "contentType": "text/event-stream", "stream": true}"#
        let declaration =
            #"{"info": {"title": "T", "version": "1"}, "operations": {"watch": {"method": "GET", "path": "/watch", "responses": {"#
            + #""200": \#(stream), "404": {"description": "None", "schema": {"type": "string"}}, "500": {"description": "Down", "schema": {"type": "string"}}, "default": \#(stream)}}}}"#
        var input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])
        input.generatesClient = true
        let output = Generator.generate(input)
        #expect(output.diagnostics.filter { $0.severity == .error }.isEmpty, "\(output.diagnostics)")
        let client = try #require(output.files.first { $0.name == "Client.swift" }).contents
        let line = try #require(client.split(separator: "\n").first { $0.contains("trellisRequest.streamedStatuses = ") })
        let ranges = Set(line.split(separator: "[", maxSplits: 1)[1].dropLast().split(separator: ",").map { String($0.drop { $0 == " " }) })
        #expect(ranges == ["200...200", "100...199", "201...403", "405...499", "501...599"], "\(line)")
    }
}

/// The access level of generated declarations: internal unless the target asks.
@Suite struct AccessModifierTests {
    func generated(_ access: AccessModifier?) throws -> [String: String] {
        let declaration = #"""
            {"name": "Shop", "info": {"title": "T", "version": "1"}, "models": ["Item.json"],
             "operations": {"getItem": {"method": "GET", "path": "/items/{id}", "parameters": {"path": {"id": {"type": "integer"}}}, "responses": {"200": "Item.json"}}}}
            """#
        var input = GeneratorInput(
            declarationPath: "service.json",
            files: [
                "service.json": Array(declaration.utf8),
                "Item.json": Array(#"{"title": "Item", "type": "object", "properties": {"name": {"type": "string"}}}"#.utf8),
            ],
            generatesClient: true)
        if let access { input.accessModifier = access }
        let output = Generator.generate(input)
        #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
        return Dictionary(uniqueKeysWithValues: output.files.map { ($0.name, $0.contents) })
    }

    /// The served document is a raw string literal with one more `#` than any run after a
    /// quote or a backslash in it, in a getter (its text is outside the file's interface, so
    /// editing it recompiles `OpenAPI.swift` alone).
    @Test func servedDocumentIsARawLiteralInAGetter() throws {
        let declaration = ###"{"info": {"title": "T", "version": "1", "description": "a \"# quote and a \\## backslash"}, "operations": {}}"###
        let output = Generator.generate(GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)]))
        let file = try #require(output.files.first { $0.name == "OpenAPI.swift" }?.contents)
        #expect(file.contains("    internal static var openAPIDocument: String {\n        ###\"\"\"\n"))
        #expect(file.contains("a \\\"# quote and a \\\\## backslash"))
        #expect(!file.contains("####"))
        #expect(file.contains("    internal static var schemaDocuments: [String: String] {\n        [\n"))
    }

    @Test(arguments: [(AccessModifier?.none, "internal"), (.public, "public"), (.package, "package"), (.internal, "internal")])
    func everyDeclarationHasTheSetLevel(access: AccessModifier?, keyword: String) throws {
        let files = try generated(access)
        let model = try #require(files["Models+Item.swift"])
        #expect(model.contains("\n\(keyword) struct Item: "))
        #expect(model.contains("    \(keyword) var name: String?"))
        let operations = try #require(files["Operations.swift"])
        #expect(operations.contains("\(keyword) enum Shop"))
        #expect(operations.contains("\(keyword) struct Input: OperationInput"))
        #expect(try #require(files["Service.swift"]).contains("\(keyword) protocol ShopService: GeneratedService"))
        #expect(try #require(files["OpenAPI.swift"]).contains("\(keyword) static var openAPIDocument: String {"))
        #expect(try #require(files["Client.swift"]).contains("\(keyword) struct ShopClient: Sendable"))
        // No declaration at another level: every access keyword in the files is the set one.
        for other in ["public", "package", "internal"] where other != keyword {
            for (name, text) in files {
                let lines = text.split(separator: "\n").filter { $0.trimmingPrefix(while: \.isWhitespace).hasPrefix(other + " ") }
                #expect(lines.isEmpty, "\(name): \(lines.prefix(3))")
            }
        }
    }
}
