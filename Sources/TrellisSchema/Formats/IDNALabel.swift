/// IDNA2008 label rules: U-label validation (RFC 5891 section 5.4), the A-label round trip and
/// the Bidi rule (RFC 5893).
enum IDNALabel {
    /// The U-label of an A-label (`xn--` prefix, any case), when the A-label is valid: its Punycode
    /// decodes to a valid U-label that encodes back to the same text.
    static func decodeALabel(_ label: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        let encoded = label.dropFirst(4).map(ABNF.asciiLowercased)
        guard let decoded = Punycode.decode(encoded),
            !decoded.allSatisfy(\.isASCII),
            Punycode.encode(decoded) == encoded,
            isValidULabel(decoded, requiresNFC: true)
        else { return nil }
        return decoded
    }

    /// Whether a label is a valid U-label, apart from the Bidi rule (which needs the whole name).
    static func isValidULabel(_ label: [Unicode.Scalar], requiresNFC: Bool) -> Bool {
        guard let first = label.first, let last = label.last else { return false }
        if requiresNFC && !isNFC(label) { return false }
        if label.count >= 4 && label[2] == "-" && label[3] == "-" { return false }
        if first == "-" || last == "-" { return false }
        switch first.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return false
        default: break
        }
        return label.indices.allSatisfy { position in
            switch IDNACodePoint.status(of: label[position]) {
            case .protocolValid: true
            case .contextJoiner: IDNAContextRules.allowsJoiner(at: position, in: label)
            case .contextOther: IDNAContextRules.allowsOther(at: position, in: label)
            case .disallowed: false
            }
        }
    }

    /// RFC 5893 section 2: in a domain name with a right-to-left label, every label must satisfy
    /// the Bidi rule.
    static func satisfiesBidiRule(_ labels: [[Unicode.Scalar]]) -> Bool {
        let classes = labels.map { $0.map(IDNAUnicodeData.bidiClass(of:)) }
        let isBidiDomain = classes.contains { label in
            label.contains { $0 == .rightToLeft || $0 == .arabicLetter || $0 == .arabicNumber }
        }
        return !isBidiDomain || classes.allSatisfy(satisfiesBidiRule(label:))
    }

    /// Conditions 1 - 6 of the Bidi rule for one label.
    private static func satisfiesBidiRule(label: [IDNAUnicodeData.BidiClass]) -> Bool {
        let lastNonMark = label.last { $0 != .nonSpacingMark }
        switch label.first {
        case .rightToLeft, .arabicLetter:
            let allowed: Set<IDNAUnicodeData.BidiClass> = [
                .rightToLeft, .arabicLetter, .arabicNumber, .europeanNumber, .europeanSeparator,
                .otherNeutral, .boundaryNeutral, .nonSpacingMark,
            ]
            let validEnd: Set<IDNAUnicodeData.BidiClass> = [.rightToLeft, .arabicLetter, .europeanNumber, .arabicNumber]
            return label.allSatisfy(allowed.contains)
                && lastNonMark.map(validEnd.contains) == true
                && !(label.contains(.europeanNumber) && label.contains(.arabicNumber))
        case .leftToRight:
            let allowed: Set<IDNAUnicodeData.BidiClass> = [
                .leftToRight, .europeanNumber, .europeanSeparator, .otherNeutral, .boundaryNeutral,
                .nonSpacingMark,
            ]
            return label.allSatisfy(allowed.contains)
                && (lastNonMark == .leftToRight || lastNonMark == .europeanNumber)
        default:
            return false
        }
    }

    /// Whether the label is in Normalization Form C. Apple platforms before the 26 releases lack
    /// the standard library API, so the check is skipped there.
    private static func isNFC(_ label: [Unicode.Scalar]) -> Bool {
        guard #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) else { return true }
        let string = String(String.UnicodeScalarView(label))
        var span = string.utf8Span
        return span.checkForNFC(quickCheck: false)
    }
}
