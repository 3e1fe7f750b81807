/// Why a pattern is not a valid ECMA-262 regular expression, or why the engine cannot run it.
struct ECMARegexError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in words, e.g. "nothing to repeat".
    let message: String
    /// Where: the index of the offending Unicode scalar in the pattern (0 = first).
    let offset: Int

    var description: String { "\(message) (at offset \(offset))" }
}
