// Parse + full JSON Schema validation of the bench API's NewPet bodies with Trellis
// (jansson + TrellisSchema), against Foundation's JSONDecoder decoding the valid body
// into a plain Codable struct (no validation at all). Prints ns per body and the ratio.
import Foundation
import TrellisJSON
import TrellisSchema

struct NewPet: Codable {
    enum Status: String, Codable { case available, pending, sold }
    var name: String
    var tag: String?
    var age: Int
    var status: Status
    var tags: [String]?
    var weight: Double?
    var code: String?
}

let schema: JSON = [
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
let validBody = Array(#"{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}"#.utf8)
let invalidBody = Array(#"{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}"#.utf8)
let validData = Data(validBody)

let validator = try Validator(schema: schema, options: ValidatorOptions(formatAssertion: true))
let decoder = JSONDecoder()

/// Nanoseconds per call of `body`: the median of several rounds.
func measure(_ name: String, iterations: Int = 200_000, rounds: Int = 7, _ body: () throws -> Bool) rethrows -> Double {
    var sink = 0
    for _ in 0..<(iterations / 10) where try body() { sink &+= 1 }
    var samples: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        for _ in 0..<iterations where try body() { sink &+= 1 }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(ns / Double(iterations))
    }
    samples.sort()
    let median = samples[samples.count / 2]
    let padded = name.padding(toLength: 56, withPad: " ", startingAt: 0)
    print(padded + String(format: "%7.0f ns/body  (min %.0f)", median, samples[0]), sink == -1 ? "" : "")
    return median
}

if let only = ProcessInfo.processInfo.environment["BENCH_PROFILE"] {
    // For profilers: run one case for a while and nothing else.
    let body = only == "invalid" ? invalidBody : validBody
    var count = 0
    for _ in 0..<2_000_000 {
        let document = try JSONDocument(parsing: body)
        count &+= validator.validate(document.root).count
    }
    print(count)
    exit(0)
}

print("NewPet bodies (\(validBody.count) and \(invalidBody.count) bytes), \(ProcessInfo.processInfo.processorCount) cores")
let trellisValid = try measure("Trellis parse + validate, valid body") {
    let document = try JSONDocument(parsing: validBody)
    return validator.isValid(document.root)
}
let trellisValidAll = try measure("Trellis parse + validate (error pass), valid body") {
    let document = try JSONDocument(parsing: validBody)
    return validator.validate(document.root).isEmpty
}
let trellisInvalid = try measure("Trellis parse + validate all 5 errors, invalid body", iterations: 50_000) {
    let document = try JSONDocument(parsing: invalidBody)
    return validator.validate(document.root).count == 5
}
let trellisParse = try measure("Trellis parse only, valid body") {
    let document = try JSONDocument(parsing: validBody)
    return document.root.count == 7
}
let foundation = try measure("JSONDecoder decode only (no validation), valid body") {
    let pet = try decoder.decode(NewPet.self, from: validData)
    return pet.age == 3
}
print(String(format: "ratio (Trellis parse + full validation) / JSONDecoder: valid %.2f, invalid %.2f (goal <= 1.0)",
    trellisValid / foundation, trellisInvalid / foundation))
_ = (trellisValidAll, trellisParse)
