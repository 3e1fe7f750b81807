/// The IDNA2008 derived property of a code point (RFC 5892 section 3), computed from the
/// standard library's Unicode properties instead of a table.
enum IDNACodePoint {
    /// Whether, and under which condition, a code point may appear in a U-label.
    enum Status: Equatable, Sendable {
        case protocolValid
        /// CONTEXTJ: ZERO WIDTH JOINER and NON-JOINER (RFC 5892 appendix A.1, A.2).
        case contextJoiner
        /// CONTEXTO: the other characters with a contextual rule (RFC 5892 appendix A.3 - A.9).
        case contextOther
        /// DISALLOWED or UNASSIGNED.
        case disallowed
    }

    /// The status of a code point, following the derivation order of RFC 5892 section 3.
    static func status(of scalar: Unicode.Scalar) -> Status {
        let value = scalar.value
        if let exception = exception(value) {
            return exception
        }
        let properties = scalar.properties
        if properties.generalCategory == .unassigned && !properties.isNoncharacterCodePoint {
            return .disallowed  // UNASSIGNED
        }
        if isLDH(value) {
            return .protocolValid
        }
        if properties.isJoinControl {
            return .contextJoiner
        }
        // Unstable (B), IgnorableProperties (C), IgnorableBlocks (D), OldHangulJamo (I).
        if properties.changesWhenNFKCCaseFolded
            || properties.isDefaultIgnorableCodePoint || properties.isWhitespace
            || properties.isNoncharacterCodePoint
            || isInIgnorableBlock(value) || isOldHangulJamo(value)
        {
            return .disallowed
        }
        // LetterDigits (A).
        switch properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .otherLetter, .modifierLetter,
            .decimalNumber, .nonspacingMark, .spacingMark:
            return .protocolValid
        default:
            return .disallowed
        }
    }

    /// Exceptions (F), RFC 5892 section 2.6.
    private static func exception(_ value: UInt32) -> Status? {
        switch value {
        case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007:
            .protocolValid
        case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x0660...0x0669, 0x06F0...0x06F9:
            .contextOther
        case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031...0x3035, 0x303B:
            .disallowed
        default:
            nil
        }
    }

    /// LDH (H): lower-case ASCII letters, digits and hyphen.
    private static func isLDH(_ value: UInt32) -> Bool {
        (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) || value == 0x2D
    }

    /// Combining Diacritical Marks for Symbols, Musical Symbols, Ancient Greek Musical Notation.
    private static func isInIgnorableBlock(_ value: UInt32) -> Bool {
        (0x20D0...0x20FF).contains(value) || (0x1D100...0x1D24F).contains(value)
    }

    /// Hangul_Syllable_Type L, V or T (conjoining jamo; unassigned ones were excluded earlier).
    private static func isOldHangulJamo(_ value: UInt32) -> Bool {
        (0x1100...0x11FF).contains(value) || (0xA960...0xA97F).contains(value)
            || (0xD7B0...0xD7FF).contains(value)
    }
}
