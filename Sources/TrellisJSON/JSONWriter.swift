/// Writes JSON text into a byte buffer, in Swift (not with jansson's `json_dumpb`).
///
/// Numbers are written in their shortest round-trip form (`0.1`, never
/// `0.10000000000000001`); strings are escaped as RFC 8259 requires (`"`, `\`, and
/// control characters; everything else is written as UTF-8); object members keep
/// their order.
///
/// The primitive methods write compact JSON and are what generated encoders call;
/// ``write(_:)-(JSON)`` writes a whole tree, compact or pretty.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.write(["id": 7, "weight": 1.75])
/// String(decoding: writer.bytes, as: UTF8.self)   // {"id":7,"weight":1.75}
/// ```
public struct JSONWriter: ~Copyable, @unchecked Sendable {  // owns its buffer alone (not copyable)
    /// How the output is laid out.
    public enum Style: Sendable, Hashable {
        /// No white space at all.
        case compact
        /// One member or element per line, indented by `indent` spaces, `": "` after keys.
        case pretty(indent: Int)
    }

    /// The buffer, of `capacity` bytes, the first `count` written.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written: Int
    /// The number of bytes written so far.
    public var count: Int { written }
    /// The layout used by ``write(_:)-(JSON)``.
    public var style: Style

    /// Creates a writer, optionally reserving room for `capacity` bytes.
    public init(style: Style = .compact, capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
        self.written = 0
        self.style = style
    }

    deinit { base.deallocate() }

    /// The bytes written so far (a copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: written)) }

    /// Calls `body` with the bytes written so far, without copying them.
    public func withBytes<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: written))
    }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always) mutating func reserve(_ extra: Int) {
        if _slowPath(written &+ extra > capacity) { grow(extra) }
    }

    @usableFromInline mutating func grow(_ extra: Int) {
        let newCapacity = Swift.max(capacity * 2, written + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: written)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends bytes that are already valid JSON text.
    @inlinable mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let start = raw.baseAddress else { return }
        reserve(raw.count)
        (base + written).update(from: start, count: raw.count)
        written &+= raw.count
    }

    /// Appends one byte.
    @inlinable @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[written] = byte
        written &+= 1
    }

    // MARK: - Primitives (compact)

    /// Appends raw, already valid JSON bytes (punctuation or a prepared fragment).
    @inlinable @inline(__always) public mutating func writeRaw(_ raw: StaticString) {
        if raw.hasPointerRepresentation {
            append(UnsafeBufferPointer(start: raw.utf8Start, count: raw.utf8CodeUnitCount))
        } else {
            raw.withUTF8Buffer { append($0) }
        }
    }

    /// Appends bytes that are already valid JSON text (a fragment written elsewhere).
    @inlinable public mutating func writeRaw(_ json: UnsafeBufferPointer<UInt8>) { append(json) }

    /// Appends one raw byte such as `{`, `,` or `:`.
    @inlinable public mutating func writeByte(_ byte: UInt8) { append(byte) }

    /// Appends `null`.
    @inlinable public mutating func writeNull() { writeRaw("null") }

    /// Appends `true` or `false`.
    @inlinable public mutating func writeBool(_ value: Bool) { value ? writeRaw("true") : writeRaw("false") }

    /// Appends an integer.
    @inlinable public mutating func writeInteger<I: BinaryInteger>(_ value: I) {
        if value >= 0 && value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
        } else if let small = Int64(exactly: value) {
            writeInt64(small)
        } else {
            var text = String(value)
            text.withUTF8 { append($0) }
        }
    }

    /// Appends a 64-bit integer, digit by digit (no intermediate string).
    @usableFromInline mutating func writeInt64(_ value: Int64) {
        // 19 digits and a sign hold every Int64 (10¹⁹ still fits in a UInt64).
        var magnitude = value.magnitude
        var digits = 1
        var power: UInt64 = 10
        while digits < 19 && magnitude >= power {
            digits += 1
            power &*= 10
        }
        let sign = value < 0 ? 1 : 0
        reserve(digits + sign)
        if sign == 1 { base[written] = UInt8(ascii: "-") }
        var position = written + sign + digits
        repeat {
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
            position -= 1
            base[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder)
            magnitude = quotient
        } while magnitude > 0
        written += sign + digits
    }

    /// Appends a number in shortest round-trip form, as Swift's `description` writes it
    /// (`1.0`, `0.1`, `1e-05`, `1e+16`). A non-finite value, which JSON cannot hold, is
    /// written as `null`.
    @inlinable public mutating func writeDouble(_ value: Double) {
        guard value.isFinite else {
            writeNull()
            return
        }
        if !writeShortDecimal(value) {
            var text = value.description
            text.withUTF8 { append($0) }
        }
    }

    /// Writes a value with at most six decimals between 0.001 and 10⁹ without building a
    /// string, when it is exactly what `description` gives; false (nothing written) otherwise.
    ///
    /// Below 10⁹ a double's spacing is under 1.2 × 10⁻⁷, so at most one decimal with six or
    /// fewer fractional digits reads back as the value; the first `k` for which
    /// `round(v × 10ᵏ) / 10ᵏ == v` (an exact test: both operands are exact and IEEE division
    /// rounds correctly) therefore gives the shortest round-trip digits, which is what
    /// `description` prints in this range (fixed notation, `.0` for integers).
    @usableFromInline mutating func writeShortDecimal(_ value: Double) -> Bool {
        let magnitude = value.magnitude
        guard magnitude >= 0.001 && magnitude < 1e9 else {
            guard value == 0 else { return false }
            value.sign == .minus ? writeRaw("-0.0") : writeRaw("0.0")
            return true
        }
        var scale = 1.0
        for decimals in 0...6 {
            // Below 10¹⁵ < 2⁵² adding ½ is exact, so truncating rounds half up as `rounded()`
            // does, without a call into libm.
            let integer = Int64(magnitude * scale + 0.5)
            if Double(integer) / scale == magnitude {
                let divisor = Int64(scale)
                if value < 0 { append(UInt8(ascii: "-")) }
                writeInt64(integer / divisor)
                append(UInt8(ascii: "."))
                if decimals == 0 {
                    append(UInt8(ascii: "0"))
                } else {
                    // The fraction, zero-padded to `decimals` digits.
                    var fraction = integer % divisor
                    var digits: UInt64 = 0  // the fraction's digits, reversed, one per byte
                    for _ in 0..<decimals {
                        digits = digits << 8 | UInt64(fraction % 10)
                        fraction /= 10
                    }
                    for _ in 0..<decimals {
                        append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digits & 0xFF))
                        digits >>= 8
                    }
                }
                return true
            }
            scale *= 10
        }
        return false
    }

    /// Appends a number as parsed.
    @inlinable public mutating func writeNumber(_ value: JSONNumber) {
        switch value {
        case .integer(let i): writeInteger(i)
        case .real(let d): writeDouble(d)
        }
    }

    /// Appends a quoted, escaped string.
    @inlinable public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeString(utf8: $0) }
    }

    /// Appends a quoted, escaped string given as UTF-8 bytes.
    public mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        let length = utf8.count
        // Room for the quotes and the text as it is, which is all there is without escapes.
        reserve(length + 2)
        base[written] = UInt8(ascii: "\"")
        written &+= 1
        var start = 0
        var index = 0
        while index < length {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if start < index { append(UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                appendEscape(byte)
                start = index + 1
            }
            index += 1
        }
        if start < length { append(UnsafeBufferPointer(rebasing: utf8[start..<length])) }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(digits[Int(byte >> 4)])
            append(digits[Int(byte & 0xF)])
        }
    }

    // MARK: - Trees

    /// Appends a whole value in this writer's ``style``.
    public mutating func write(_ value: JSON) {
        write(value, depth: 0)
    }

    /// Appends a value read from a document, in this writer's ``style``.
    public mutating func write(_ value: JSONValue) {
        withExtendedLifetime(value.document) { write(value.node, depth: 0) }
    }

    private mutating func write(_ value: JSON, depth: Int) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .integer(let i): writeInteger(i)
        case .number(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let items):
            writeContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: items.count, depth: depth) { writer, index in
                writer.write(items[index], depth: depth + 1)
            }
        case .object(let object):
            let members = object.members
            writeContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: members.count, depth: depth) { writer, index in
                writer.writeString(members[index].key)
                writer.writeColon()
                writer.write(members[index].value, depth: depth + 1)
            }
        }
    }

    package mutating func write(_ node: JSONNode, depth: Int) {
        switch node.kind {
        case .null: writeNull()
        case .bool: writeBool(node.bool ?? false)
        case .integer: writeInteger(node.integer ?? 0)
        case .real: writeDouble(node.real ?? 0)
        case .string: writeString(utf8: node.utf8 ?? UnsafeBufferPointer(start: nil, count: 0))
        case .array:
            writeContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: node.count, depth: depth) { writer, index in
                writer.write(node[index: index], depth: depth + 1)
            }
        case .object:
            let members = node.members
            writeContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: members.count, depth: depth) { writer, index in
                writer.writeString(members[index].key)
                writer.writeColon()
                writer.write(members[index].value, depth: depth + 1)
            }
        }
    }

    private mutating func writeColon() {
        append(UInt8(ascii: ":"))
        if case .pretty = style { append(UInt8(ascii: " ")) }
    }

    private mutating func writeContainer(
        open: UInt8, close: UInt8, count: Int, depth: Int, element: (inout JSONWriter, Int) -> Void
    ) {
        append(open)
        guard count > 0 else {
            append(close)
            return
        }
        let indent: Int
        if case .pretty(let width) = style { indent = width } else { indent = -1 }
        for index in 0..<count {
            if index > 0 { append(UInt8(ascii: ",")) }
            if indent >= 0 { newline(indent * (depth + 1)) }
            element(&self, index)
        }
        if indent >= 0 { newline(indent * depth) }
        append(close)
    }

    private mutating func newline(_ spaces: Int) {
        append(UInt8(ascii: "\n"))
        reserve(spaces)
        (base + written).update(repeating: UInt8(ascii: " "), count: spaces)
        written += spaces
    }
}

extension JSON {
    /// The value as compact JSON text.
    public var compactText: String {
        var writer = JSONWriter()
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The value as JSON text indented by two spaces, with a final newline.
    public var prettyText: String {
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.write(self)
        writer.writeByte(UInt8(ascii: "\n"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension JSON: CustomStringConvertible {
    /// The value as compact JSON text.
    public var description: String { compactText }
}
