internal import TrellisJSON

/// The draft-07 content assertions: a base64 string, and a string (or decoded bytes)
/// that must be a JSON document.
struct ContentCheck: Sendable {
    let base64: Bool
    let json: Bool

    /// Why `text` is not acceptable, or nil.
    func problem(with text: String) -> (keyword: String, message: String)? {
        var bytes = Array(text.utf8)
        if base64 {
            guard let decoded = Base64.decode(bytes) else { return ("contentEncoding", "is not valid base64") }
            bytes = decoded
        }
        if json, (try? JSONDocument(parsing: bytes, options: JSONParseOptions(maxDepth: 2048, largeIntegers: .approximate))) == nil {
            return ("contentMediaType", "is not a JSON document")
        }
        return nil
    }
}

/// RFC 4648 base64 (standard alphabet, padding required).
enum Base64 {
    static func decode(_ input: [UInt8]) -> [UInt8]? {
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            var quad: [UInt8] = []
            var padding = 0
            for offset in 0..<4 {
                let c = input[index + offset]
                if c == UInt8(ascii: "=") {
                    guard index + 4 == input.count, offset >= 2 else { return nil }
                    padding += 1
                    quad.append(0)
                } else {
                    guard padding == 0, let value = value(of: c) else { return nil }
                    quad.append(value)
                }
            }
            let triple = UInt32(quad[0]) << 18 | UInt32(quad[1]) << 12 | UInt32(quad[2]) << 6 | UInt32(quad[3])
            output.append(UInt8(triple >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(triple >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(triple & 0xFF)) }
            index += 4
        }
        return output
    }

    private static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
