import Foundation
import TrellisJSON
import TrellisSchema

/// The line protocol of the JSON Schema Test Suite runner (`run_suite.py`):
/// a registry line answered with `{"ok": true}`, then one line per case
/// (`{"schema", "instances", "assertFormat"?}`) answered with an array of booleans or
/// `{"error": "..."}`.
struct SuiteProtocol {
    let options: ValidatorOptions
    private let parseOptions = JSONParseOptions(maxDepth: 2048, largeIntegers: .approximate)

    func run() {
        var registry = SchemaRegistry()
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            let document: JSONDocument
            do {
                document = try JSONDocument(parsing: line, options: parseOptions)
            } catch {
                answer(["error": .string("cannot parse the line: \(error)")])
                continue
            }
            let message = document.root
            if let entries = message["registry"] {
                for (uri, schema) in entries.members { registry.register(schema.json, as: uri) }
                answer(["ok": true])
                continue
            }
            guard let schema = message["schema"], let instances = message["instances"] else {
                answer(["error": "expected {\"schema\", \"instances\"} or {\"registry\"}"])
                continue
            }
            var caseOptions = options
            if message["assertFormat"]?.boolValue == true { caseOptions.formatAssertion = true }
            do {
                let validator = try Validator(schema: schema.json, registry: registry, options: caseOptions)
                answer(.array(instances.elements.map { .bool(validator.isValid($0)) }))
            } catch {
                answer(["error": .string(error.description)])
            }
        }
    }

    private func answer(_ value: JSON) {
        FileHandle.standardOutput.write(Data((value.compactText + "\n").utf8))
    }
}
