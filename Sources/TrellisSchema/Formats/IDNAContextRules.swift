/// The contextual rules of RFC 5892 appendix A, for code points whose status is CONTEXTJ or CONTEXTO.
enum IDNAContextRules {
    private static let virama: UInt8 = 9

    /// ZERO WIDTH NON-JOINER (A.1) and ZERO WIDTH JOINER (A.2).
    static func allowsJoiner(at position: Int, in label: [Unicode.Scalar]) -> Bool {
        if position > 0 && label[position - 1].properties.canonicalCombiningClass.rawValue == virama {
            return true
        }
        guard label[position] == "\u{200C}" else { return false }
        // (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
        let before = label[..<position].reversed().first { IDNAUnicodeData.joiningType(of: $0) != .transparent }
        let after = label[(position + 1)...].first { IDNAUnicodeData.joiningType(of: $0) != .transparent }
        guard let before, let after else { return false }
        let beforeType = IDNAUnicodeData.joiningType(of: before)
        let afterType = IDNAUnicodeData.joiningType(of: after)
        return (beforeType == .left || beforeType == .dual) && (afterType == .right || afterType == .dual)
    }

    /// MIDDLE DOT (A.3), GREEK LOWER NUMERAL SIGN (A.4), HEBREW GERESH and GERSHAYIM (A.5, A.6),
    /// KATAKANA MIDDLE DOT (A.7), ARABIC-INDIC DIGITS (A.8) and EXTENDED ARABIC-INDIC DIGITS (A.9).
    static func allowsOther(at position: Int, in label: [Unicode.Scalar]) -> Bool {
        let before = position > 0 ? label[position - 1] : nil
        let after = position + 1 < label.count ? label[position + 1] : nil
        switch label[position].value {
        case 0x00B7:
            return before == "l" && after == "l"
        case 0x0375:
            return after.map(IDNAUnicodeData.isGreek) ?? false
        case 0x05F3, 0x05F4:
            return before.map(IDNAUnicodeData.isHebrew) ?? false
        case 0x30FB:
            return label.contains(where: IDNAUnicodeData.isHiraganaKatakanaOrHan)
        case 0x0660...0x0669:
            return !label.contains { (0x06F0...0x06F9).contains($0.value) }
        case 0x06F0...0x06F9:
            return !label.contains { (0x0660...0x0669).contains($0.value) }
        default:
            return false
        }
    }
}
