import Testing
import TrellisGenerator

/// The OpenAPI front end, one construct per test: a document in, the Swift (or the
/// diagnostic, at its `file:line:column`) out.
@Suite struct OpenAPIFrontEndTests {
    struct Generated {
        var files: [String: String]
        var diagnostics: [String]
        /// A file's text; `Models.swift` and `Operations.swift` stand for all their parts.
        func file(_ name: String) -> String {
            switch name {
            case "Models.swift": files.keys.sorted().filter { $0.hasPrefix("Models") }.compactMap { files[$0] }.joined(separator: "\n")
            case "Operations.swift": files.keys.sorted().filter { $0.hasPrefix("Operations") }.compactMap { files[$0] }.joined(separator: "\n")
            default: files[name] ?? ""
            }
        }
    }

    func generate(_ document: String, path: String = "openapi.yaml", others: [String: String] = [:]) -> Generated {
        var files = others.mapValues { Array($0.utf8) }
        files[path] = Array(document.utf8)
        let output = Generator.generate(GeneratorInput(declarationPath: path, files: files))
        return Generated(
            files: Dictionary(uniqueKeysWithValues: output.files.map { ($0.name, $0.contents) }),
            diagnostics: output.diagnostics.filter { $0.severity != .note }.map(\.description))
    }

    /// A 3.1 document with `paths` and `components` given as YAML text (indented by two).
    func document(version: String = "3.1.0", paths: String, components: String = "") -> String {
        """
        openapi: \(version)
        info:
          title: Shop
          version: "1"
        paths:
        \(paths)
        """ + (components.isEmpty ? "" : "\ncomponents:\n" + components)
    }

    @Test func outputFilesAreKnownBeforehand() {
        #expect(
            Generator.outputFileNames(declarationPath: "openapi.yaml", inputPaths: ["openapi.yaml", "pet.yaml"])
                == [
                    "Models1.swift", "Models2.swift", "Models3.swift", "Models4.swift", "Models5.swift", "Models6.swift", "Models7.swift", "Models8.swift",
                    "OpenAPI.swift", "Operations.swift", "Operations1.swift", "Operations2.swift", "Operations3.swift", "Operations4.swift", "Service.swift",
                ])
        #expect(Generator.isOpenAPIPath("api/openapi.yml") && Generator.isOpenAPIPath("openapi.json") && !Generator.isOpenAPIPath("service.json"))
    }

    @Test func operationsParametersAndModels() {
        let generated = generate(
            document(
                paths: """
                      /pets/{petId}:
                        get:
                          operationId: getPet
                          parameters:
                            - {name: petId, in: path, required: true, schema: {type: integer, format: int64}}
                            - {name: fields, in: query, schema: {type: array, items: {type: string}}, explode: false}
                          responses:
                            '200':
                              description: A pet
                              content:
                                application/json:
                                  schema: {$ref: '#/components/schemas/Pet'}
                            4XX:
                              description: A client error
                    """,
                components: """
                      schemas:
                        Pet:
                          type: object
                          required: [id]
                          properties:
                            id: {type: integer, format: int64}
                            name: {type: string}
                    """))
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        let operations = generated.file("Operations.swift")
        #expect(operations.contains("internal enum Shop {}"))
        #expect(operations.contains("internal enum GetPet {"))
        #expect(operations.contains("internal var petId: Int64"))
        #expect(operations.contains("internal var fields: [String]?"))
        #expect(operations.contains("case ok(Pet)"))
        #expect(operations.contains("case clientError(statusCode: Int)"))
        #expect(generated.file("Models.swift").contains("internal struct Pet: "))
        let service = generated.file("Service.swift")
        #expect(
            service.contains(
                #"ParameterDescription(name: "fields", location: .query, required: false, schema: "file:///openapi.yaml#/paths/~1pets~1{petId}/get/parameters/1/schema", style: .form, type: .array, itemType: .string, explode: false)"#
            ))
        #expect(service.contains(#"ResponseDescription(status: .range(4), contentType: nil, schema: nil)"#))
        #expect(service.contains("func getPet(_ input: Shop.GetPet.Input) async throws -> Shop.GetPet.Output"))
    }

    @Test func theServedDocumentIsTheUsersOwn() {
        let generated = generate(
            document(
                version: "3.0.3",
                paths: """
                      /a:
                        get:
                          operationId: a
                          x-internal: kept
                          responses:
                            '204': {description: none}
                    """))
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        let openAPI = generated.file("OpenAPI.swift")
        #expect(openAPI.contains(#""openapi": "3.0.3""#))
        #expect(openAPI.contains(#""x-internal": "kept""#))
    }

    @Test func openAPI30SchemasMeanWhat30Says() {
        let generated = generate(
            document(
                version: "3.0.3",
                paths: """
                      /a:
                        post:
                          operationId: a
                          requestBody:
                            required: true
                            content:
                              application/json:
                                schema: {$ref: '#/components/schemas/Order'}
                          responses:
                            '204': {description: none}
                    """,
                components: """
                      schemas:
                        Order:
                          type: object
                          required: [note, count]
                          properties:
                            note: {type: string, nullable: true, example: hi}
                            count: {type: integer, minimum: 0, exclusiveMinimum: true}
                            size: {type: integer, maximum: 10, exclusiveMaximum: false}
                            owner:
                              nullable: true
                              allOf: [{$ref: '#/components/schemas/Owner'}]
                        Owner:
                          type: object
                          properties:
                            name: {type: string}
                    """))
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        let models = generated.file("Models.swift")
        #expect(models.contains("internal var note: String?"))
        #expect(models.contains("internal var count: Int\n"))
        #expect(models.contains("internal var owner: Owner?"))
        // The runtime validates with the 2020-12 meaning of the same constraints.
        let openAPI = generated.file("OpenAPI.swift")
        #expect(openAPI.contains(#""count":{"type":"integer","exclusiveMinimum":0}"#))
        #expect(openAPI.contains(#""size":{"type":"integer","maximum":10}"#))
        #expect(openAPI.contains(#""note":{"type":["string","null"],"example":"hi"}"#))
    }

    /// Statuses as documents write them become typed statuses; what is not one is a warning.
    @Test func responseStatusesAreTyped() {
        let generated = generate(
            document(
                paths: """
                      /things:
                        delete:
                          operationId: dropThings
                          parameters:
                            - {name: kind, in: query, schema: {type: strange}}
                          responses:
                            '204': {description: gone}
                            4xx: {description: yours}
                            '600': {description: nonsense}
                            default: {description: other}
                    """))
        let service = generated.file("Service.swift")
        #expect(service.contains(#"id: "dropThings", method: .delete, path: "/things","#))
        #expect(service.contains("ResponseDescription(status: .code(204), contentType: nil, schema: nil)"))
        #expect(service.contains("ResponseDescription(status: .range(4), contentType: nil, schema: nil)"))
        #expect(service.contains("ResponseDescription(status: .default, contentType: nil, schema: nil)"))
        #expect(!service.contains("600"))
        // A type JSON Schema does not have is read as text.
        #expect(service.contains(#"ParameterDescription(name: "kind", location: .query, required: false"#) && service.contains("type: .string, explode: true)"))
        #expect(generated.diagnostics == [#"openapi.yaml:14:9: warning: operation dropThings: "600" is not a response status; it is skipped"#])
        #expect(generated.file("Operations.swift").contains("case clientError(statusCode: Int)"))
    }

    /// Response headers whose Swift names would clash (with each other, or with the headers
    /// type's own `fields`) get distinct names.
    @Test func responseHeaderNamesAreUnique() {
        let generated = generate(
            document(
                paths: """
                      /things:
                        get:
                          operationId: listThings
                          responses:
                            '200':
                              description: ok
                              headers:
                                Fields: {schema: {type: string}}
                                X-Id: {schema: {type: integer}}
                                x-id: {schema: {type: integer}}
                    """))
        let operations = generated.file("Operations.swift")
        #expect(operations.contains("internal var fieldsHeader: String?"))
        #expect(operations.contains("internal var xId: Int?"))
        #expect(operations.contains("internal var xIdHeader: Int?"))
        #expect(operations.contains(#"if let value = fieldsHeader { result.append(("Fields", try HeaderText.simple(value))) }"#))
    }

    @Test func unsupportedConstructsAreWarningsAtTheirPlace() {
        let generated = generate(
            document(
                paths: """
                      /upload:
                        post:
                          operationId: uploadFile
                          requestBody:
                            content:
                              application/pdf:
                                schema: {type: string, format: binary}
                          callbacks:
                            done: {}
                          responses:
                            '200':
                              description: ok
                              links:
                                self: {operationId: uploadFile}
                              content:
                                application/xml:
                                  schema: {type: string}
                    """))
        #expect(
            generated.diagnostics == [
                "openapi.yaml:11:11: warning: operation uploadFile: application/pdf is served as raw bytes",
                "openapi.yaml:13:7: warning: operation uploadFile: callbacks are documented but not generated (no Swift mapping yet)",
                "openapi.yaml:18:11: warning: operation uploadFile: response links are documented but not generated (no Swift mapping yet)",
                "openapi.yaml:21:13: warning: operation uploadFile, response 200: XML bodies are written as raw bytes",
            ])
        #expect(generated.file("Operations.swift").contains("internal var body: [UInt8]?"))
    }

    @Test func xTrellisVerifierBindsASchemesVerifier() {
        let generated = generate(
            document(
                paths: """
                        /secret:
                          get:
                            operationId: secret
                            security: [{key: []}, {token: []}]
                            responses:
                              '204': {description: ok}
                    """,
                components: """
                      securitySchemes:
                        key: {type: apiKey, in: header, name: X-Key, x-trellis-verifier: Keys}
                        token:
                          type: http
                          scheme: bearer
                          x-trellis-verifier: not a type
                    """))
        #expect(
            generated.diagnostics == [
                "openapi.yaml:18:27: warning: x-trellis-verifier of security scheme \"token\" is not a Swift type name; the scheme is left for the implementation's securityVerifiers"
            ])
        #expect(generated.file("Service.swift").contains(#"internal var securityVerifiers: [String: any SecurityVerifier.Type] { ["key": Keys.self] }"#))
    }

    @Test func multipartFilePropertiesAreUploadedFilesWithTheirBounds() {
        let generated = generate(
            document(
                paths: """
                      /animals/{id}/photo:
                        post:
                          operationId: uploadPhoto
                          parameters:
                            - {name: id, in: path, required: true, schema: {type: integer}}
                          requestBody:
                            required: true
                            x-trellis-limits: {maxBytes: 3000000, maxParts: 4}
                            content:
                              multipart/form-data:
                                schema:
                                  type: object
                                  required: [photo]
                                  properties:
                                    photo: {type: string, format: binary, maxLength: 2097152}
                                    extras: {type: array, items: {type: string, contentMediaType: image/png}}
                                    caption: {type: string, maxLength: 200}
                                    count: {type: integer}
                                encoding:
                                  photo:
                                    contentType: 'image/png, image/jpeg'
                                    headers:
                                      X-Checksum: {required: true, schema: {type: string, pattern: '^[0-9a-f]{8}$'}}
                          responses:
                            '204': {description: stored}
                    """))
        #expect(generated.diagnostics == [])
        let operations = generated.file("Operations.swift")
        #expect(operations.contains("internal var photo: UploadedFile"))
        #expect(operations.contains("internal var extras: [UploadedFile]?"))
        // A struct that holds files keeps its own coding: a client's multipart writer asks its
        // encoder for the files' locations, which the JSON writer leaves out.
        #expect(operations.contains("try container.encode(photo, forKey: .photo)"), "\(operations)")
        #expect(operations.contains("internal var caption: String?"))
        let service = generated.file("Service.swift")
        #expect(service.contains(#"contentType: "multipart/form-data""#))
        #expect(service.contains(#"FilePartDescription(name: "photo", required: true, contentTypes: ["image/png", "image/jpeg"], maxBytes: 2097152)"#))
        #expect(service.contains(#"FilePartDescription(name: "extras", required: false, multiple: true, contentTypes: ["image/png"])"#))
        #expect(service.contains(#"ParameterDescription(name: "count", location: .query"#))
        #expect(!service.contains(#"ParameterDescription(name: "photo""#))
        #expect(service.contains("limits: BodyLimits(maxBytes: 3000000, maxParts: 4)"))
        #expect(
            service.contains(
                #""photo": [ParameterDescription(name: "X-Checksum", location: .header, required: true, schema: "file:///openapi.yaml#/paths/~1animals~1{id}~1photo/post/requestBody/content/multipart~1form-data/encoding/photo/headers/X-Checksum/schema""#
            ))
    }

    @Test func identifiersFromRealDocumentsMakeValidUniqueNames() {
        let generated = generate(
            document(
                paths: """
                      /a:
                        get:
                          operationId: get-pet
                          responses: {'204': {description: none}}
                        post:
                          operationId: getPet
                          responses: {'204': {description: none}}
                      /b:
                        get:
                          operationId: Pet
                          responses: {'204': {description: none}}
                        put:
                          operationId: 2fa.enable
                          responses: {'204': {description: none}}
                        delete:
                          operationId: données
                          responses: {'204': {description: none}}
                      /c:
                        get:
                          responses: {'204': {description: none}}
                    """,
                components: """
                      schemas:
                        Pet: {type: object}
                        pet: {type: string}
                    """))
        let operations = generated.file("Operations.swift")
        for name in ["enum GetPet {", "enum GetPet2 {", "enum PetOperation {", "enum _2faEnable {", "enum GetC {"] {
            #expect(operations.contains(name), "\(name)")
        }
        let service = generated.file("Service.swift")
        for name in ["func getPet(", "func getPet2(", "func pet(", "func _2faEnable(", "func getC("] {
            #expect(service.contains(name), "\(name)")
        }
        #expect(
            generated.diagnostics == [
                "openapi.yaml:29:10: warning: two schemas map to the Swift type name Pet: openapi.yaml#/components/schemas/Pet and openapi.yaml#/components/schemas/pet; this one is named Pet2 (give it a title to choose its name)"
            ])
    }

    @Test func referencesIntoOtherFiles() {
        let generated = generate(
            document(
                paths: """
                      /pets:
                        get:
                          operationId: listPets
                          parameters:
                            - $ref: 'parameters.yaml#/limit'
                          responses:
                            '200':
                              description: pets
                              content:
                                application/json:
                                  schema:
                                    type: array
                                    items: {$ref: 'schemas/pet.yaml'}
                    """),
            others: [
                "parameters.yaml": "limit: {name: limit, in: query, schema: {type: integer, maximum: 50}}\n",
                "schemas/pet.yaml": "title: Pet\ntype: object\nproperties:\n  name: {type: string}\n",
            ])
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        #expect(generated.file("Operations.swift").contains("internal var limit: Int?"))
        #expect(generated.file("Operations.swift").contains("case ok([Pet])"))
        let openAPI = generated.file("OpenAPI.swift")
        #expect(openAPI.contains(#""file:///schemas/pet.yaml": "#))
        #expect(openAPI.contains(#""file:///parameters.yaml": "#))
    }

    @Test func badDocumentsGetClearErrors() {
        #expect(generate("openapi: 3.1.0\ninfo: {title: [\n").diagnostics.first?.hasPrefix("openapi.yaml:3:1: error: malformed YAML:") == true)
        #expect(
            generate("swagger: '2.0'\ninfo: {title: T, version: '1'}\n").diagnostics == [
                "openapi.yaml:1:10: error: Swagger 2.0 documents are not read: convert the document to OpenAPI 3 (for example with swagger2openapi)"
            ])
        #expect(generate("openapi: 4.0.0\n").diagnostics == ["openapi.yaml:1:10: error: OpenAPI 4.0.0 is not read: Trellis reads OpenAPI 3.0.x and 3.1.x"])
        #expect(generate("- just\n- a list\n").diagnostics == ["openapi.yaml:1:1: error: an OpenAPI document is an object at its top level"])
        // Hostile YAML: unbounded alias expansion and nesting stop with an error, not a crash.
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            laughs +=
                "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) ["
                + Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(generate(laughs).diagnostics.first?.contains("more than 1000000 values") == true)
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(generate(deep).diagnostics.first?.contains("Maximum nesting level reached") == true)
    }

    @Test func aDocumentThatIsNotUTF8IsAClearError() {
        let output = Generator.generate(GeneratorInput(declarationPath: "openapi.yaml", files: ["openapi.yaml": [0x6f, 0x3a, 0x20, 0xff, 0xfe, 0x0a]]))
        #expect(output.diagnostics.map(\.description) == ["openapi.yaml: error: the file is not valid UTF-8"])
        #expect(output.files.isEmpty)
    }

    /// YAML 1.2 scalars, as OpenAPI recommends: `no` stays a string (not YAML 1.1's false),
    /// a quoted number stays a string.
    @Test func yamlScalarsAreReadAsYAML12() {
        let generated = generate(
            document(
                paths: """
                      /a:
                        get:
                          operationId: a
                          parameters:
                            - {name: answer, in: query, schema: {type: string, default: no}}
                            - {name: code, in: query, schema: {type: string, default: '007'}}
                          responses: {'204': {description: none}}
                    """))
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        let service = generated.file("Service.swift")
        #expect(service.contains(#"defaultValue: "\"no\"""#))
        #expect(service.contains(#"defaultValue: "\"007\"""#))
    }

    @Test func aDanglingReferenceIsAWarningNotABrokenBuild() {
        let generated = generate(
            document(
                paths: """
                      /a:
                        get:
                          operationId: a
                          parameters:
                            - $ref: '#/components/parameters/missing'
                          responses: {'204': {description: none}}
                    """))
        #expect(
            generated.diagnostics == [
                "openapi.yaml:10:17: warning: parameter $ref leads nowhere: openapi.yaml has nothing at /components/parameters/missing; the parameter is skipped"
            ])
        #expect(generated.files["Operations1.swift"] != nil)
    }
}
