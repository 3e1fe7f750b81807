extension ECMAPatternTranslator {
    /// A character class `[...]` or `[^...]`, written as one PCRE2 class of explicit ranges
    /// and property items (so ECMA-262's `[]` and `[^]` and `\S` inside a class all work).
    mutating func parseClass() throws(ECMARegexError) {
        let open = position
        position += 1
        let negated = consume("^")
        var ranges: [ClosedRange<UInt32>] = []
        var properties: [String] = []
        while true {
            guard let scalar = peek() else { throw error("unterminated character class", at: open) }
            if scalar == "]" {
                position += 1
                break
            }
            let atomStart = position
            let first = try parseClassAtom()
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                let second = try parseClassAtom()
                guard case .codePoint(let low) = first, case .codePoint(let high) = second else {
                    throw error("invalid character class range: a class escape cannot be a range end", at: atomStart)
                }
                guard low <= high else { throw error("range out of order in character class", at: atomStart) }
                ranges.append(low...high)
                continue
            }
            switch first {
            case .codePoint(let value):
                ranges.append(value...value)
            case .set(let setRanges, let setProperties):
                ranges += setRanges
                properties += setProperties
            }
        }
        output += ECMACharacterSets.pcre2Class(ranges, properties: properties, negated: negated)
    }

    /// One class member: a code point or an escape.
    private mutating func parseClassAtom() throws(ECMARegexError) -> ClassAtom {
        guard let scalar = peek() else { throw error("unterminated character class") }
        guard scalar == "\\" else {
            position += 1
            return .codePoint(scalar.value)
        }
        let start = position
        position += 1
        if let next = peek(), ("1"..."9").contains(next) || next == "B" || next == "k" {
            throw error("invalid escape in character class", at: start)
        }
        return try parseClassEscape(inClass: true, start: start)
    }
}
