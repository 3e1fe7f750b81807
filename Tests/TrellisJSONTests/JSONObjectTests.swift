import Testing
import TrellisJSON

@Suite struct JSONObjectTests {
    @Test func keysAreComparedByBytes() throws {
        let document = try JSONDocument(parsing: "{\"é\": 1, \"e\\u0301\": 2}")
        let object = try #require(document.root.json.objectValue)
        #expect(object.count == 2)
        #expect(object["é"] == 1)
        #expect(object["e\u{301}"] == 2)
        var built = JSONObject([("é", 1)])
        built["e\u{301}"] = 2
        #expect(built.count == 2)
        #expect(built != JSONObject([("e\u{301}", 2), ("é", 2)]))
    }

    @Test func largeObjectsUseAnIndexAndStayConsistent() throws {
        var object = JSONObject()
        for index in 0..<1000 { object["key\(index)"] = .integer(Int64(index)) }
        #expect(object.count == 1000)
        #expect(object["key999"] == 999)
        object["key500"] = nil
        #expect(object["key500"] == nil)
        #expect(object["key501"] == 501)
        #expect(object.count == 999)
        object["e\u{301}"] = 1
        object["é"] = 2
        #expect(object["e\u{301}"] == 1)
        #expect(object["é"] == 2)
        #expect(object.keys.first == "key0")
    }

    @Test func wideDocumentsConvertInLinearTime() throws {
        var text = "{"
        for index in 0..<100_000 { text += (index == 0 ? "" : ",") + "\"k\(index)\":\(index)" }
        text += "}"
        let json = try JSON(parsing: text)
        #expect(json.objectValue?.count == 100_000)
        #expect(json["k99999"] == 99_999)
    }

    @Test func pointerTokensWorkOnBytesNotCharacters() throws {
        #expect(JSONPointer(parsing: "/~0\u{301}")?.tokens == ["~\u{301}"])
        #expect(JSONPointer(["a/\u{301}"]).description == "/a~1\u{301}")
        #expect(JSONPointer(parsing: JSONPointer(["a/\u{301}"]).description)?.tokens == ["a/\u{301}"])
    }

    @Test func sourceMapSurvivesLoneSurrogates() {
        let map = JSONSourceMap(#"{"\uD800\u0041": [1], "b": 2}"#)
        #expect(map.position(of: JSONPointer(["b"]))?.column == 28)
    }

    @Test func largeIntegerRetryReportsPositionsInTheOriginalText() throws {
        do {
            _ = try JSONDocument(parsing: "[123456789012345678901234567890, 1, x]", options: JSONParseOptions(largeIntegers: .approximate))
            Issue.record("expected a parse error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.offset == 36)
            #expect(error.column == 37)
        }
    }
}
