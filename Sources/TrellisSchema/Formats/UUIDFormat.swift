/// `uuid` (RFC 9562): 32 hexadecimal digits in groups of 8-4-4-4-12, in any case, any version or variant.
enum UUIDFormat {
    private static let hyphenOffsets: Set<Int> = [8, 13, 18, 23]

    static func isUUID(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 36
            && scalars.indices.allSatisfy { offset in
                hyphenOffsets.contains(offset) ? scalars[offset] == "-" : ABNF.isHexDigit(scalars[offset])
            }
    }
}
