import Foundation
import Testing
import TrellisGenerator

/// Every problem in a declaration or a model is a compiler-style diagnostic at its place.
@Suite struct DiagnosticsTests {
    static let pet = #"{"title": "Pet", "type": "object", "properties": {"name": {"type": "string"}}}"#

    func diagnostics(_ files: [String: String]) -> [String] {
        let input = GeneratorInput(declarationPath: "service.json", files: files.mapValues { Array($0.utf8) })
        return Generator.generate(input).diagnostics.map(\.description)
    }

    func service(_ operations: String, extra: String = "") -> String {
        """
        {
          "info": {"title": "T", "version": "1"},\(extra)
          "operations": {
        \(operations)
          }
        }
        """
    }

    @Test func malformedJSONPointsAtTheToken() {
        let found = diagnostics(["service.json": "{\n  \"info\": {\"title\": \"T\",}\n}", "Pet.json": Self.pet])
        #expect(found == ["service.json:2:25: error: malformed JSON: string or '}' expected near '}'"])
    }

    @Test func malformedModelToo() {
        let found = diagnostics(["service.json": service(""), "Pet.json": "{\"type\": \"object\",\n \"properties\": [}"])
        #expect(found == ["Pet.json:2:17: error: malformed JSON: unexpected token near '}'"])
    }

    @Test func misspeltKeyIsNamedWithASuggestion() {
        let found = diagnostics([
            "service.json": service(#"    "getPet": {"methd": "GET", "path": "/pets", "responses": {"200": "Pet.json"}}"#), "Pet.json": Self.pet,
        ])
        #expect(
            found == [
                #"service.json:4:15: error: missing "method" in operations.getPet"#,
                #"service.json:4:16: error: unknown key "methd" in operations.getPet; did you mean "method"?"#,
            ])
    }

    @Test func danglingReferenceInTheDeclaration() {
        let found = diagnostics([
            "service.json": service(#"    "getPet": {"method": "GET", "path": "/pets", "responses": {"200": "Pets.json"}}"#), "Pet.json": Self.pet,
        ])
        #expect(found == [#"service.json:4:71: error: "Pets.json": no model file Pets.json next to the declaration (did you mean "Pet.json"?)"#])
    }

    @Test func danglingReferenceInAModel() {
        let model = "{\n  \"type\": \"object\",\n  \"properties\": {\"owner\": {\"$ref\": \"Person.json\"}}\n}"
        let found = diagnostics([
            "service.json": service(#"    "getPet": {"method": "GET", "path": "/pets", "responses": {"200": "Pet.json"}}"#), "Pet.json": model,
        ])
        #expect(found == [#"Pet.json:3:36: error: $ref "Person.json" leads nowhere: no model file Person.json"#])
    }

    @Test func pathParametersMustMatchThePath() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "getPet": {"method": "GET", "path": "/pets/{petId}", "parameters": {"path": {"id": {"type": "integer"}}}, "responses": {"200": "Pet.json"}}
                """#), "Pet.json": Self.pet,
        ])
        #expect(
            found == [
                #"service.json:4:41: error: path parameter {petId} of "/pets/{petId}" is not declared in parameters.path"#,
                #"service.json:4:82: error: path parameter "id" does not appear in the path "/pets/{petId}""#,
            ])
    }

    @Test func duplicateRoutesNameTheFirstOperation() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "a": {"method": "GET", "path": "/pets/{x}", "parameters": {"path": {"x": {"type": "string"}}}, "responses": {"200": "Pet.json"}},
                    "b": {"method": "GET", "path": "/pets/{y}", "parameters": {"path": {"y": {"type": "string"}}}, "responses": {"200": "Pet.json"}}
                """#), "Pet.json": Self.pet,
        ])
        #expect(found == [#"service.json:5:5: error: GET /pets/{y} is already declared by operation "a""#])
    }

    @Test func aWebSocketCannotShareAnOperationsPath() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "a": {"method": "GET", "path": "/feed", "responses": {"200": "Pet.json"}}
                """#,
                extra: #"""

                      "webSockets": {"feed": {"path": "/feed", "receive": "Pet.json", "send": "Pet.json"}},
                    """#), "Pet.json": Self.pet,
        ])
        #expect(found == [#"service.json:3:35: error: WebSocket /feed is also the path of operation "a" (GET): give one of them another path"#])
    }

    @Test func aWebSocketsPathParametersAreDeclaredAndItsDependenciesKnown() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "a": {"method": "GET", "path": "/a", "responses": {"200": "Pet.json"}}
                """#,
                extra: #"""

                      "webSockets": {"bad": {"path": "/p/{id}", "dependencies": ["nowhere"], "receive": true, "send": true}},
                    """#), "Pet.json": Self.pet,
        ])
        #expect(
            found == [
                #"service.json:3:34: error: path parameter {id} of "/p/{id}" is not declared in parameters.path"#,
                #"service.json:3:62: error: unknown dependency "nowhere"; declare it under dependencies"#,
            ])
    }

    @Test func duplicateOperationIdsAreDuplicateKeys() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "a": {"method": "GET", "path": "/a", "responses": {"200": "Pet.json"}},
                    "a": {"method": "GET", "path": "/b", "responses": {"200": "Pet.json"}}
                """#), "Pet.json": Self.pet,
        ])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("service.json:5:") == true)
        #expect(found.first?.contains("duplicate object key") == true)
    }

    @Test func responsesNeedAStatus() {
        let found = diagnostics(["service.json": service(#"    "a": {"method": "GET", "path": "/a", "responses": {"ok": "Pet.json"}}"#), "Pet.json": Self.pet])
        #expect(found == [#"service.json:4:56: error: response status "ok" must be a status code (100 to 599) or "default""#])
        let none = diagnostics(["service.json": service(#"    "a": {"method": "GET", "path": "/a", "responses": {}}"#), "Pet.json": Self.pet])
        #expect(none == ["service.json:4:55: error: operations.a.responses: object has 0 properties, fewer than the minimum of 1"])
    }

    @Test func twoSchemasWithOneSwiftName() {
        let other = #"{"title": "Pet", "type": "object", "properties": {"age": {"type": "integer"}}}"#
        let found = diagnostics([
            "service.json": service(#"    "a": {"method": "GET", "path": "/a", "responses": {"200": "Pet.json", "201": "Animal.json"}}"#), "Pet.json": Self.pet,
            "Animal.json": other,
        ])
        #expect(
            found == [
                "Animal.json:1:1: warning: two schemas map to the Swift type name Pet: Pet.json and Animal.json; this one is named AnimalPet (give it a title to choose its name)"
            ])
    }

    /// The naming stage names models before anything is translated: which operation uses a
    /// model first (their order in the declaration) does not change its name.
    @Test func modelNamesDoNotDependOnWhichOperationComesFirst() throws {
        let other = #"{"title": "Pet", "type": "object", "properties": {"age": {"type": "integer"}}, "$defs": {"pet": {"type": "string"}}}"#
        func models(_ operations: String) throws -> [String: String] {
            let files = ["service.json": service(operations), "Pet.json": Self.pet, "Animal.json": other]
            let output = Generator.generate(GeneratorInput(declarationPath: "service.json", files: files.mapValues { Array($0.utf8) }))
            #expect(!output.diagnostics.contains { $0.severity == .error })
            return Dictionary(uniqueKeysWithValues: output.files.filter { $0.name.hasPrefix("Models+") }.map { ($0.name, $0.contents) })
        }
        let a = #"    "a": {"method": "GET", "path": "/a", "responses": {"200": "Animal.json", "201": "Animal.json#/$defs/pet"}},"#
        let b = #"    "b": {"method": "GET", "path": "/b", "responses": {"200": "Pet.json"}}"#
        let first = try models(a + "\n" + b)
        let swapped = try models(b + ",\n" + String(a.dropLast()))
        #expect(first == swapped)
        #expect(first["Models+Pet.swift"]?.contains("internal struct Pet:") == true)
        #expect(first["Models+Animal.swift"]?.contains("internal typealias AnimalPet = String") == true)
        #expect(first["Models+Animal.swift"]?.contains("internal struct Pet2:") == true)
    }

    /// Two dependencies of one operation that read the same header: the operation's
    /// description (what the runtime reads and validates) and its OpenAPI parameters list it once.
    @Test func aParameterTwoDependenciesReadIsDescribedOnce() throws {
        let header = #"{"parameters": {"header": {"Authorization": {"schema": {"type": "string"}}}}"#
        let declaration = service(
            #"    "a": {"method": "GET", "path": "/a", "dependencies": ["user", "admin"], "responses": {"200": "Pet.json"}}"#,
            extra: #"\#n  "dependencies": {"user": {"type": "User", \#(header.dropFirst())}, "admin": {"type": "Admin", \#(header.dropFirst())}},"#)
        let output = Generator.generate(
            GeneratorInput(
                declarationPath: "service.json", files: ["service.json": Array(declaration.utf8), "Pet.json": Array(Self.pet.utf8)]))
        #expect(!output.diagnostics.contains { $0.severity == .error }, "\(output.diagnostics)")
        let service = try #require(output.files.first { $0.name == "Service.swift" }).contents
        #expect(service.components(separatedBy: #"ParameterDescription(name: "Authorization""#).count == 2)
        let openAPI = try #require(output.files.first { $0.name == "OpenAPI.swift" }).contents
        #expect(openAPI.components(separatedBy: #""name": "Authorization""#).count == 2)
    }

    @Test func unknownNamesAreErrorsAndUndeclaredTagsWarnings() {
        let found = diagnostics([
            "service.json": service(
                #"    "a": {"method": "GET", "path": "/a", "tags": ["x"], "dependencies": ["db"], "security": [{"key": []}], "responses": {"200": "Pet.json"}}"#
            ), "Pet.json": Self.pet,
        ])
        #expect(
            found == [
                #"service.json:4:51: warning: tag "x" is not declared in tags"#,
                #"service.json:4:74: error: unknown dependency "db"; declare it under dependencies"#,
                #"service.json:4:95: error: unknown security scheme "key"; declare it under securitySchemes"#,
            ])
    }

    @Test func everyErrorIsReportedAtOnce() {
        let found = diagnostics([
            "service.json": service(
                #"""
                    "a": {"method": "GET", "path": "/a/{id}", "responses": {"200": "Nope.json"}},
                    "b": {"method": "POST", "path": "/b", "body": "Missing.json", "responses": {"200": "Pet.json"}}
                """#), "Pet.json": Self.pet,
        ])
        #expect(found.count == 3)
        #expect(found.allSatisfy { $0.contains(": error: ") })
    }

    @Test func unsupportedConstructsWarnAndStayUntyped() {
        let model = #"{"title": "Odd", "allOf": [{"type": "string"}, {"minLength": 2}]}"#
        let found = diagnostics(["service.json": service(#"    "a": {"method": "GET", "path": "/a", "responses": {"200": "Odd.json"}}"#), "Odd.json": model])
        #expect(found == ["Odd.json:1:1: warning: allOf that does not combine objects is not typed; the value is JSON (validation still applies every part)"])
    }
}
