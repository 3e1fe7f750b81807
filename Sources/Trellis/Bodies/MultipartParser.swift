internal import Foundation
internal import NIOCore

/// A push parser of `multipart/form-data` bodies (RFC 7578, RFC 2046 §5.1), fed the body as it
/// arrives and answering what it found: parts' heads, pieces of their contents (slices of
/// the buffers it was fed, not copies) and their ends.
///
/// Written here rather than taken from vapor's multipart-kit (4.7, the version at hand),
/// whose parser grows a part's header line without bound (a hostile client's one header of
/// a gigabyte is held in memory), cannot tell a body that ends with its closing delimiter
/// from one cut off in the middle of a part, and hands over contents one line-feed at a time
/// in new buffers. This one bounds every part's head, knows when the body is complete,
/// and hands over the longest slices it can.
struct MultipartParser {
    /// What the parser found in the bytes it was fed, in order.
    enum Event {
        /// A part begins, with its header fields (names lowercased).
        case begin(headers: [(name: String, value: String)])
        /// A piece of the current part's contents.
        case data(ByteBuffer)
        /// The current part is complete.
        case end
    }

    /// Why a body cannot be read as `multipart/form-data`.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private enum State {
        /// Nothing read yet: the body may start with the first delimiter at once.
        case start
        /// Before the first delimiter: skipped.
        case preamble
        /// Just after a delimiter: `--` (the end) or a line break (a part follows).
        case afterDelimiter
        /// Reading a part's head.
        case head
        /// Reading a part's contents.
        case contents
        /// After the closing delimiter: skipped.
        case epilogue
    }

    /// `\r\n--boundary`.
    private let delimiter: [UInt8]
    /// The longest head a part may have.
    private let maxHeadBytes: Int
    private var state = State.start
    /// What has been fed and not consumed yet.
    private var buffer = ByteBuffer()

    /// Whether the closing delimiter has been read: the body is complete.
    private(set) var isComplete = false

    /// A parser of a body whose `Content-Type` names `boundary`; a part's head may have at most
    /// `maxHeadBytes` bytes.
    init(boundary: String, maxHeadBytes: Int = 16 * 1024) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeadBytes = maxHeadBytes
    }

    /// Reads `chunk`, handing what it completes to `handle`.
    /// - Throws: ``Malformed`` for a body that is not `multipart/form-data`, and what
    ///   `handle` throws.
    mutating func feed(_ chunk: ByteBuffer, _ handle: (Event) throws -> Void) throws {
        if buffer.readableBytes == 0 {
            buffer = chunk
        } else {
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        while try step(handle) {}
        if buffer.readableBytes == 0 { buffer.clear() }
    }

    /// Takes one step; false when more bytes are needed.
    private mutating func step(_ handle: (Event) throws -> Void) throws -> Bool {
        switch state {
        case .start:
            // The first delimiter may open the body without the line break before it.
            let opening = delimiter[2...]
            let available = min(buffer.readableBytes, opening.count)
            guard buffer.readableBytesView.prefix(available).elementsEqual(opening.prefix(available)) else {
                state = .preamble
                return true
            }
            guard available == opening.count else { return false }
            buffer.moveReaderIndex(forwardBy: opening.count)
            state = .afterDelimiter
            return true
        case .preamble:
            switch find() {
            case .found(let offset):
                buffer.moveReaderIndex(forwardBy: offset + delimiter.count)
                state = .afterDelimiter
                return true
            case .undecided(let offset):
                buffer.moveReaderIndex(forwardBy: offset)
                return false
            }
        case .afterDelimiter:
            // `--` closes the body; else optional spaces and a line break open a part.
            let view = buffer.readableBytesView
            guard let first = view.first else { return false }
            if first == UInt8(ascii: "-") {
                guard view.count >= 2 else { return false }
                guard view[view.startIndex + 1] == UInt8(ascii: "-") else { throw Malformed(description: "a delimiter is followed by '-' and not by '--'") }
                isComplete = true
                state = .epilogue
                return true
            }
            let padding = view.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
            guard padding < 64 else { throw Malformed(description: "a delimiter line is too long") }
            guard view.count >= padding + 2 else { return false }
            guard view[view.startIndex + padding] == 13, view[view.startIndex + padding + 1] == 10 else {
                throw Malformed(description: "a delimiter is not followed by a line break")
            }
            buffer.moveReaderIndex(forwardBy: padding + 2)
            state = .head
            return true
        case .head:
            let view = buffer.readableBytesView
            if view.starts(with: [13, 10]) {
                // No header fields at all.
                buffer.moveReaderIndex(forwardBy: 2)
                try handle(.begin(headers: []))
                state = .contents
                return true
            }
            guard let end = Self.firstRange(of: [13, 10, 13, 10], in: view) else {
                guard view.count <= maxHeadBytes else { throw Malformed(description: "a part's header fields are longer than \(maxHeadBytes) bytes") }
                return false
            }
            guard end <= maxHeadBytes else { throw Malformed(description: "a part's header fields are longer than \(maxHeadBytes) bytes") }
            let headers = try Self.headers(view.prefix(end))
            buffer.moveReaderIndex(forwardBy: end + 4)
            try handle(.begin(headers: headers))
            state = .contents
            return true
        case .contents:
            switch find() {
            case .found(let offset):
                if offset > 0, let slice = buffer.readSlice(length: offset) { try handle(.data(slice)) }
                buffer.moveReaderIndex(forwardBy: delimiter.count)
                try handle(.end)
                state = .afterDelimiter
                return true
            case .undecided(let offset):
                if offset > 0, let slice = buffer.readSlice(length: offset) { try handle(.data(slice)) }
                return false
            }
        case .epilogue:
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return false
        }
    }

    private enum Search {
        /// The delimiter starts `offset` bytes in.
        case found(Int)
        /// Not in the bytes at hand: the first `offset` bytes are certainly not part of it
        /// (the rest may begin it).
        case undecided(Int)
    }

    /// The delimiter in the unread bytes.
    private func find() -> Search {
        buffer.withUnsafeReadableBytes { bytes in
            let count = bytes.count
            var index = 0
            guard let base = bytes.baseAddress else { return .undecided(0) }
            while index < count {
                // The delimiter starts with a carriage return: skip to the next one.
                guard let pointer = memchr(base + index, 13, count - index) else { return .undecided(count) }
                let found = base.distance(to: UnsafeRawPointer(pointer))
                let available = min(count - found, delimiter.count)
                var matches = true
                for offset in 1..<available where bytes[found + offset] != delimiter[offset] {
                    matches = false
                    break
                }
                if matches { return available == delimiter.count ? .found(found) : .undecided(found) }
                index = found + 1
            }
            return .undecided(count)
        }
    }

    /// Where `pattern` first starts in `view`.
    private static func firstRange(of pattern: [UInt8], in view: ByteBufferView) -> Int? {
        let bytes = Array(view)
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }

    /// A part's header fields (`Name: value` lines), names lowercased.
    private static func headers(_ bytes: ByteBufferView.SubSequence) throws -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in Array(bytes).split(separator: 10, omittingEmptySubsequences: false) {
            var line = line
            if line.last == 13 { line.removeLast() }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw Malformed(description: "a part's header field has no ':'") }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else { throw Malformed(description: "a part's header field name is not a token") }
            let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
            fields.append((String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self)))
        }
        return fields
    }

    /// RFC 9110's `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

/// The parameters of header values such as `Content-Type` and `Content-Disposition`.
enum HeaderParameters {
    /// `form-data; name="photo"; filename="a b.png"` → `[("name", "photo"), ("filename", "a b.png")]`
    /// (names lowercased, quoted strings unescaped, `filename*=UTF-8''…` decoded).
    static func parse(_ value: String) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var extended: [(name: String, value: String)] = []
        var characters = Substring(value)
        // Skip the value itself (`form-data`, `multipart/form-data`).
        characters = characters.drop { $0 != ";" }
        while characters.first == ";" {
            characters = characters.dropFirst().drop { $0 == " " || $0 == "\t" }
            let name = characters.prefix { $0 != "=" && $0 != ";" }
            characters = characters.dropFirst(name.count)
            guard characters.first == "=" else { continue }
            characters = characters.dropFirst()
            var text = ""
            if characters.first == "\"" {
                characters = characters.dropFirst()
                while let character = characters.first, character != "\"" {
                    characters = characters.dropFirst()
                    if character == "\\", let escaped = characters.first {
                        text.append(escaped)
                        characters = characters.dropFirst()
                    } else {
                        text.append(character)
                    }
                }
                characters = characters.dropFirst()
                characters = characters.drop { $0 != ";" }
            } else {
                let token = characters.prefix { $0 != ";" }
                characters = characters.dropFirst(token.count)
                text = String(token).trimmingSpaces
            }
            let key = name.trimmingSpaces.lowercased()
            if key.hasSuffix("*") {
                // RFC 8187: charset'language'percent-encoded (UTF-8 is the only one required).
                let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3, pieces[0].lowercased() == "utf-8", let decoded = String(pieces[2]).removingPercentEncoding {
                    extended.append((String(key.dropLast()), decoded))
                }
                continue
            }
            result.append((key, text))
        }
        // `filename*` is preferred to `filename` (RFC 6266 §4.3).
        for item in extended {
            result.removeAll { $0.name == item.name }
            result.append(item)
        }
        return result
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
