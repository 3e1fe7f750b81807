/// How ``JSONDocument`` parses a text.
public struct JSONParseOptions: Sendable, Hashable {
    /// What to do with an integer literal that does not fit in `Int64`.
    public enum LargeIntegers: Sendable, Hashable {
        /// Refuse the document with ``JSONParseError/Kind/numberOutOfRange`` (the default:
        /// a request body with such a number cannot be decoded exactly anyway).
        case reject
        /// Read such integers (only those) as the nearest `Double`; every other integer
        /// stays exact. Used by the validator, where only comparisons matter.
        case approximate
    }

    /// The deepest nesting of arrays and objects accepted; deeper input is refused
    /// with ``JSONParseError/Kind/tooDeep``. At most 2047 (jansson counts a scalar inside
    /// the innermost container as one more level, and stops at 2048).
    public var maxDepth: Int
    /// What to do with integers beyond 64 bits.
    public var largeIntegers: LargeIntegers

    /// The default for request bodies and schema files: depth 256, large integers rejected.
    public static let `default` = JSONParseOptions()

    /// Creates options.
    public init(maxDepth: Int = 256, largeIntegers: LargeIntegers = .reject) {
        self.maxDepth = max(1, min(maxDepth, 2047))
        self.largeIntegers = largeIntegers
    }
}
