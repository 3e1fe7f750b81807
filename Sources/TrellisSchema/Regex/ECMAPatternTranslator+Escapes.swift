extension ECMAPatternTranslator {
    /// What an escape inside a class stands for: one code point, or a set.
    enum ClassAtom {
        case codePoint(UInt32)
        case set(ranges: [ClosedRange<UInt32>], properties: [String])
    }

    /// An escape outside a class (`\b` and `\B` are assertions, handled by `parseTerm`).
    mutating func parseAtomEscape() throws(ECMARegexError) {
        let start = position
        position += 1
        guard let scalar = peek() else { throw error("\\ at end of pattern", at: start) }
        switch scalar {
        case "1"..."9":
            var digits = ""
            while let digit = peek(), ("0"..."9").contains(digit) {
                digits.unicodeScalars.append(digit)
                position += 1
            }
            guard let number = Int(digits), number <= groupCount else {
                throw error("invalid escape: \\\(digits) is not a capturing group", at: start)
            }
            output += Self.backreference(number)
        case "k":
            position += 1
            guard consume("<"), let name = ECMAGroupScanner.groupName(in: source, at: &position),
                let number = groupNumbers[name]
            else { throw error("invalid named reference", at: start) }
            output += Self.backreference(number)
        default:
            switch try parseClassEscape(inClass: false, start: start) {
            case .codePoint(let value):
                output += ECMACharacterSets.literal(value)
            case .set(let ranges, let properties) where ranges.isEmpty && properties.count == 1:
                output += properties[0]
            case .set(let ranges, let properties):
                output += ECMACharacterSets.pcre2Class(ranges, properties: properties)
            }
        }
    }

    /// A backreference to group `number`. The group around it works around a PCRE2 10.42 JIT bug:
    /// a quantified backreference to an unset group (`\g{1}{2}()`) never matches under JIT
    /// even with PCRE2_MATCH_UNSET_BACKREF, while `(?:\g{1}){2}()` does, as ECMA-262 requires.
    static func backreference(_ number: Int) -> String {
        #"(?:\g{"# + String(number) + "})"
    }

    /// The escape after `\` (at `start`) as a code point or a set: a character class escape
    /// (`\d \D \s \S \w \W \p{..} \P{..}`) or a character escape. In a class, `\b` is backspace
    /// and `\-` a dash.
    mutating func parseClassEscape(inClass: Bool, start: Int) throws(ECMARegexError) -> ClassAtom {
        guard let scalar = peek() else { throw error("\\ at end of pattern", at: start) }
        position += 1
        switch scalar {
        case "d", "D", "s", "S", "w", "W":
            let base: [ClosedRange<UInt32>] =
                switch scalar {
                case "d", "D": ECMACharacterSets.digits
                case "s", "S": ECMACharacterSets.whiteSpace
                default: ECMACharacterSets.wordCharacters
                }
            let negated = scalar.properties.isUppercase
            return .set(ranges: negated ? ECMACharacterSets.complement(base) : base, properties: [])
        case "p", "P":
            return .set(ranges: [], properties: [try parsePropertyEscape(negated: scalar == "P", start: start)])
        case "f": return .codePoint(0x0C)
        case "n": return .codePoint(0x0A)
        case "r": return .codePoint(0x0D)
        case "t": return .codePoint(0x09)
        case "v": return .codePoint(0x0B)
        case "b" where inClass: return .codePoint(0x08)
        case "-" where inClass: return .codePoint(0x2D)
        case "c":
            guard let letter = peek(), ("a"..."z").contains(letter) || ("A"..."Z").contains(letter) else {
                throw error("invalid escape: \\c must be followed by an ASCII letter", at: start)
            }
            position += 1
            return .codePoint(letter.value % 32)
        case "0":
            if let next = peek(), ("0"..."9").contains(next) {
                throw error("invalid decimal escape (octal escapes are not allowed)", at: start)
            }
            return .codePoint(0)
        case "x":
            guard let high = peek().flatMap(ECMAGroupScanner.hexValue),
                let low = peek(1).flatMap(ECMAGroupScanner.hexValue)
            else { throw error("invalid escape: \\x needs two hex digits", at: start) }
            position += 2
            return .codePoint(high * 16 + low)
        case "u":
            guard let value = ECMAGroupScanner.unicodeEscape(in: source, at: &position) else {
                throw error("invalid Unicode escape", at: start)
            }
            return .codePoint(value)
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/":
            return .codePoint(scalar.value)
        default:
            throw error("invalid escape \\\(Character(scalar))", at: start)
        }
    }

    /// `{Name=Value}` or `{Value}` after `\p` / `\P`, as a PCRE2 class item.
    private mutating func parsePropertyEscape(negated: Bool, start: Int) throws(ECMARegexError) -> String {
        guard consume("{") else { throw error("invalid property name", at: start) }
        var text = ""
        while let scalar = peek(), scalar != "}" {
            text.unicodeScalars.append(scalar)
            position += 1
        }
        guard consume("}") else { throw error("invalid property name", at: start) }
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let target: String?
        switch (parts.first ?? "", parts.count == 2 ? parts[1] : nil) {
        case ("General_Category", let value?), ("gc", let value?):
            target = ECMAUnicodeProperties.generalCategories[value]
        case ("Script", let value?), ("sc", let value?):
            target = ECMAUnicodeProperties.scripts[value].map { $0.isEmpty ? "" : "sc:" + $0 }
        case ("Script_Extensions", let value?), ("scx", let value?):
            target = ECMAUnicodeProperties.scripts[value].map { $0.isEmpty ? "" : "scx:" + $0 }
        case (let name, nil):
            target = ECMAUnicodeProperties.generalCategories[name] ?? ECMAUnicodeProperties.binaryProperties[name]
        default:
            target = nil
        }
        guard let target else { throw error("invalid property name {\(text)}", at: start) }
        if target.isEmpty {
            unsupported = unsupported ?? error("Unicode property {\(text)} is not supported by PCRE2", at: start)
            return #"\p{Cs}"#  // Never compiled: `ECMARegex.init` throws `unsupported`.
        }
        let invert = target.hasPrefix("^")
        return (negated != invert ? #"\P{"# : #"\p{"#) + target.drop { $0 == "^" } + "}"
    }
}
