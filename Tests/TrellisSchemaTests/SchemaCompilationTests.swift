import Testing
import TrellisJSON
import TrellisSchema

@Suite struct SchemaCompilationTests {
    func schemaError(_ schema: JSON, registry: SchemaRegistry = SchemaRegistry()) -> SchemaError? {
        do {
            _ = try Validator(schema: schema, baseURI: "file:///s/root.json", registry: registry)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownReferenceNamesItAndItsPlace() throws {
        let error = try #require(schemaError(["properties": ["owner": ["$ref": "person.json"]]]))
        #expect(error.location == "file:///s/root.json#/properties/owner/$ref")
        #expect(error.message == #"unresolvable reference "person.json" (file:///s/person.json): no schema is registered at file:///s/person.json"#)
        #expect(error.pointer == "/properties/owner/$ref")
    }

    @Test func danglingPointerAndAnchor() throws {
        #expect(schemaError(["$ref": "#/$defs/missing"])?.message.contains("nothing at /$defs/missing") == true)
        #expect(schemaError(["$ref": "#nope"])?.message.contains(#"no anchor "nope""#) == true)
    }

    @Test func unknownDialectIsAnError() throws {
        let error = try #require(schemaError(["$schema": "http://example.com/my-dialect"]))
        #expect(error.message.hasPrefix("unknown dialect"))
    }

    @Test func invalidKeywordValues() throws {
        #expect(schemaError(["type": "strng"])?.message.contains("unknown type") == true)
        #expect(schemaError(["minLength": -1])?.location == "file:///s/root.json#/minLength")
        #expect(schemaError(["multipleOf": 0])?.message == "multipleOf must be a number greater than 0")
        #expect(schemaError(["required": "name"])?.message == "required must be an array of strings")
        #expect(schemaError(["properties": ["a": 3]])?.message.contains("must be an object or a boolean") == true)
    }

    @Test func invalidRegexSaysWhere() throws {
        let error = try #require(schemaError(["properties": ["code": ["pattern": "([a-z]"]]]))
        #expect(error.location == "file:///s/root.json#/properties/code/pattern")
        #expect(error.message.hasPrefix("invalid regular expression"))
    }

    @Test(arguments: [
        ("http://json-schema.org/draft-04/schema#", false),
        ("http://json-schema.org/draft-07/schema#", true),
        ("https://json-schema.org/draft/2020-12/schema", true),
    ])
    func dialectIsChosenBySchemaKeyword(metaSchema: String, constIsKnown: Bool) throws {
        // `const` does not exist in draft-04, so it is ignored there.
        let validator = try Validator(schema: ["$schema": .string(metaSchema), "const": 1])
        #expect(validator.isValid(2) == !constIsKnown)
    }

    @Test func draft7RefIgnoresSiblings() throws {
        let schema: JSON = [
            "$schema": "http://json-schema.org/draft-07/schema#", "definitions": ["a": ["type": "integer"]], "$ref": "#/definitions/a", "maximum": 1,
        ]
        let validator = try Validator(schema: schema)
        #expect(validator.isValid(5))
        #expect(!validator.isValid("x"))
    }

    @Test func metaSchemasAreBuiltIn() throws {
        let validator = try Validator(schema: ["$ref": "https://json-schema.org/draft/2020-12/schema"])
        #expect(validator.isValid(["type": "string", "minLength": 1]))
        #expect(!validator.isValid(["minLength": -1]))
        let draft7 = try Validator(schema: ["$ref": "http://json-schema.org/draft-07/schema#"])
        #expect(!draft7.isValid(["type": 12]))
    }

    @Test func recursiveSchemasTerminate() throws {
        let schema: JSON = [
            "$defs": [
                "node": ["type": "object", "properties": ["children": ["type": "array", "items": ["$ref": "#/$defs/node"]], "value": ["type": "integer"]]]
            ],
            "$ref": "#/$defs/node",
        ]
        let validator = try Validator(schema: schema)
        #expect(validator.isValid(["value": 1, "children": [["value": 2, "children": []]]]))
        let errors = validator.validate(["value": 1, "children": [["value": "x"]]])
        #expect(errors.map(\.description) == [#"/children/0/value: "x" is not of type integer"#])
        #expect(errors[0].keywordLocation == "/$ref/properties/children/items/$ref/properties/value/type")
    }

    @Test func referenceInitCompilesAFragmentOfARegisteredDocument() throws {
        var registry = SchemaRegistry()
        registry.register(["$defs": ["Tag": ["type": "string", "maxLength": 3]]], as: "file:///s/models.json")
        let validator = try Validator(reference: "file:///s/models.json#/$defs/Tag", registry: registry)
        #expect(validator.isValid("abc"))
        #expect(!validator.isValid("abcd"))
    }

    /// A draft-07 schema reaching, through the registry, a draft-04 document that names its
    /// draft only by its `id` and refers to itself and to a third document by absolute `https`
    /// identifiers, while the registry holds them under `http` (as SchemaStore's deployment
    /// templates do).
    @Test func documentsOfMixedDraftsAndSchemesResolve() throws {
        var registry = SchemaRegistry()
        registry.register(
            try JSON(
                parsing: #"""
                    {"id": "https://example.com/schemas/common.json#",
                     "definitions": {
                       "name": {"type": "string", "minLength": 1, "maxLength": 4},
                       "named": {"type": "object", "required": ["name"], "properties": {
                         "name": {"$ref": "https://example.com/schemas/common.json#/definitions/name"},
                         "level": {"$ref": "https://example.com/schemas/levels.json#/definitions/level"}}}}}
                    """#),
            as: "http://example.com/schemas/common.json")
        registry.register(
            try JSON(
                parsing:
                    #"{"id": "https://example.com/schemas/levels.json#", "definitions": {"level": {"type": "integer", "maximum": 3, "exclusiveMaximum": true}}}"#
            ),
            as: "http://example.com/schemas/levels.json")
        let root = try JSON(
            parsing: #"{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "http://example.com/schemas/common.json#/definitions/named"}"#)
        let validator = try Validator(schema: root, registry: registry)
        #expect(validator.isValid(["name": "abc", "level": 2]))
        #expect(!validator.isValid(["name": "abcde"]))
        #expect(!validator.isValid(["name": ""]))
        // Draft-04's boolean exclusiveMaximum: 3 itself is out.
        #expect(!validator.isValid(["name": "a", "level": 3]))
    }
}
