import Foundation
import Testing
import TrellisGenerator

/// The mistakes a new user made in their first hour (issue #19), each caught by the build at
/// its file, line and column — all of one declaration's in one run, with no second error
/// that follows from the first.
@Suite struct SchemaMistakeTests {
    func diagnostics(_ files: [String: String]) -> [String] {
        let input = GeneratorInput(declarationPath: "service.json", files: files.mapValues { Array($0.utf8) })
        return Generator.generate(input).diagnostics.map(\.description)
    }

    static let declaration = """
        {
          "name": "Orders",
          "info": {"title": "Orders", "version": "1"},
          "models": ["Order.json"],
          "operations": {
            "getOrder": {"method": "GET", "path": "/orders/{id}", "parameters": {"path": {"id": {"type": "integer"}}}, "responses": {"200": "Order.json"}}
          }
        }
        """

    /// A bound written as a string: the runtime would refuse to start; the build says where.
    @Test func aKeywordOfTheWrongTypeInAModel() {
        let order = """
            {
              "title": "Order",
              "type": "object",
              "properties": {
                "quantity": {"type": "integer", "minimum": "1"},
                "note": {"type": "strin"}
              }
            }
            """
        #expect(
            diagnostics(["service.json": Self.declaration, "Order.json": order]) == [
                #"Order.json:5:48: error: properties.quantity.minimum: "1" is not of type number (the JSON Schema 2020-12 meta-schema)"#,
                #"Order.json:6:22: error: properties.note.type: "strin" is not a JSON Schema type; did you mean "string"? the types: array, boolean, integer, null, number, object, string (the JSON Schema 2020-12 meta-schema)"#,
            ])
    }

    /// The same in a schema written in the declaration.
    @Test func aKeywordOfTheWrongTypeInTheDeclaration() {
        let declaration = """
            {
              "name": "Orders",
              "info": {"title": "Orders", "version": "1"},
              "operations": {
                "getOrder": {"method": "GET", "path": "/orders/{id}",
                  "parameters": {"path": {"id": {"type": "integer", "minimum": "1"}}},
                  "responses": {"200": {"description": "The order"}}}
              }
            }
            """
        #expect(
            diagnostics(["service.json": declaration]) == [
                #"service.json:6:68: error: operations.getOrder.parameters.path.id.minimum: "1" is not of type number (the JSON Schema 2020-12 meta-schema)"#
            ])
    }

    /// What the meta-schema cannot see, the runtime's compiler does: a `pattern` that is not
    /// a regular expression fails the build at it, as it would fail the server's start.
    @Test func aPatternThatIsNotARegularExpression() {
        let order = """
            {
              "title": "Order",
              "type": "object",
              "properties": {"code": {"type": "string", "pattern": "^[A-Z"}}
            }
            """
        let found = diagnostics(["service.json": Self.declaration, "Order.json": order])
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("Order.json:4:56: error: ") == true, "\(found)")
    }

    /// A `$schema` that names no dialect, and a schema that is not an object.
    @Test func anUnknownDialectAndASchemaThatIsNoObject() {
        let order = #"{"$schema": "https://json-schema.org/draft/2021-01/schema", "type": "object"}"#
        let found = diagnostics(["service.json": Self.declaration, "Order.json": order, "Tags.json": #"["a", "b"]"#])
        #expect(
            found == [
                #"Order.json:1:13: error: "$schema": https://json-schema.org/draft/2021-01/schema is not a JSON Schema dialect Trellis knows (https://json-schema.org/draft/2020-12/schema, https://json-schema.org/draft/2019-09/schema, http://json-schema.org/draft-07/schema#, http://json-schema.org/draft-06/schema#, http://json-schema.org/draft-04/schema#)"#,
                "Tags.json:1:1: error: a schema is a JSON object (or true or false), not an array",
            ])
    }

    /// An unknown `format` would check nothing and type a plain String: a warning that names
    /// the closest known format and all of them.
    @Test func anUnknownFormatIsAWarning() {
        let order = """
            {
              "title": "Order",
              "type": "object",
              "properties": {
                "placedAt": {"type": "string", "format": "datetime"},
                "format": {"type": "string", "default": "pdf", "examples": [{"format": "not a schema"}]}
              }
            }
            """
        let found = diagnostics(["service.json": Self.declaration, "Order.json": order])
        #expect(found.count == 1)
        #expect(
            found.first?.hasPrefix(
                #"Order.json:5:46: warning: unknown format "datetime": it checks nothing and the value is a String; did you mean "date-time"? known formats: date-time, date, time,"#
            ) == true, "\(found)")
    }

    /// An empty file among the models: one error that says so, at the file.
    @Test func anEmptyModelFile() {
        #expect(
            diagnostics(["service.json": Self.declaration, "Order.json": #"{"type": "object"}"#, "Draft.json": ""]) == [
                "Draft.json:1:1: error: Draft.json is empty: every .json file beside the declaration is read, and a model file holds one JSON Schema (write {} for a schema that accepts anything, or delete the file)"
            ])
    }

    /// A syntax error in a model is the only error: the declaration's references to that file
    /// are not reported as missing.
    @Test func aSyntaxErrorInAModelIsTheOnlyError() {
        #expect(
            diagnostics(["service.json": Self.declaration, "Order.json": "{\n  \"type\": \"object\",\n}"]) == [
                "Order.json:3:1: error: malformed JSON: string or '}' expected near '}'"
            ])
    }

    /// Names that refer to something — dependencies, model files, `$ref` fragments, tags,
    /// security schemes — each get a "did you mean", and every mistake of the declaration and
    /// its models comes in one run.
    @Test func everyMistakeInOneRunWithSuggestions() {
        let declaration = """
            {
              "name": "Orders",
              "info": {"title": "Orders", "version": "1"},
              "tags": [{"name": "orders"}],
              "models": ["Oder.json"],
              "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
              "dependencies": {"store": {"type": "OrderStore"}},
              "operations": {
                "getOrder": {"method": "GET", "path": "/orders/{id}", "tags": ["order"], "dependencies": ["stor"],
                  "security": [{"apikey": []}],
                  "parameters": {"path": {"id": {"type": "integer"}}},
                  "responses": {"200": "Order.json#/$defs/Lines", "404": "Eror.json"}}
              }
            }
            """
        let order = """
            {
              "title": "Order",
              "type": "object",
              "properties": {"quantity": {"type": "integer", "minimum": "1"}},
              "$defs": {"Line": {"type": "object"}}
            }
            """
        #expect(
            diagnostics(["service.json": declaration, "Order.json": order, "Error.json": #"{"type": "object"}"#]) == [
                #"service.json:12:28: error: "Order.json#/$defs/Lines": Order.json has nothing at /$defs/Lines (did you mean "Order.json#/$defs/Line"?)"#,
                #"service.json:12:62: error: "Eror.json": no model file Eror.json next to the declaration (did you mean "Error.json"?)"#,
                #"service.json:9:68: warning: tag "order" is not declared in tags (did you mean "orders"?)"#,
                #"service.json:9:95: error: unknown dependency "stor" (did you mean "store"?); declare it under dependencies"#,
                #"service.json:10:21: error: unknown security scheme "apikey" (did you mean "apiKey"?); declare it under securitySchemes"#,
                #"service.json:5:14: error: no model file Oder.json next to the declaration (did you mean "Order.json"?)"#,
                #"Order.json:4:61: error: properties.quantity.minimum: "1" is not of type number (the JSON Schema 2020-12 meta-schema)"#,
            ])
    }

    /// A declaration's `"$schema"` that leads nowhere (editors would check nothing) is a
    /// warning when the file system can be asked.
    @Test func aMetaSchemaPathThatLeadsNowhere() {
        let declaration = Self.declaration.replacingOccurrences(
            of: #""name": "Orders","#, with: #""$schema": "../Trellis/trellis-service.schema.json", "name": "Orders","#)
        var input = GeneratorInput(
            declarationPath: "service.json", files: ["service.json": Array(declaration.utf8), "Order.json": Array(#"{"type": "object"}"#.utf8)])
        input.fileExists = { $0 == "../Sources/TrellisGenerator/trellis-service.schema.json" }
        #expect(
            Generator.generate(input).diagnostics.map(\.description) == [
                #"service.json:2:14: warning: "$schema": ../Trellis/trellis-service.schema.json does not exist (the path is relative to the declaration); editors check and complete the declaration with it: point it at Sources/TrellisGenerator/trellis-service.schema.json in the Trellis package"#
            ])
        input.files["service.json"] = Array(
            Self.declaration.replacingOccurrences(
                of: #""name": "Orders","#, with: #""$schema": "../Sources/TrellisGenerator/trellis-service.schema.json", "name": "Orders","#
            ).utf8)
        #expect(Generator.generate(input).diagnostics.isEmpty)
    }
}
