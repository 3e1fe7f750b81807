/// Where each value of a JSON text starts: a JSON pointer → line/column index, for
/// reporting problems found after parsing (jansson keeps no positions).
///
/// Build it only when there is something to report: it rescans the text.
///
/// ```swift
/// let map = JSONSourceMap(text)
/// map.position(of: JSONPointer(["paths", "0", "method"]))   // line 7, column 17
/// map.keyPosition(of: JSONPointer(["paths", "0", "methd"]))  // the key itself, for an unknown keyword
/// ```
public struct JSONSourceMap: Sendable {
    /// A place in the text.
    public struct Position: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line.
        public var line: Int
        /// 1-based column, in Unicode scalars.
        public var column: Int
        /// 0-based byte offset.
        public var offset: Int
        public var description: String { "\(line):\(column)" }

        /// A position (for maps built from another parser's positions, such as a YAML parser's).
        public init(line: Int, column: Int, offset: Int = 0) {
            self.line = line
            self.column = column
            self.offset = offset
        }
    }

    private var values: [JSONPointer: Position] = [:]
    private var keys: [JSONPointer: Position] = [:]

    /// Scans `text` (assumed to be JSON; scanning stops quietly at the first malformed token).
    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// Scans UTF-8 bytes.
    public init(utf8 bytes: [UInt8]) {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        _ = scanner.value(at: .root, depth: 0)
        values = scanner.values
        keys = scanner.keys
    }

    /// A map of positions found by another parser (a YAML file read as JSON, say): where
    /// each value starts, and where each member's name starts, by the value's pointer.
    public init(values: [JSONPointer: Position], keys: [JSONPointer: Position]) {
        self.values = values
        self.keys = keys
    }

    /// Where the value at `pointer` starts, or nil if there is no such value.
    public func position(of pointer: JSONPointer) -> Position? { values[pointer] }

    /// Where the key of the member at `pointer` starts (its opening quote); for array
    /// elements and the root, where the value starts.
    public func keyPosition(of pointer: JSONPointer) -> Position? { keys[pointer] ?? values[pointer] }

    /// The position of the deepest existing value on the way to `pointer` (for a missing
    /// member, its parent object).
    public func nearestPosition(of pointer: JSONPointer) -> Position? {
        var tokens = pointer.tokens
        while true {
            if let position = values[JSONPointer(tokens)] { return position }
            if tokens.isEmpty { return nil }
            tokens.removeLast()
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var values: [JSONPointer: Position] = [:]
        var keys: [JSONPointer: Position] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// The last computed column, to count incrementally along one line (minified
        /// files are one long line).
        var columnMark = (offset: 0, column: 1)

        var position: Position {
            mutating get {
                if columnMark.offset < lineStart || columnMark.offset > index { columnMark = (lineStart, 1) }
                var column = columnMark.column
                for byte in bytes[columnMark.offset..<index] where byte & 0xC0 != 0x80 { column += 1 }
                columnMark = (index, column)
                return Position(line: line, column: column, offset: index)
            }
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A:
                    line += 1
                    index += 1
                    lineStart = index
                case 0x20, 0x09, 0x0D:
                    index += 1
                default:
                    return
                }
            }
        }

        mutating func value(at pointer: JSONPointer, depth: Int) -> Bool {
            guard index < bytes.count, depth < 2048 else { return false }
            values[pointer] = position
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return true
                }
                while index < bytes.count {
                    let keyPosition = position
                    guard let key = string() else { return false }
                    let child = pointer.appending(key)
                    keys[child] = keyPosition
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    index += 1
                    skipWhitespace()
                    guard value(at: child, depth: depth + 1) else { return false }
                    skipWhitespace()
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                    } else if bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        return true
                    } else {
                        return false
                    }
                }
                return false
            case UInt8(ascii: "["):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return true
                }
                var element = 0
                while index < bytes.count {
                    guard value(at: pointer.appending(element), depth: depth + 1) else { return false }
                    element += 1
                    skipWhitespace()
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                    } else if bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        return true
                    } else {
                        return false
                    }
                }
                return false
            case UInt8(ascii: "\""):
                return string() != nil
            default:
                // Number or literal: skip to the next delimiter.
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return true
                    default: index += 1
                    }
                }
                return true
            }
        }

        /// Reads a string token and returns its decoded value.
        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var decoded: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: decoded, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count,
                            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        {
                            index += 2
                            guard let low = hex4() else { return nil }
                            // A high surrogate must be followed by a low one; otherwise U+FFFD.
                            scalar = (0xDC00...0xDFFF).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                        }
                        decoded.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                    default: decoded.append(escaped)
                    }
                    continue
                }
                decoded.append(byte)
                index += 1
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                value <<= 4
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value |= UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value |= UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value |= UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
            }
            index += 4
            return value
        }
    }
}
