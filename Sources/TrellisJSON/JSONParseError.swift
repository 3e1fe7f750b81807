/// Why a JSON text could not be parsed, and where.
///
/// Positions are those of the offending place in the input: `line` and `column` are
/// 1-based (the column counts Unicode scalars, as editors do), `offset` is the 0-based
/// byte offset.
///
/// ```swift
/// do { _ = try JSONDocument(parsing: "{\"a\": }") }
/// catch let error as JSONParseError { print(error) }   // 1:7: unexpected token near '}'
/// ```
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of a parse failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case syntax, emptyInput, invalidUTF8, duplicateKey, tooDeep, numberOutOfRange, nulInKey, outOfMemory
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The text is not JSON (a token is missing, misplaced or malformed).
        public static let syntax = Kind(.syntax)
        /// The input holds no JSON value at all (empty or only white space).
        public static let emptyInput = Kind(.emptyInput)
        /// The bytes are not valid UTF-8.
        public static let invalidUTF8 = Kind(.invalidUTF8)
        /// An object has the same key twice (compared byte for byte).
        public static let duplicateKey = Kind(.duplicateKey)
        /// Arrays and objects are nested deeper than ``JSONParseOptions/maxDepth``.
        public static let tooDeep = Kind(.tooDeep)
        /// A number does not fit: an integer beyond 64 bits (see
        /// ``JSONParseOptions/LargeIntegers``) or a real beyond `Double`.
        public static let numberOutOfRange = Kind(.numberOutOfRange)
        /// An object key contains `\u0000`, which keys may not hold.
        public static let nulInKey = Kind(.nulInKey)
        /// The parser ran out of memory.
        public static let outOfMemory = Kind(.outOfMemory)

        public var description: String { value.rawValue }
    }

    /// The class of the failure.
    public var kind: Kind
    /// A readable reason, e.g. `duplicate object key near '"a"'`.
    public var reason: String
    /// 1-based line of the failure.
    public var line: Int
    /// 1-based column of the failure, in Unicode scalars.
    public var column: Int
    /// 0-based byte offset of the failure.
    public var offset: Int

    /// Creates a parse error.
    public init(kind: Kind, reason: String, line: Int, column: Int, offset: Int) {
        self.kind = kind
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column: reason`.
    public var description: String { "\(line):\(column): \(reason)" }
}
