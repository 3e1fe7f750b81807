/// Swift names for JSON names: idiomatic, valid, and escaped where they are keywords.
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "_",
    ]

    /// Names a Swift type must not take, because generated or standard code uses them.
    static let reservedTypeNames: Set<String> = [
        "Type", "Protocol", "Self", "Any", "String", "Int", "Double", "Bool", "Array", "Dictionary", "Optional",
        "Error", "Date", "UUID", "URL", "Data", "Codable", "Decoder", "Encoder", "CodingKeys", "Input", "Output", "JSON",
    ]

    /// Splits a JSON name into words: `petId` → pet, Id; `pet_id`, `pet-id`, `Pet ID` → pet, id.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character.isLetter || character.isNumber {
                let boundary: Bool
                if let previous {
                    boundary =
                        (character.isUppercase && previous.isLowercase)
                        || (character.isNumber != previous.isNumber && !current.isEmpty && false)
                } else {
                    boundary = false
                }
                if boundary, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        // Split "HTTPServer" into "HTTP", "Server".
        var result: [String] = []
        for word in words {
            var chars = Array(word)
            var start = 0
            var index = 1
            while index < chars.count - 1 {
                if chars[index].isUppercase && chars[index - 1].isUppercase && chars[index + 1].isLowercase {
                    result.append(String(chars[start..<index]))
                    start = index
                }
                index += 1
            }
            result.append(String(chars[start...]))
            chars.removeAll()
        }
        return result
    }

    /// `pet_name` → `PetName`.
    static func typeName(_ text: String) -> String {
        var name = words(text).map { capitalizeFirst($0) }.joined()
        if name.isEmpty { name = "Value" }
        if let first = name.first, first.isNumber { name = "_" + name }
        if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) { name = asciiIdentifier(name) }
        return name
    }

    /// `pet_name` → `petName`; keywords escaped with backticks.
    static func memberName(_ text: String) -> String {
        let parts = words(text)
        guard let first = parts.first else { return "`_`" }
        var name = lowercaseFirst(first) + parts.dropFirst().map { capitalizeFirst($0) }.joined()
        if let c = name.first, c.isNumber { name = "_" + name }
        if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) { name = asciiIdentifier(name) }
        return escape(name)
    }

    /// Names that backticks cannot make usable as members (`self.x` would mean the member).
    static let unusableMemberNames: Set<String> = ["self", "Self", "super", "init", "Type", "Protocol", "_"]

    static func escape(_ name: String) -> String {
        if unusableMemberNames.contains(name) { return "_" + name }
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// Removes backticks (for composing names).
    static func unescaped(_ name: String) -> String {
        name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name
    }

    private static func capitalizeFirst(_ word: String) -> String {
        guard let first = word.first else { return word }
        // Keep acronyms as they are ("URL"), otherwise capitalise the first letter only.
        if word.allSatisfy({ $0.isUppercase || $0.isNumber }) && word.count > 1 { return word }
        return first.uppercased() + word.dropFirst()
    }

    private static func lowercaseFirst(_ word: String) -> String {
        if word.allSatisfy({ $0.isUppercase || $0.isNumber }) { return word.lowercased() }
        guard let first = word.first else { return word }
        return first.lowercased() + word.dropFirst()
    }

    /// Replaces non-ASCII-identifier characters by `_` plus their code point.
    private static func asciiIdentifier(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, CharacterSet.identifier(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "_u\(String(scalar.value, radix: 16))_"
            }
        }
        return result
    }

    /// A Swift string literal for `text`.
    /// Whether `text` can name a Swift type as a declaration writes it: identifiers of ASCII
    /// letters, digits and `_`, separated by dots (`Clerks`, `Auth.StaffKeys`).
    static func isTypeReference(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, isLetter(first) else { return false }
            return part.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
        }
    }

    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

private enum CharacterSet {
    static func identifier(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }
}
