import Testing
import TrellisJSON
import TrellisSchema

@testable import Trellis

/// The wording of schema errors is remembered per schema location and keyword only where it
/// depends on the schema alone: a remembered issue reads exactly as a fresh one.
@Suite struct IssueTemplateTests {
    func error(_ keyword: String, at location: String = "file:///pet.json#/properties/x", _ parameters: JSONObject, instance: JSON?, message: String? = nil)
        -> ValidationError
    {
        ValidationError(
            instancePath: ["x"], keywordPath: ["properties", "x", keyword], schemaLocation: location, keyword: keyword,
            parameters: parameters, instance: instance, message: message)
    }

    /// Errors of every remembered keyword, twice with different values: the second, read from
    /// the cache, is the first's wording with its own value and location.
    @Test func rememberedWordingIsTheFreshWording() {
        let cases: [ValidationError] = [
            error("required", JSONObject([("missing", "x")]), instance: nil),
            error("additionalProperties", JSONObject(), instance: true),
            error("type", JSONObject([("type", "integer")]), instance: "a"),
            error("type", at: "file:///pet.json#/properties/y", JSONObject([("type", ["string", "null"])]), instance: 1),
            error("enum", JSONObject([("expected", ["a", 1, nil])]), instance: "b"),
            error("const", JSONObject([("expected", "a")]), instance: "b"),
            error("minLength", JSONObject([("minLength", 1)]), instance: ""),
            error("maxLength", JSONObject([("maxLength", 3)]), instance: "abcd"),
            error("minimum", JSONObject([("minimum", 0.5)]), instance: 0),
            error("maximum", JSONObject([("maximum", 100)]), instance: 300),
            error("exclusiveMinimum", JSONObject([("exclusiveMinimum", 0)]), instance: 0),
            error("exclusiveMaximum", JSONObject([("exclusiveMaximum", 1)]), instance: 1),
            error("multipleOf", JSONObject([("multipleOf", 3)]), instance: 4),
            error("pattern", JSONObject([("pattern", "^a$")]), instance: "b"),
            error("minItems", JSONObject([("minItems", 1)]), instance: []),
            error("maxItems", JSONObject([("maxItems", 1)]), instance: [1, 2]),
        ]
        let templates = IssueTemplates()
        for (index, first) in cases.enumerated() {
            var second = first
            second.instance = .string("other \(index)")
            second.instancePath = ["y", "2"]
            for error in [first, second] {
                let remembered = ValidationIssue(error, prefix: ["body"], templates: templates)
                let fresh = ValidationIssue(error, prefix: ["body"])
                #expect(remembered == fresh, "\(error.keyword)")
                #expect(remembered.input == error.instance)
            }
            #expect(ValidationIssue(second, prefix: ["body"], templates: templates).loc == ["body", "y", 2])
        }
        #expect(templates.count == cases.count)
    }

    /// Messages that quote the value are never remembered: two values, two messages.
    @Test func wordingThatQuotesTheValueIsNotRemembered() {
        let templates = IssueTemplates()
        for keyword in ["uniqueItems", "format", "dependentRequired"] {
            let one = ValidationIssue(error(keyword, JSONObject(), instance: 1, message: "one"), prefix: [], templates: templates)
            let two = ValidationIssue(error(keyword, JSONObject(), instance: 2, message: "two"), prefix: [], templates: templates)
            #expect(one.msg == "one")
            #expect(two.msg == "two")
        }
        // A type outside JSON's seven gets the validator's message, which quotes the value.
        let odd = ValidationIssue(error("type", JSONObject([("type", "decimal")]), instance: 1, message: "1 is odd"), prefix: [], templates: templates)
        let other = ValidationIssue(error("type", JSONObject([("type", "decimal")]), instance: 2, message: "2 is odd"), prefix: [], templates: templates)
        #expect((odd.type, odd.msg, other.msg) == ("type_error", "1 is odd", "2 is odd"))
        #expect(templates.count == 0)
    }

    /// The cache is bounded, whatever the schemas.
    @Test func theCacheIsBounded() {
        let templates = IssueTemplates()
        for index in 0..<(IssueTemplates.capacity + 100) {
            _ = templates.template(for: error("minimum", at: "file:///s.json#/$defs/d\(index)", JSONObject([("minimum", 1)]), instance: 0))
        }
        #expect(templates.count == IssueTemplates.capacity)
        // Past the bound, wording is still right, only not remembered.
        let late = ValidationIssue(error("maximum", at: "file:///late.json#", JSONObject([("maximum", 2)]), instance: 3), prefix: [], templates: templates)
        #expect(late.msg == "Input should be less than or equal to 2")
    }
}
