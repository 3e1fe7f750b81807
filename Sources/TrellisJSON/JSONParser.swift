internal import CJansson

/// Turns bytes into a jansson tree, with the checks jansson does not make itself.
enum JSONParser {
    static let flags = Int(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL)

    static func parse(_ bytes: UnsafeRawBufferPointer, options: JSONParseOptions) throws(JSONParseError) -> UnsafeMutablePointer<json_t> {
        guard let base = bytes.baseAddress, bytes.contains(where: { !isWhitespace($0) }) else {
            throw error(.emptyInput, "empty input: expected a JSON value", at: bytes.count, in: bytes)
        }
        if let offset = firstOffsetDeeper(than: options.maxDepth, in: bytes) {
            throw error(.tooDeep, "nesting deeper than \(options.maxDepth) levels", at: offset, in: bytes)
        }
        var failure = json_error_t()
        if let root = json_loadb(base.assumingMemoryBound(to: CChar.self), bytes.count, flags, &failure) {
            return root
        }
        let code = json_error_code(&failure)
        if code == json_error_numeric_overflow, options.largeIntegers == .approximate,
            let (widened, insertions) = widenLargeIntegers(bytes)
        {
            let retried = widened.withUnsafeBytes { buffer in
                json_loadb(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count, flags, &failure)
            }
            if let retried { return retried }
            // Positions refer to the widened text: map them back to the caller's bytes.
            let error = widened.withUnsafeBytes { translate(failure, in: $0) }
            let shift = 2 * insertions.prefix(while: { $0 < error.offset }).count
            throw self.error(error.kind, error.reason, at: max(0, error.offset - shift), in: bytes)
        }
        throw translate(failure, in: bytes)
    }

    // MARK: - Errors

    static func translate(_ failure: json_error_t, in bytes: UnsafeRawBufferPointer) -> JSONParseError {
        var failure = failure
        let code = json_error_code(&failure)
        var text = withUnsafeBytes(of: failure.text) { raw -> String in
            let count = raw.firstIndex(of: 0) ?? raw.count
            return String(decoding: raw.prefix(count), as: UTF8.self)
        }
        let kind: JSONParseError.Kind
        switch code {
        case json_error_invalid_utf8: kind = .invalidUTF8
        case json_error_duplicate_key: kind = .duplicateKey
        case json_error_stack_overflow: kind = .tooDeep
        case json_error_numeric_overflow:
            kind = .numberOutOfRange
            if text.hasPrefix("too big integer") { text += " (integers must fit in 64 bits)" }
        case json_error_null_byte_in_key: kind = .nulInKey
        case json_error_out_of_memory: kind = .outOfMemory
        default: kind = .syntax
        }
        // jansson's position counts the bytes read, the offending one included.
        let offset = max(0, min(Int(failure.position) - 1, bytes.count))
        if failure.line >= 1 {
            return JSONParseError(kind: kind, reason: text, line: Int(failure.line), column: max(1, Int(failure.column)), offset: offset)
        }
        return error(kind, text, at: offset, in: bytes)
    }

    static func error(_ kind: JSONParseError.Kind, _ reason: String, at offset: Int, in bytes: UnsafeRawBufferPointer) -> JSONParseError {
        let (line, column) = lineAndColumn(of: offset, in: bytes)
        return JSONParseError(kind: kind, reason: reason, line: line, column: column, offset: offset)
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    // MARK: - Scans

    /// The offset of the first `[` or `{` that opens a level deeper than `limit`, outside strings.
    static func firstOffsetDeeper(than limit: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return offset }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// A copy of `bytes` where every integer literal too large for `Int64` gets `.0`
    /// appended, so that jansson reads it as a real, with the offsets (in the copy) where
    /// `.0` was inserted; nil when there is none.
    static func widenLargeIntegers(_ bytes: UnsafeRawBufferPointer) -> ([UInt8], [Int])? {
        var output: [UInt8] = []
        var insertions: [Int] = []
        var inString = false
        var escaped = false
        var index = 0
        let count = bytes.count
        output.reserveCapacity(count + 16)
        while index < count {
            let byte = bytes[index]
            if inString {
                output.append(byte)
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
                output.append(byte)
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                output.append(byte)
                index += 1
                continue
            }
            // A number token: copy it, noting whether it is a plain integer.
            let start = index
            var isInteger = true
            while index < count {
                let c = bytes[index]
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    isInteger = false
                } else if !(c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))) {
                    break
                }
                index += 1
            }
            let token = bytes[start..<index]
            output.append(contentsOf: token)
            if isInteger, token.count >= 19, Int64(String(decoding: token, as: UTF8.self)) == nil {
                insertions.append(output.count)
                output.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
            }
        }
        return insertions.isEmpty ? nil : (output, insertions)
    }
}
