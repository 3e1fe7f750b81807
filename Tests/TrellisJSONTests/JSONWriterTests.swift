import Testing
import TrellisJSON

@Suite struct JSONWriterTests {
    @Test(arguments: [
        (0.1, "0.1"), (1.75, "1.75"), (1e-7, "1e-07"), (12.5, "12.5"), (-0.0, "-0.0"), (1.0, "1.0"),
        (1e21, "1e+21"), (0.30000000000000004, "0.30000000000000004"),
    ])
    func numbersUseTheShortestRoundTripForm(value: Double, text: String) throws {
        #expect(JSON.number(value).compactText == text)
        #expect(try JSON(parsing: text) == .number(value))
    }

    @Test func integers() {
        #expect(JSON.integer(0).compactText == "0")
        #expect(JSON.integer(7).compactText == "7")
        #expect(JSON.integer(Int64.min).compactText == "-9223372036854775808")
    }

    @Test func stringsAreEscaped() {
        #expect(JSON.string("a\"b\\c\n\t\r\u{8}\u{C}\u{1}").compactText == #""a\"b\\c\n\t\r\b\f\u0001""#)
        #expect(JSON.string("é😀/").compactText == "\"é😀/\"")
        #expect(JSON.string("a\u{0}b").compactText == #""a\u0000b""#)
    }

    @Test func compactKeepsKeyOrder() {
        let value: JSON = ["z": 1, "a": [true, false, nil], "m": [:], "e": []]
        #expect(value.compactText == #"{"z":1,"a":[true,false,null],"m":{},"e":[]}"#)
    }

    @Test func prettyIndentsByTwo() {
        let value: JSON = ["a": [1, 2], "b": ["c": "d"], "e": []]
        #expect(value.prettyText == """
            {
              "a": [
                1,
                2
              ],
              "b": {
                "c": "d"
              },
              "e": []
            }

            """)
    }

    @Test func writesParsedDocumentsAsTheyWere() throws {
        let text = #"{"id":7,"name":"pet-7","weight":1.75,"tags":["t2","u7"],"ok":true,"n":null,"s":"a\u0000\"b"}"#
        let doc = try JSONDocument(parsing: text)
        var writer = JSONWriter()
        writer.write(doc.root)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        var writer = JSONWriter()
        writer.writeDouble(.infinity)
        #expect(writer.bytes == Array("null".utf8))
    }

    @Test func roundTripsThroughTheParser() throws {
        let value: JSON = ["s": "line\nbreak \"quoted\" \\ tab\t é", "n": -12.25, "i": 42, "nested": [["deep": [1, [2, [3]]]]]]
        #expect(try JSON(parsing: value.compactText) == value)
        #expect(try JSON(parsing: value.prettyText) == value)
    }
}

@Suite struct JSONPointerTests {
    @Test func escapesAndParses() throws {
        let pointer = JSONPointer(["a/b", "c~d", "0"])
        #expect(pointer.description == "/a~1b/c~0d/0")
        #expect(JSONPointer(parsing: "/a~1b/c~0d/0") == pointer)
        #expect(JSONPointer(parsing: "") == .root)
        #expect(JSONPointer(parsing: "a") == nil)
        #expect(JSONPointer(parsing: "/a~2") == nil)
    }

    @Test func resolvesInTrees() {
        let value: JSON = ["a": ["b": [10, 20]], "": 1]
        #expect(JSONPointer(parsing: "/a/b/1").flatMap { $0.resolve(in: value) } == 20)
        #expect(JSONPointer(parsing: "/").flatMap { $0.resolve(in: value) } == 1)
        #expect(JSONPointer(parsing: "/a/b/01").flatMap { $0.resolve(in: value) } == nil)
        #expect(JSONPointer(parsing: "/a/b/2").flatMap { $0.resolve(in: value) } == nil)
    }
}
