import Testing
import TrellisJSON
import TrellisSchema

@Suite struct ValidatorConcurrencyTests {
    @Test func oneValidatorServesManyTasksAtOnce() async throws {
        let validator = try Validator(schema: ValidatorErrorTests.newPet)
        let valid = try JSONDocument(parsing: #"{"name":"Rex","age":3,"status":"sold","tags":["a","b"],"code":"ABC-1234"}"#)
        let invalid = try JSONDocument(parsing: #"{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}"#)
        let results = await withTaskGroup(of: (Bool, Int).self) { group in
            for index in 0..<64 {
                group.addTask {
                    var ok = true
                    var errorCount = 0
                    for _ in 0..<200 {
                        if index % 2 == 0 {
                            ok = ok && validator.isValid(valid.root)
                        } else {
                            errorCount = validator.validate(invalid.root).count
                        }
                    }
                    return (ok, index % 2 == 0 ? 5 : errorCount)
                }
            }
            return await group.reduce(into: [(Bool, Int)]()) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.0 && $0.1 == 5 })
    }
}
