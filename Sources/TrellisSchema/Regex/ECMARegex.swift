/// An ECMA-262 regular expression compiled once, safe to use from many tasks at once.
///
/// The pattern is checked against ECMA-262's grammar with the `u` flag (as JSON Schema
/// requires), translated to PCRE2 syntax with ECMA-262's meanings (ASCII `\d` and `\w`,
/// Unicode `\s`, `$` only at the end, `.` not matching line terminators) and compiled with
/// PCRE2's JIT. See Documentation/regex.md.
struct ECMARegex: Sendable {
    /// The ECMA-262 source pattern.
    let pattern: String
    private let program: PCRE2Program

    /// Compiles `pattern` (ECMA-262 syntax, with the `u` flag semantics). Throws `ECMARegexError`
    /// with a readable message and the offset in the pattern, for a syntax error or for a valid
    /// pattern that PCRE2 cannot run (e.g. a variable-length lookbehind).
    init(_ pattern: String) throws(ECMARegexError) {
        let translation = try ECMAPatternTranslator.translate(pattern)
        if let unsupported = translation.unsupported { throw unsupported }
        do {
            program = try PCRE2Program(pattern: translation.pattern)
        } catch {
            let offset = translation.sourceOffset(forOutputOffset: error.offset)
            let message =
                error.code == PCRE2Program.variableLookbehindError
                ? "variable-length lookbehind is not supported by the regex engine (PCRE2 10.42): "
                    + "each alternative of a lookbehind must match a fixed number of characters"
                : "not supported by the regex engine (PCRE2): " + error.message
            throw ECMARegexError(message: message, offset: offset)
        }
        self.pattern = pattern
    }

    /// Whether the pattern matches anywhere in `text` (a search, not anchored: ECMA-262 `test`).
    func matches(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ program.search($0) }) {
            return found
        }
        var copy = text
        return copy.withUTF8 { program.search($0) }
    }

    /// Same on UTF-8 bytes (valid UTF-8), to avoid making a String on the hot path.
    func matches(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        program.search(utf8)
    }

    /// Whether `pattern` is a valid ECMA-262 regular expression (with the `u` flag), for
    /// `format: regex`. Only the grammar is checked: a valid pattern that PCRE2 cannot run
    /// still counts as valid here, though `init` throws for it.
    static func isValid(_ pattern: String) -> Bool {
        (try? ECMAPatternTranslator.translate(pattern)) != nil
    }
}
