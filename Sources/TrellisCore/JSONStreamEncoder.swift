internal import Foundation
internal import TrellisJSON

/// Writes `Encodable` values straight to JSON bytes, with no intermediate tree: the runtime's
/// fast path for response bodies. It writes what ``JSONValueEncoder`` builds (keys in the
/// order the value encodes them, `Date`, `URL` and `Data` as strings, floats in their
/// shortest form) for every value that uses its containers one after the other, as
/// generated models and the standard library's collections do.
///
/// A value that goes back to a container after opening another one, or uses a
/// `superEncoder`, cannot be streamed: ``encode(_:)`` then returns nil and the caller falls
/// back on ``JSONValueEncoder``. (A key encoded twice is written twice, where the tree
/// encoder keeps the last; no generated model does that, and debug builds' response
/// validation rejects the duplicate.)
public enum JSONStreamEncoder {
    /// The JSON bytes of `value`, or nil when it cannot be streamed.
    /// - Throws: `EncodingError` for what JSON cannot hold (a non-finite number), and what
    ///   the value's `encode(to:)` throws.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8]? {
        let sink = StreamSink()
        do {
            try StreamEncoder(sink: sink, depth: 0, codingPath: []).encodeSlot(value)
        } catch is CannotStream {
            return nil
        }
        return sink.writer.bytes
    }
}

/// A container use the stream cannot follow.
private struct CannotStream: Error {}

/// The output and the containers open in it.
private final class StreamSink {
    struct Frame {
        let isObject: Bool
        /// The depth of the slot the container fills.
        let depth: Int
        var count = 0
    }

    var writer = JSONWriter()
    var frames: [Frame] = []

    /// Closes every container whose depth is greater than `depth` (a slot at depth d owns
    /// the containers at depth d + 1).
    func close(below depth: Int) {
        while let frame = frames.last, frame.depth > depth {
            writer.writeByte(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            frames.removeLast()
        }
    }

    /// Makes the container of the slot at `depth` the innermost open one (closing finished
    /// nested ones), or fails when it was closed already.
    func resume(_ depth: Int) throws -> Int {
        close(below: depth + 1)
        guard let index = frames.indices.last, frames[index].depth == depth + 1 else { throw CannotStream() }
        return index
    }
}

private struct StreamEncoder: Encoder {
    let sink: StreamSink
    /// The depth of the slot this encoder fills (its containers are at depth + 1).
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Fills the slot with `value`, closing what it opened; `{}` if it wrote nothing.
    func encodeSlot<T: Encodable>(_ value: T) throws {
        let before = sink.writer.count
        try write(value)
        sink.close(below: depth)  // the containers of this slot, and any left open in them
        if sink.writer.count == before { sink.writer.writeRaw("{}") }
    }

    /// Writes `value` into the slot: the types Foundation's coders special-case, or its own encoding.
    func write<T: Encodable>(_ value: T) throws {
        switch value {
        case let text as String: sink.writer.writeString(text)
        case let number as Int: sink.writer.writeInteger(number)
        case let flag as Bool: sink.writer.writeBool(flag)
        case let number as Double: try writeDouble(number)
        case let date as Date: sink.writer.writeString(DateTimeCoding.format(date))
        case let url as URL: sink.writer.writeString(url.absoluteString)
        case let data as Data: sink.writer.writeString(data.base64EncodedString())
        default: try value.encode(to: self)
        }
    }

    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) cannot be written as JSON"))
        }
        sink.writer.writeDouble(value)
    }

    func writeFloat(_ value: Float) throws {
        try writeDouble(Double(value.description) ?? Double(value))
    }

    func writeInteger<N: BinaryInteger>(_ value: N) throws {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is beyond 64-bit integers"))
        }
        sink.writer.writeInteger(exact)
    }

    /// Opens (or resumes) this slot's container.
    private func open(object: Bool) -> Bool {
        sink.close(below: depth + 1)
        if let frame = sink.frames.last, frame.depth == depth + 1 { return frame.isObject == object }
        sink.writer.writeByte(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        sink.frames.append(StreamSink.Frame(isObject: object, depth: depth + 1))
        return true
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamKeyedContainer<Key>(encoder: self, valid: open(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamUnkeyedContainer(encoder: self, valid: open(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { StreamSingleContainer(encoder: self) }
}

private struct StreamSingleContainer: SingleValueEncodingContainer {
    let encoder: StreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var writer: StreamSink { encoder.sink }

    mutating func encodeNil() throws { writer.writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.writer.writeBool(value) }
    mutating func encode(_ value: String) throws { writer.writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try encoder.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try encoder.writeFloat(value) }
    mutating func encode(_ value: Int) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try encoder.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.write(value) }  // the value fills this same slot
}

private struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: StreamEncoder
    let valid: Bool
    var codingPath: [any CodingKey] { encoder.codingPath }

    /// Writes `,"key":` and returns the encoder of the member's slot.
    private func member(_ key: Key) throws -> StreamEncoder {
        guard valid else { throw CannotStream() }
        let sink = encoder.sink
        let index = try sink.resume(encoder.depth)
        if sink.frames[index].count > 0 { sink.writer.writeByte(UInt8(ascii: ",")) }
        sink.frames[index].count += 1
        sink.writer.writeString(key.stringValue)
        sink.writer.writeByte(UInt8(ascii: ":"))
        return StreamEncoder(sink: sink, depth: encoder.depth + 1, codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeNull()
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeBool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws { try member(key).writeDouble(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try member(key).writeFloat(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try member(key).writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        _ = try member(key)
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try member(key).writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key).encodeSlot(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        guard let child = try? member(key) else { return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(encoder: encoder, valid: false)) }
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        guard let child = try? member(key) else { return StreamUnkeyedContainer(encoder: encoder, valid: false) }
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { InvalidEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { InvalidEncoder(codingPath: codingPath) }
}

private struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: StreamEncoder
    let valid: Bool
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.sink.frames.last { $0.depth == encoder.depth + 1 }?.count ?? 0 }

    /// Writes the `,` before an element and returns the encoder of its slot.
    private func element() throws -> StreamEncoder {
        guard valid else { throw CannotStream() }
        let sink = encoder.sink
        let index = try sink.resume(encoder.depth)
        if sink.frames[index].count > 0 { sink.writer.writeByte(UInt8(ascii: ",")) }
        sink.frames[index].count += 1
        return StreamEncoder(sink: sink, depth: encoder.depth + 1, codingPath: codingPath)
    }

    mutating func encodeNil() throws {
        _ = try element()
        encoder.sink.writer.writeNull()
    }
    mutating func encode(_ value: Bool) throws {
        _ = try element()
        encoder.sink.writer.writeBool(value)
    }
    mutating func encode(_ value: String) throws {
        _ = try element()
        encoder.sink.writer.writeString(value)
    }
    mutating func encode(_ value: Double) throws { try element().writeDouble(value) }
    mutating func encode(_ value: Float) throws { try element().writeFloat(value) }
    mutating func encode(_ value: Int) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int8) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int16) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int32) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: Int64) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt) throws { try element().writeInteger(value) }
    mutating func encode(_ value: UInt8) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt16) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt32) throws {
        _ = try element()
        encoder.sink.writer.writeInteger(value)
    }
    mutating func encode(_ value: UInt64) throws { try element().writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try element().encodeSlot(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        guard let child = try? element() else { return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(encoder: encoder, valid: false)) }
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        guard let child = try? element() else { return StreamUnkeyedContainer(encoder: encoder, valid: false) }
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { InvalidEncoder(codingPath: codingPath) }
}

/// An encoder for what the stream does not follow (`superEncoder`): every use makes the
/// value fall back on the tree encoder.
private struct InvalidEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamKeyedContainer<Key>(encoder: StreamEncoder(sink: StreamSink(), depth: 0, codingPath: codingPath), valid: false))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamUnkeyedContainer(encoder: StreamEncoder(sink: StreamSink(), depth: 0, codingPath: codingPath), valid: false)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { InvalidSingle(codingPath: codingPath) }
}

private struct InvalidSingle: SingleValueEncodingContainer {
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws { throw CannotStream() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw CannotStream() }
    mutating func encode(_ value: Bool) throws { throw CannotStream() }
    mutating func encode(_ value: String) throws { throw CannotStream() }
    mutating func encode(_ value: Double) throws { throw CannotStream() }
    mutating func encode(_ value: Float) throws { throw CannotStream() }
    mutating func encode(_ value: Int) throws { throw CannotStream() }
    mutating func encode(_ value: Int8) throws { throw CannotStream() }
    mutating func encode(_ value: Int16) throws { throw CannotStream() }
    mutating func encode(_ value: Int32) throws { throw CannotStream() }
    mutating func encode(_ value: Int64) throws { throw CannotStream() }
    mutating func encode(_ value: UInt) throws { throw CannotStream() }
    mutating func encode(_ value: UInt8) throws { throw CannotStream() }
    mutating func encode(_ value: UInt16) throws { throw CannotStream() }
    mutating func encode(_ value: UInt32) throws { throw CannotStream() }
    mutating func encode(_ value: UInt64) throws { throw CannotStream() }
}
