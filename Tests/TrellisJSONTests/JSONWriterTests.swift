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
        for value: Int64 in [10, -1, -10, 99, 100, 1_000_007, .max, .max - 1, .min + 1] {
            #expect(JSON.integer(value).compactText == String(value))
        }
        var writer = JSONWriter()
        writer.writeInteger(UInt64.max)  // beyond Int64: through String
        writer.writeInteger(UInt8(200))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "18446744073709551615200")
    }

    /// The digit-by-digit path for short decimals writes exactly what `description` writes.
    @Test func shortDecimalsMatchDescription() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0.001, 0.0011, 0.000999, 1e9, 999_999_999.5, 999_999_999.999999, 123.456789, 0.1 + 0.2, 1.0 / 3, 2.5, -2.5, -0.001,
            1e-4, 5e-324, .greatestFiniteMagnitude, 0.5e-3, 4_503_599_627_370_496.5, 0.125, 7.000001, 7.0000001,
        ]
        for _ in 0..<20_000 {
            let decimals = Int.random(in: 0...8, using: &generator)
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            let whole = Double(Int64.random(in: -2_000_000_000_000...2_000_000_000_000, using: &generator))
            values.append(whole / scale)
            values.append(Double.random(in: -1e10...1e10, using: &generator))
            values.append(Double.random(in: 0...0.01, using: &generator))
        }
        for value in values {
            var writer = JSONWriter()
            writer.writeDouble(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == value.description, "\(value.description)")
        }
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
        #expect(
            value.prettyText == """
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

    /// The writer owns a buffer that grows as it is filled: every kind of write crosses its
    /// end at some point, and what comes out is what a roomy writer writes.
    @Test func growsPastItsInitialCapacity() throws {
        let long = String(repeating: "ab\"c\u{1}é", count: 300)
        let value: JSON = [
            "long": .string(long), "numbers": .array((0..<500).map { .integer(Int64($0) * 7_919 - 1_000_000) }),
            "reals": .array((0..<200).map { .number(Double($0) / 8 - 3.3) }), "nested": [[[["deep"]]]],
        ]
        var roomy = JSONWriter(capacity: 1 << 16)
        roomy.write(value)
        for capacity in [0, 1, 16, 17, 100] {
            var writer = JSONWriter(capacity: capacity)
            writer.write(value)
            #expect(writer.count == roomy.count)
            #expect(writer.bytes == roomy.bytes)
            var pretty = JSONWriter(style: .pretty(indent: 4), capacity: capacity)
            pretty.write(value)
            #expect(try JSON(parsing: pretty.bytes) == value)
        }
        #expect(try JSON(parsing: roomy.bytes) == value)
    }

    @Test func integersOfEveryLength() {
        var writer = JSONWriter(capacity: 1)
        var expected = ""
        var power: Int64 = 1
        for _ in 0..<19 {
            for value in [power, power - 1, -power, 1 - power, power + 1] {
                writer.writeInteger(value)
                writer.writeByte(UInt8(ascii: ","))
                expected += String(value) + ","
            }
            power = power > Int64.max / 10 ? power : power * 10
        }
        for value in [Int64.max, Int64.min, Int64.min + 1] {
            writer.writeInteger(value)
            expected += String(value)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test func rawFragmentsAndBorrowedBytes() {
        var writer = JSONWriter(capacity: 4)
        writer.writeRaw("[")
        let fragment = Array(#"{"a":[1,2,3]}"#.utf8)
        fragment.withUnsafeBufferPointer { writer.writeRaw($0) }
        writer.writeRaw(",")
        writer.writeRaw(UnsafeBufferPointer(start: nil, count: 0))
        writer.writeString("x")
        writer.writeRaw("]")
        let text = #"[{"a":[1,2,3]},"x"]"#
        #expect(writer.count == text.utf8.count)
        #expect(writer.withBytes { Array($0) } == Array(text.utf8))
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
