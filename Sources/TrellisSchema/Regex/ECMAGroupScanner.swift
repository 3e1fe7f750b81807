/// The first pass over a pattern: counts its capturing groups and numbers its named ones,
/// since ECMA-262 backreferences (`\2`, `\k<name>`) may come before the group they name.
enum ECMAGroupScanner {
    /// Capturing groups in `source` and the number of each named group (the first, if repeated).
    /// Invalid syntax is skipped here; the translator reports it.
    static func scan(_ source: [Unicode.Scalar]) -> (count: Int, numbers: [String: Int]) {
        var count = 0
        var numbers: [String: Int] = [:]
        var index = 0
        var inClass = false
        while index < source.count {
            let scalar = source[index]
            index += 1
            switch scalar {
            case "\\":
                index += 1
            case "[":
                inClass = true
            case "]":
                inClass = false
            case "(" where !inClass:
                guard index < source.count, source[index] == "?" else {
                    count += 1
                    continue
                }
                guard index + 2 < source.count, source[index + 1] == "<",
                    source[index + 2] != "=", source[index + 2] != "!"
                else { continue }
                count += 1
                var cursor = index + 2
                if let name = groupName(in: source, at: &cursor), numbers[name] == nil {
                    numbers[name] = count
                }
            default:
                break
            }
        }
        return (count, numbers)
    }

    /// Reads a group name (ECMA-262 RegExpIdentifierName) and its closing `>` from `index`,
    /// which is left after the `>`. Nil if the name is not valid.
    static func groupName(in source: [Unicode.Scalar], at index: inout Int) -> String? {
        var name = ""
        while index < source.count {
            var scalar = source[index]
            index += 1
            if scalar == ">" { return name.isEmpty ? nil : name }
            if scalar == "\\" {
                guard index < source.count, source[index] == "u" else { return nil }
                index += 1
                guard let value = unicodeEscape(in: source, at: &index), let decoded = Unicode.Scalar(value) else {
                    return nil
                }
                scalar = decoded
            }
            let valid =
                name.isEmpty
                ? scalar.properties.isIDStart || scalar == "$" || scalar == "_"
                : scalar.properties.isIDContinue || scalar == "$" || scalar == "\u{200C}" || scalar == "\u{200D}"
            guard valid else { return nil }
            name.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Reads what follows `\u`: `XXXX` (a surrogate pair written `\uXXXX\uXXXX` makes one code
    /// point) or `{X...}` up to 10FFFF. Returns the code point (maybe a lone surrogate), or nil.
    static func unicodeEscape(in source: [Unicode.Scalar], at index: inout Int) -> UInt32? {
        if index < source.count, source[index] == "{" {
            var cursor = index + 1
            var value: UInt32 = 0
            var digits = 0
            while cursor < source.count, let digit = hexValue(source[cursor]) {
                value = value * 16 + digit
                guard value <= ECMACharacterSets.maxCodePoint else { return nil }
                digits += 1
                cursor += 1
            }
            guard digits > 0, cursor < source.count, source[cursor] == "}" else { return nil }
            index = cursor + 1
            return value
        }
        guard let lead = fourHexDigits(in: source, at: index) else { return nil }
        index += 4
        if (0xD800...0xDBFF).contains(lead), index + 1 < source.count, source[index] == "\\", source[index + 1] == "u",
            let trail = fourHexDigits(in: source, at: index + 2), (0xDC00...0xDFFF).contains(trail)
        {
            index += 6
            return 0x10000 + ((lead - 0xD800) << 10) + (trail - 0xDC00)
        }
        return lead
    }

    /// The value of four hex digits at `index`, if there are four.
    static func fourHexDigits(in source: [Unicode.Scalar], at index: Int) -> UInt32? {
        guard index + 4 <= source.count else { return nil }
        var value: UInt32 = 0
        for scalar in source[index..<(index + 4)] {
            guard let digit = hexValue(scalar) else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    /// The value of one hex digit.
    static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }
}
