import Testing
import TrellisJSON

@Suite struct JSONParsingTests {
    func parseError(_ text: String, options: JSONParseOptions = .default) -> JSONParseError? {
        do {
            _ = try JSONDocument(parsing: text, options: options)
            return nil
        } catch {
            return error
        }
    }

    func parseError(bytes: [UInt8], options: JSONParseOptions = .default) -> JSONParseError? {
        do {
            _ = try JSONDocument(parsing: bytes, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsObjectsInDocumentOrder() throws {
        let doc = try JSONDocument(parsing: #"{"b": 1, "a": [true, null, "x"], "c": {"d": 2.5}}"#)
        #expect(doc.root.kind == .object)
        #expect(doc.root.members.map(\.key) == ["b", "a", "c"])
        #expect(doc.root["b"]?.int64Value == 1)
        #expect(doc.root["a"]?.count == 3)
        #expect(doc.root["a"]?[0]?.boolValue == true)
        #expect(doc.root["a"]?[1]?.isNull == true)
        #expect(doc.root["a"]?[2]?.stringValue == "x")
        #expect(doc.root["a"]?[3] == nil)
        #expect(doc.root["c"]?["d"]?.doubleValue == 2.5)
        #expect(doc.root["missing"] == nil)
        #expect(doc.root[0] == nil)
    }

    @Test func syntaxErrorCarriesLineColumnAndOffset() throws {
        let error = try #require(parseError("{\n  \"a\": 1,\n  \"b\": }"))
        #expect(error.kind == .syntax)
        #expect(error.line == 3)
        #expect(error.column == 8)
        #expect(error.offset == 19)
        #expect(error.reason.contains("unexpected token"))
        #expect(error.description.hasPrefix("3:8: "))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = try #require(parseError("[\"ééé\", x]"))
        #expect(error.line == 1)
        #expect(error.column == 9)
        #expect(error.offset == 11)
    }

    @Test func duplicateKeysAreRejected() throws {
        let error = try #require(parseError(#"{"a": 1, "a": 2}"#))
        #expect(error.kind == .duplicateKey)
        #expect(error.reason.contains("duplicate"))
    }

    @Test func nulInStringsIsKeptWithTheRightLength() throws {
        let doc = try JSONDocument(parsing: #"["a\u0000b"]"#)
        let value = try #require(doc.root[0]?.stringValue)
        #expect(value.utf8.count == 3)
        #expect(Array(value.utf8) == [97, 0, 98])
    }

    @Test func nulInKeysIsRejected() throws {
        let error = try #require(parseError(#"{"a\u0000b": 1}"#))
        #expect(error.kind == .nulInKey)
    }

    @Test func invalidUTF8IsRejected() throws {
        let error = try #require(parseError(bytes: [0x5B, 0x22, 0xFF, 0xFE, 0x22, 0x5D]))
        #expect(error.kind == .invalidUTF8)
        #expect(error.line == 1)
    }

    @Test(arguments: ["", "   ", "\n\t "])
    func emptyInputIsItsOwnError(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.kind == .emptyInput)
        #expect(error.reason == "empty input: expected a JSON value")
    }

    @Test func emptyByteArrayIsEmptyInput() throws {
        #expect(parseError(bytes: [])?.kind == .emptyInput)
    }

    @Test func scalarRootsAreAccepted() throws {
        #expect(try JSONDocument(parsing: "42").root.int64Value == 42)
        #expect(try JSONDocument(parsing: "\"x\"").root.stringValue == "x")
        #expect(try JSONDocument(parsing: "null").root.isNull)
        #expect(try JSONDocument(parsing: " true ").root.boolValue == true)
        #expect(try JSONDocument(parsing: "-0.5e1").root.doubleValue == -5)
    }

    @Test func trailingGarbageIsRejected() throws {
        let error = try #require(parseError("{} x"))
        #expect(error.kind == .syntax)
    }

    @Test func nestingDeeperThanTheLimitIsRejectedWithItsPosition() throws {
        let limit = JSONParseOptions.default.maxDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = try #require(parseError(deep))
        #expect(error.kind == .tooDeep)
        #expect(error.offset == limit)
        #expect(error.column == limit + 1)
    }

    @Test func bracketsInsideStringsDoNotCountAsNesting() throws {
        let text = "[\"" + String(repeating: "[{", count: 1000) + "\\\"\"]"
        #expect(parseError(text, options: JSONParseOptions(maxDepth: 2)) == nil)
    }

    @Test func customDepthLimit() throws {
        #expect(parseError("[[[1]]]", options: JSONParseOptions(maxDepth: 2))?.kind == .tooDeep)
        #expect(parseError("[[1]]", options: JSONParseOptions(maxDepth: 2)) == nil)
    }

    @Test func hostileDepthBeyondJanssonIsAnError() throws {
        let text = String(repeating: "[", count: 100_000)
        #expect(parseError(text, options: JSONParseOptions(maxDepth: 2048))?.kind == .tooDeep)
    }

    @Test func integersBeyond64BitsAreRejectedByDefault() throws {
        let error = try #require(parseError("[1, 123456789012345678901234567890]"))
        #expect(error.kind == .numberOutOfRange)
        #expect(error.reason.contains("64 bits"))
    }

    @Test func integersBeyond64BitsCanBeApproximated() throws {
        let doc = try JSONDocument(
            parsing: #"{"big": 123456789012345678901234567890, "s": "99999999999999999999", "small": 7}"#,
            options: JSONParseOptions(largeIntegers: .approximate))
        #expect(doc.root["big"]?.kind == .real)
        #expect(doc.root["big"]?.doubleValue == 1.2345678901234568e29)
        #expect(doc.root["small"]?.kind == .integer)
        #expect(doc.root["s"]?.stringValue == "99999999999999999999")
    }

    @Test func int64LimitsAreExact() throws {
        let doc = try JSONDocument(parsing: "[9223372036854775807, -9223372036854775808]")
        #expect(doc.root[0]?.int64Value == Int64.max)
        #expect(doc.root[1]?.int64Value == Int64.min)
    }

    @Test func oneAndOnePointZeroKeepTheirKindButCompareEqual() throws {
        let doc = try JSONDocument(parsing: "[1, 1.0]")
        #expect(doc.root[0]?.kind == .integer)
        #expect(doc.root[1]?.kind == .real)
        #expect(doc.root[1]?.int64Value == nil)
        #expect(doc.root[0]?.json == doc.root[1]?.json)
        #expect(JSON.integer(1).hashValue == JSON.number(1.0).hashValue)
        #expect(JSON.integer(1) != JSON.number(1.5))
    }

    @Test func documentsCanBeReadFromManyTasks() async throws {
        let doc = try JSONDocument(parsing: #"{"items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}"#)
        let sums = await withTaskGroup(of: Int64.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    var sum: Int64 = 0
                    for _ in 0..<100 { sum += doc.root["items"]?.elements.reduce(0) { $0 + ($1.int64Value ?? 0) } ?? 0 }
                    return sum
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sums.count == 32)
        #expect(sums.allSatisfy { $0 == 5500 })
    }

    @Test func childrenKeepTheirDocumentAlive() throws {
        func child() throws -> JSONValue {
            try JSONDocument(parsing: #"{"a": {"b": "still here"}}"#).root["a"]!
        }
        let value = try child()
        #expect(value["b"]?.stringValue == "still here")
    }

    @Test func buildsDocumentsFromTrees() throws {
        let tree: JSON = ["name": "Rex", "tags": ["a", "b"], "age": 3, "weight": 1.5, "x": nil]
        let doc = try JSONDocument(tree)
        #expect(doc.root.json == tree)
        #expect(throws: JSONBuildError.self) { try JSONDocument(.number(.nan)) }
        #expect(throws: JSONBuildError.self) { try JSONDocument(["a\u{0}b": 1]) }
    }
}
