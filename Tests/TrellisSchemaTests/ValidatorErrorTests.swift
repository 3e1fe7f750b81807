import Testing
import TrellisJSON
import TrellisSchema

@Suite struct ValidatorErrorTests {
    static let newPet: JSON = [
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "age", "status"],
        "properties": [
            "name": ["type": "string", "minLength": 1, "maxLength": 64],
            "tag": ["type": "string", "maxLength": 32],
            "age": ["type": "integer", "minimum": 0, "maximum": 100],
            "status": ["type": "string", "enum": ["available", "pending", "sold"]],
            "tags": ["type": "array", "maxItems": 10, "uniqueItems": true, "items": ["type": "string", "minLength": 1, "maxLength": 16]],
            "weight": ["type": "number", "exclusiveMinimum": 0],
            "code": ["type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"],
        ],
    ]

    func errors(_ schema: JSON, _ instance: String, options: ValidatorOptions = ValidatorOptions()) throws -> [ValidationError] {
        let validator = try Validator(schema: schema, options: options)
        return validator.validate(try JSONDocument(parsing: instance).root)
    }

    @Test func validBodyHasNoErrors() throws {
        let body = #"{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}"#
        #expect(try errors(Self.newPet, body).isEmpty)
    }

    /// Messages quote a value in at most 60 characters (not bytes): longer ones end with "…".
    @Test func longValuesAreShortenedInMessages() throws {
        let schema: JSON = ["type": "integer"]
        let ascii = String(repeating: "a", count: 70)
        #expect(try errors(schema, "\"\(ascii)\"").map(\.message) == ["\"" + String(repeating: "a", count: 58) + "… is not of type integer"])
        // 50 characters but 100 bytes: not shortened.
        let accented = String(repeating: "é", count: 48)
        #expect(try errors(schema, "\"\(accented)\"").map(\.message) == ["\"\(accented)\" is not of type integer"])
        let exactly = String(repeating: "b", count: 58)
        #expect(try errors(schema, "\"\(exactly)\"").map(\.message) == ["\"\(exactly)\" is not of type integer"])
    }

    @Test func everyErrorOfTheInvalidBodyIsReported() throws {
        let found = try errors(Self.newPet, #"{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}"#)
        #expect(
            found.map(\.description) == [
                #"/name: "" is shorter than 1 character"#,
                "/age: 300 is greater than the maximum of 100",
                #"/status: "lost" is not one of "available", "pending", "sold""#,
                "/tags: array items 0 and 1 are equal; items must be unique",
                #"/code: "x" does not match the pattern ^[A-Z]{3}-[0-9]{4}$"#,
            ])
        let age = try #require(found.first { $0.keyword == "maximum" })
        #expect(age.instanceLocation == JSONPointer(["age"]))
        #expect(age.keywordLocation == "/properties/age/maximum")
        #expect(age.absoluteKeywordLocation == "trellis:///schema.json#/properties/age/maximum")
        #expect(age.parameters["maximum"] == 100)
        #expect(age.instance == 300)
    }

    @Test func missingAndAdditionalPropertiesPointAtTheProperty() throws {
        let found = try errors(Self.newPet, #"{"name":"Rex","extra":1}"#)
        #expect(
            found.map(\.description) == [
                #"/age: "age" is a required property"#,
                #"/status: "status" is a required property"#,
                #"/extra: additional property "extra" is not allowed"#,
            ])
        #expect(found[0].keyword == "required")
        #expect(found[0].parameters["property"] == "age")
        #expect(found[0].instance == nil)
        #expect(found[2].instance == 1)
    }

    @Test func keywordLocationFollowsReferences() throws {
        var registry = SchemaRegistry()
        registry.register(["$defs": ["Age": ["type": "integer", "maximum": 100]]], as: "file:///schemas/common.json")
        let schema: JSON = ["properties": ["age": ["$ref": "common.json#/$defs/Age"]]]
        let validator = try Validator(schema: schema, baseURI: "file:///schemas/pet.json", registry: registry)
        let found = validator.validate(["age": 300])
        #expect(found.count == 1)
        #expect(found[0].keywordLocation == "/properties/age/$ref/maximum")
        #expect(found[0].absoluteKeywordLocation == "file:///schemas/common.json#/$defs/Age/maximum")
        #expect(found[0].instanceLocation.description == "/age")
    }

    @Test func typeMessagesNameTheExpectedTypes() throws {
        let found = try errors(["type": ["string", "null"]], "12")
        #expect(found.map(\.description) == ["/: 12 is not of type string or null"])
        #expect(try errors(["type": "integer"], "1.5").first?.message == "1.5 is not of type integer")
        #expect(try errors(["type": "integer"], "1.0").isEmpty)
    }

    @Test func numericMessages() throws {
        #expect(try errors(["exclusiveMinimum": 0], "0").first?.message == "0 is not greater than the exclusive minimum of 0")
        #expect(try errors(["minimum": 1.5], "1").first?.message == "1 is less than the minimum of 1.5")
        #expect(try errors(["multipleOf": 0.01], "0.075").first?.message == "0.075 is not a multiple of 0.01")
        #expect(try errors(["multipleOf": 0.0001], "0.0075").isEmpty)
        #expect(try errors(["multipleOf": 0.01], "19.99").isEmpty)
    }

    @Test func combinatorMessages() throws {
        let oneOf: JSON = ["oneOf": [["type": "integer"], ["minimum": 2]]]
        #expect(try errors(oneOf, "3").first?.message == "3 matches more than one of the oneOf schemas (0, 1)")
        #expect(try errors(oneOf, "2.5").isEmpty)
        #expect(try errors(["anyOf": [["type": "string"], ["type": "null"]]], "1").first?.message == "1 does not match any of the anyOf schemas")
        #expect(try errors(["not": ["type": "string"]], #""x""#).first?.message == #""x" must not match the "not" schema"#)
        #expect(try errors(false, "1").first?.message == "no value is allowed here")
    }

    @Test func arrayMessagesAndLocations() throws {
        let schema: JSON = ["prefixItems": [["type": "string"]], "items": ["type": "integer"], "minItems": 3]
        let found = try errors(schema, #"[1, "x"]"#)
        #expect(
            found.map(\.description) == [
                "/: array has 2 items, fewer than the minimum of 3",
                "/0: 1 is not of type string",
                #"/1: "x" is not of type integer"#,
            ])
        #expect(found[1].keywordLocation == "/prefixItems/0/type")
        #expect(found[2].keywordLocation == "/items/type")
    }

    @Test func formatIsAnAnnotationUnlessAsserted() throws {
        #expect(try errors(["format": "date"], #""2024-02-30""#).isEmpty)
        let asserted = try errors(["format": "date"], #""2024-02-30""#, options: ValidatorOptions(formatAssertion: true))
        #expect(asserted.map(\.message) == [#""2024-02-30" is not a valid date"#])
        #expect(try errors(["format": "date"], #""2024-02-29""#, options: ValidatorOptions(formatAssertion: true)).isEmpty)
    }

    @Test func maxErrorsLimitsTheReport() throws {
        let schema: JSON = ["items": ["type": "string"]]
        let validator = try Validator(schema: schema, options: ValidatorOptions(maxErrors: 3))
        #expect(validator.validate(.array(Array(repeating: 1, count: 50))).count == 3)
    }

    @Test func escapedPointerTokens() throws {
        let found = try errors(["properties": ["a/b": ["type": "string"]]], #"{"a/b": 1}"#)
        #expect(found.first?.instanceLocation.description == "/a~1b")
        #expect(found.first?.keywordLocation == "/properties/a~1b/type")
    }
}
