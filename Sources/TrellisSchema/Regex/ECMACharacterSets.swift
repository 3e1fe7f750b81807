/// The fixed code point sets of ECMA-262 (`\d`, `\w`, `\s`, line terminators) and how a set of
/// code points and Unicode properties is written as a PCRE2 character class.
enum ECMACharacterSets {
    /// The largest Unicode code point.
    static let maxCodePoint: UInt32 = 0x10FFFF
    /// Surrogate code points: never in valid UTF-8 text, so never matched.
    static let surrogates: ClosedRange<UInt32> = 0xD800...0xDFFF

    /// `\d`: ASCII digits only (ECMA-262, unlike Unicode-aware engines).
    static let digits: [ClosedRange<UInt32>] = [0x30...0x39]
    /// `\w`: `[A-Za-z0-9_]` only.
    static let wordCharacters: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// `\s`: ECMA-262 WhiteSpace and LineTerminator: tab, LF, VT, FF, CR, space, NBSP, U+1680,
    /// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
    static let whiteSpace: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
        0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]
    /// ECMA-262 LineTerminator: what `.` does not match and where `^`/`$` match with the `m` flag.
    static let lineTerminators: [ClosedRange<UInt32>] = [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]

    /// The code points not in `ranges` (sorted, disjoint), as sorted ranges.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= maxCodePoint { result.append(next...maxCodePoint) }
        return result
    }

    /// A PCRE2 class that matches nothing (what ECMA-262's `[]` means).
    static let nothing = #"[^\x{0}-\x{10FFFF}]"#
    /// A PCRE2 class that matches any code point (ECMA-262's `[^]`).
    static let anything = #"[\x{0}-\x{10FFFF}]"#

    /// `ranges` and PCRE2 property items (`\p{..}` / `\P{..}`) as one PCRE2 character class.
    /// Surrogates are left out: they cannot occur in the UTF-8 subjects PCRE2 sees.
    static func pcre2Class(_ ranges: [ClosedRange<UInt32>], properties: [String] = [], negated: Bool = false) -> String {
        var body = properties.joined()
        for range in ranges {
            for piece in withoutSurrogates(range) {
                body +=
                    piece.count == 1
                    ? classLiteral(piece.lowerBound)
                    : classLiteral(piece.lowerBound) + "-" + classLiteral(piece.upperBound)
            }
        }
        if body.isEmpty { return negated ? anything : nothing }
        return (negated ? "[^" : "[") + body + "]"
    }

    /// One code point in PCRE2 syntax (outside or inside a class): ASCII letters and digits
    /// as themselves, anything else as `\x{..}`, so nothing is ever read as PCRE2 syntax.
    static func literal(_ codePoint: UInt32) -> String {
        if surrogates.contains(codePoint) { return nothing }
        return classLiteral(codePoint)
    }

    private static func classLiteral(_ codePoint: UInt32) -> String {
        switch codePoint {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return String(UnicodeScalar(UInt8(codePoint)))
        default:
            return #"\x{"# + String(codePoint, radix: 16, uppercase: true) + "}"
        }
    }

    private static func withoutSurrogates(_ range: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
        guard range.overlaps(surrogates) else { return [range] }
        var pieces: [ClosedRange<UInt32>] = []
        if range.lowerBound < surrogates.lowerBound { pieces.append(range.lowerBound...(surrogates.lowerBound - 1)) }
        if range.upperBound > surrogates.upperBound { pieces.append((surrogates.upperBound + 1)...range.upperBound) }
        return pieces
    }
}
