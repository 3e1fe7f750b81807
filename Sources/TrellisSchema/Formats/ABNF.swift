/// Character classes of the RFC 5234 core rules and of RFC 3986 / RFC 3987, shared by the format checkers.
enum ABNF {
    /// ALPHA: an ASCII letter.
    static func isAlpha(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// DIGIT: an ASCII digit (never another script's digit).
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// HEXDIG, in either case.
    static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    /// The value of a run of ASCII digits, or nil if it is empty, has another character, or is huge.
    static func decimalValue(_ digits: some Collection<Unicode.Scalar>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(isDigit) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
    }

    /// An ASCII upper-case letter as lower case; any other scalar unchanged.
    static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value + 0x20)) : scalar
    }

    /// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    static func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        isAlpha(scalar) || isDigit(scalar) || "-._~".unicodeScalars.contains(scalar)
    }

    /// RFC 3986 sub-delims.
    static func isSubDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        "!$&'()*+,;=".unicodeScalars.contains(scalar)
    }

    /// RFC 3987 ucschar: the non-ASCII characters an IRI may hold unencoded.
    static func isUCSChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xA0...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFEF, 0xE1000...0xEFFFD: true
        // Planes 1 - 13, without each plane's last two code points (noncharacters).
        case 0x10000...0xDFFFD: scalar.value & 0xFFFF <= 0xFFFD
        default: false
        }
    }

    /// RFC 3987 iprivate: private use characters, allowed in an IRI query.
    static func isPrivateUse(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD: true
        default: false
        }
    }

    /// Whether `text` matches `*( allowed / pct-encoded )`: every character satisfies `isAllowed`,
    /// except "%", which must start a pct-encoded triplet ("%" HEXDIG HEXDIG).
    static func isRunAllowingPctEncoded(
        _ text: ArraySlice<Unicode.Scalar>, allowing isAllowed: (Unicode.Scalar) -> Bool
    ) -> Bool {
        var position = text.startIndex
        while position < text.endIndex {
            if text[position] == "%" {
                guard text.endIndex - position >= 3, isHexDigit(text[position + 1]), isHexDigit(text[position + 2])
                else { return false }
                position += 3
            } else {
                guard isAllowed(text[position]) else { return false }
                position += 1
            }
        }
        return true
    }
}
