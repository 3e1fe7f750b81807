/// Reads an ECMA-262 pattern (with the `u` flag, plus ES2025 modifier groups `(?i:...)`) and
/// writes an equivalent PCRE2 pattern, rejecting everything ECMA-262 rejects.
///
/// The output uses only explicit PCRE2 syntax whose meaning does not depend on compile
/// options: `\A`/`\z` for `^`/`$`, explicit classes for `.`, `\d`, `\w`, `\s`, `\x{..}` for
/// every literal that is not an ASCII letter or digit, and plain numbered groups (named groups
/// become numbered ones, `\k<name>` becomes `\g{n}`), so no PCRE2-only syntax can get through.
struct ECMAPatternTranslator {
    /// The translated pattern and what is needed to report PCRE2's errors against the source.
    struct Output {
        /// The PCRE2 pattern (ASCII only).
        let pattern: String
        /// A problem with a valid ECMA-262 pattern that this engine cannot run
        /// (e.g. a property PCRE2 10.42 does not know), reported by `ECMARegex.init`.
        let unsupported: ECMARegexError?
        /// `(output byte offset, source scalar offset)` at the start of each term, in order.
        let sourceMap: [(output: Int, source: Int)]

        /// The source offset of the term that produced output byte `offset`.
        func sourceOffset(forOutputOffset offset: Int) -> Int {
            sourceMap.last { $0.output <= offset }?.source ?? 0
        }
    }

    /// The flags in force at a point of the pattern (changed by modifier groups).
    struct Flags {
        var ignoreCase = false
        var multiline = false
        var dotAll = false
    }

    /// The pattern's Unicode scalars; error offsets index into this.
    let source: [Unicode.Scalar]
    /// Capturing groups in the whole pattern (from a first pass: backreferences may come first).
    let groupCount: Int
    /// Group names to group numbers, from the same first pass.
    let groupNumbers: [String: Int]
    /// The next scalar to read.
    var position = 0
    /// The PCRE2 pattern written so far.
    var output = ""
    /// See `Output.sourceMap`.
    var sourceMap: [(output: Int, source: Int)] = []
    /// See `Output.unsupported`.
    var unsupported: ECMARegexError?
    /// Flags in force.
    var flags = Flags()
    /// Group names already defined (ECMA-262 rejects duplicates).
    var definedNames: Set<String> = []

    /// Translates `pattern`, or throws the first ECMA-262 syntax error.
    static func translate(_ pattern: String) throws(ECMARegexError) -> Output {
        let scalars = Array(pattern.unicodeScalars)
        let groups = ECMAGroupScanner.scan(scalars)
        var translator = ECMAPatternTranslator(source: scalars, groupCount: groups.count, groupNumbers: groups.numbers)
        try translator.parsePattern()
        return Output(pattern: translator.output, unsupported: translator.unsupported, sourceMap: translator.sourceMap)
    }

    // MARK: Reading

    /// The scalar `ahead` places after the current one, if any.
    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < source.count ? source[position + ahead] : nil
    }

    /// Consumes `scalar` if it is next.
    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == scalar else { return false }
        position += 1
        return true
    }

    /// An error at `offset` (default: the current position).
    func error(_ message: String, at offset: Int? = nil) -> ECMARegexError {
        ECMARegexError(message: message, offset: offset ?? position)
    }

    /// Records that the term starting at `offset` in the source begins here in the output.
    mutating func markTerm(_ offset: Int) {
        sourceMap.append((output: output.utf8.count, source: offset))
    }

    // MARK: Structure

    /// The whole pattern: alternatives of terms, and groups. Groups are kept on an explicit
    /// stack, not by recursion, because `format: regex` parses untrusted instance data and a
    /// million `(` must not overflow the thread's stack.
    mutating func parsePattern() throws(ECMARegexError) {
        var open: [OpenGroup] = []
        while let scalar = peek() {
            switch scalar {
            case "|":
                position += 1
                output += "|"
            case "(":
                markTerm(position)
                open.append(try openGroup())
            case ")":
                guard let group = open.popLast() else { throw error("unmatched ')'") }
                position += 1
                output += ")"
                flags = group.outerFlags
                if group.quantifiable { try parseQuantifier() } else { try rejectQuantifier() }
            default:
                try parseTerm()
            }
        }
        if let group = open.last { throw error("unterminated group", at: group.offset) }
    }

    /// An assertion, or an atom with an optional quantifier.
    mutating func parseTerm() throws(ECMARegexError) {
        let start = position
        markTerm(start)
        guard let scalar = peek() else { return }
        switch scalar {
        case "^":
            position += 1
            output += flags.multiline ? "(?<!" + lineCharacter + ")" : #"\A"#
            try rejectQuantifier()
        case "$":
            position += 1
            output += flags.multiline ? "(?!" + lineCharacter + ")" : #"\z"#
            try rejectQuantifier()
        case "\\" where peek(1) == "b" || peek(1) == "B":
            output += peek(1) == "b" ? #"\b"# : #"\B"#
            position += 2
            try rejectQuantifier()
        case "[":
            try parseClass()
            try parseQuantifier()
        case ".":
            position += 1
            output += flags.dotAll ? ECMACharacterSets.anything : lineCharacter
            try parseQuantifier()
        case "\\":
            try parseAtomEscape()
            try parseQuantifier()
        case "*", "+", "?":
            throw error("nothing to repeat")
        case "{":
            throw error(braceQuantifier(at: position) == nil ? "lone quantifier brackets" : "nothing to repeat")
        case "}":
            throw error("lone quantifier brackets")
        case "]":
            throw error("lone ']' (write \\] for a literal bracket)")
        default:
            position += 1
            output += ECMACharacterSets.literal(scalar.value)
            try parseQuantifier()
        }
    }

    /// Any code point but a line terminator: `.` without the `s` flag.
    var lineCharacter: String {
        ECMACharacterSets.pcre2Class(ECMACharacterSets.lineTerminators, negated: true)
    }

    // MARK: Quantifiers

    /// A `{n}`, `{n,}` or `{n,m}` quantifier at `index`: its bounds (normalised decimal digits;
    /// `max` is nil when unbounded) and where it ends.
    func braceQuantifier(at index: Int) -> (min: String, max: String?, end: Int)? {
        var cursor = index + 1
        func digits() -> String {
            var text = ""
            while cursor < source.count, ("0"..."9").contains(source[cursor]) {
                text.unicodeScalars.append(source[cursor])
                cursor += 1
            }
            return text
        }
        let min = digits()
        guard !min.isEmpty, cursor < source.count else { return nil }
        var max: String? = min
        if source[cursor] == "," {
            cursor += 1
            let upper = digits()
            max = upper.isEmpty ? nil : upper
        }
        guard cursor < source.count, source[cursor] == "}" else { return nil }
        return (Self.decimal(min), max.map(Self.decimal), cursor + 1)
    }

    /// An optional quantifier after an atom, copied to the output.
    mutating func parseQuantifier() throws(ECMARegexError) {
        guard let scalar = peek() else { return }
        switch scalar {
        case "*", "+", "?":
            position += 1
            output.unicodeScalars.append(scalar)
        case "{":
            guard let quantifier = braceQuantifier(at: position) else { throw error("incomplete quantifier") }
            let (min, max, end) = quantifier
            if let max, Self.isLess(max, than: min) { throw error("numbers out of order in {} quantifier") }
            output += "{" + min + (max == nil ? "," : max == min ? "" : "," + (max ?? "")) + "}"
            position = end
        default:
            return
        }
        if consume("?") { output += "?" }
    }

    /// Throws if a quantifier follows something that cannot be repeated (an assertion).
    func rejectQuantifier() throws(ECMARegexError) {
        guard let scalar = peek() else { return }
        if scalar == "*" || scalar == "+" || scalar == "?" || (scalar == "{" && braceQuantifier(at: position) != nil) {
            throw error("nothing to repeat")
        }
    }

    /// `digits` without leading zeros ("0" stays).
    static func decimal(_ digits: String) -> String {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    /// Compares two normalised decimal numbers of any length.
    static func isLess(_ left: String, than right: String) -> Bool {
        left.count != right.count ? left.count < right.count : left < right
    }
}
