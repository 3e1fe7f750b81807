import Testing
import TrellisJSON
import TrellisSchema

/// Schemas and instances crafted to crash, hang or slip past a validator.
@Suite struct HostileSchemaAndInputTests {
    @Test(arguments: [
        ["$ref": "#"] as JSON,
        ["$defs": ["a": ["allOf": [["$ref": "#/$defs/a"]]]], "$ref": "#/$defs/a"],
        ["anyOf": [["type": "string"], ["not": ["$ref": "#"]]]],
        ["if": true, "then": ["$ref": "#"]],
    ])
    func inPlaceCyclesAreSchemaErrors(schema: JSON) throws {
        let error = #expect(throws: SchemaError.self) { try Validator(schema: schema) }
        #expect(error?.message.contains("never end") == true)
    }

    /// `uniqueItems` compares strings by code points at every size (the hashed path for long
    /// arrays once used Unicode canonical equivalence): "é" and "e\u{301}" are two items.
    @Test(arguments: [2, 33, 200]) func uniqueItemsComparesCodePointsAtEverySize(count: Int) throws {
        let validator = try Validator(schema: ["uniqueItems": true])
        var items: [JSON] = (0..<(count - 2)).map { .integer(Int64($0)) }
        items += [.string("\u{E9}"), .string("e\u{301}")]
        #expect(validator.isValid(.array(items)))
        #expect(validator.validate(.array(items)).isEmpty)
        // 1 and 1.0 are one number at every size.
        var numbers: [JSON] = (0..<(count - 2)).map { .string("s\($0)") }
        numbers += [.integer(1), .number(1.0)]
        #expect(!validator.isValid(.array(numbers)))
        #expect(validator.validate(.array(numbers)).first?.keyword == "uniqueItems")
    }

    /// Each match is bounded (a million backtracking steps, PCRE2's default being ten): a
    /// catastrophic pattern costs about a millisecond a string, not twelve, and counts as no
    /// match.
    @Test func aCatastrophicPatternIsBoundedPerMatch() throws {
        let validator = try Validator(schema: ["pattern": "^(a+)+$"])
        let text = JSON.string(String(repeating: "a", count: 30) + "!")
        let start = ContinuousClock.now
        for _ in 0..<500 { #expect(!validator.isValid(text)) }
        #expect(ContinuousClock.now - start < .seconds(3), "500 matches took \(ContinuousClock.now - start)")
        #expect(validator.isValid(.string(String(repeating: "a", count: 30))))
    }

    /// Once the error list is full, what could not be reported is not evaluated: an array of
    /// 100 000 bad items under a costly subschema takes no longer than the first hundred.
    @Test func evaluationStopsWhenTheErrorListIsFull() throws {
        let validator = try Validator(schema: ["items": ["type": "string", "pattern": "^(a+)+$"]])
        let items = JSON.array(Array(repeating: .string(String(repeating: "a", count: 24) + "!"), count: 100_000))
        let start = ContinuousClock.now
        let errors = validator.validate(items)
        #expect(errors.count == 100)
        #expect(ContinuousClock.now - start < .seconds(5), "took \(ContinuousClock.now - start)")
    }

    @Test func unreachedCyclesAreLeftToTheDepthLimit() throws {
        // As in SchemaStore's cloudify schema: a definition that includes itself, which an
        // instance reaches only through a property.
        let schema: JSON = ["$defs": ["loop": ["type": "object", "allOf": [["$ref": "#/$defs/loop"]]]], "properties": ["x": ["$ref": "#/$defs/loop"]]]
        let validator = try Validator(schema: schema)
        #expect(validator.isValid(["y": 1]))
        #expect(!validator.isValid(["x": 1]))
        #expect(validator.validate(["x": 1]).first?.keyword == "type")
        #expect(validator.validate(["x": [:]]).map(\.keyword) == ["depth"])
    }

    @Test func recursionThroughTheInstanceIsFine() throws {
        let validator = try Validator(schema: ["items": ["$ref": "#"], "type": "array"])
        #expect(validator.isValid([[[], [[]]]]))
        #expect(!validator.isValid([[1]]))
    }

    @Test func deepInstancesFailCleanlyInsideATask() async throws {
        let depth = 2000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let document = try JSONDocument(parsing: text, options: JSONParseOptions(maxDepth: 2047))
        let validator = try Validator(schema: ["items": ["$ref": "#"]])
        let errors = await Task { validator.validate(document.root) }.value
        #expect(errors.count == 1)
        #expect(errors.first?.keyword == "depth")
        #expect(errors.first?.message.contains("nested too deeply") == true)
        #expect(await Task { validator.isValid(document.root) }.value == false)
        let shallow = try JSONDocument(parsing: "[[[[]]]]")
        #expect(validator.isValid(shallow.root))
    }

    @Test func unevaluatedPropertiesComparesNamesByBytes() throws {
        let schema: JSON = ["properties": ["é": ["type": "integer"]], "unevaluatedProperties": false]
        let validator = try Validator(schema: schema)
        let sneaky = try JSONDocument(parsing: "{\"é\": 1, \"e\\u0301\": \"x\"}")
        #expect(!validator.isValid(sneaky.root))
        #expect(validator.validate(sneaky.root).map(\.keyword) == ["unevaluatedProperties"])
    }

    @Test func additionalPropertiesComparesNamesByBytes() throws {
        let validator = try Validator(schema: ["properties": ["é": true], "additionalProperties": false])
        #expect(!validator.isValid(try JSONDocument(parsing: "{\"e\\u0301\": 1}").root))
        #expect(validator.isValid(try JSONDocument(parsing: "{\"é\": 1}").root))
    }

    @Test func hugeLimitsDoNotTrap() throws {
        let validator = try Validator(schema: ["minLength": 1e19, "minItems": 1e300])
        let errors = validator.validate("abc")
        #expect(errors.count == 1)
        #expect(!errors[0].message.isEmpty)
        #expect(!validator.isValid([1]))
    }

    @Test func emptyTypeListIsASchemaError() {
        #expect(throws: SchemaError.self) { try Validator(schema: ["type": []]) }
    }

    @Test func containsDoesNotAnnotateIn2019() throws {
        let schema: JSON = ["$schema": "https://json-schema.org/draft/2019-09/schema", "contains": ["type": "string"], "unevaluatedItems": false]
        #expect(!(try Validator(schema: schema)).isValid(["a"]))
        let modern: JSON = ["contains": ["type": "string"], "unevaluatedItems": false]
        #expect(try Validator(schema: modern).isValid(["a"]))
    }

    @Test func locationsArePercentEncoded() throws {
        let validator = try Validator(schema: ["properties": ["a b%": ["type": "string"]]])
        let error = try #require(validator.validate(["a b%": 1]).first)
        #expect(error.absoluteKeywordLocation == "trellis:///schema.json#/properties/a%20b%25/type")
        #expect(error.instanceLocation.description == "/a b%")
    }

    @Test func manyErrorsOnAWideObjectStayCheap() throws {
        // 20,000 members, each one an error: linear, not quadratic.
        var members: [(String, JSON)] = []
        for index in 0..<20_000 { members.append(("k\(index)", .integer(Int64(index)))) }
        let validator = try Validator(schema: ["additionalProperties": ["type": "string"], "maxProperties": 1], options: ValidatorOptions(maxErrors: 50_000))
        let errors = validator.validate(.object(JSONObject(members)))
        #expect(errors.count == 20_001)
    }
}
