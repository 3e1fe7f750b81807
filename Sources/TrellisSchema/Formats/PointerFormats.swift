/// `json-pointer` (RFC 6901) and `relative-json-pointer` (draft-handrews-relative-json-pointer-01).
enum PointerFormats {
    /// json-pointer = *( "/" reference-token ), where "~" is only allowed as "~0" or "~1".
    static func isJSONPointer(_ text: String) -> Bool {
        isJSONPointer(Array(text.unicodeScalars)[...])
    }

    /// relative-json-pointer = non-negative-integer ( json-pointer / "#" ); the integer has no
    /// sign and no leading zero.
    static func isRelativeJSONPointer(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let digits = scalars.prefix(while: ABNF.isDigit)
        guard !digits.isEmpty, digits.first != "0" || digits.count == 1 else { return false }
        let rest = scalars[digits.endIndex...]
        return rest.elementsEqual(["#"]) || isJSONPointer(rest)
    }

    private static func isJSONPointer(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard text.isEmpty || text.first == "/" else { return false }
        return text.indices.allSatisfy { position in
            text[position] != "~" || (position + 1 < text.endIndex && "01".unicodeScalars.contains(text[position + 1]))
        }
    }
}
