/// Domain name validation shared by `hostname`, `idn-hostname`, `email` and `idn-email`:
/// RFC 1123 host names, plus IDNA2008 (RFC 5890 - 5893) for A-labels and U-labels.
enum DomainName {
    /// Which labels a name may contain.
    enum Syntax: Sendable {
        /// ASCII only, `.` separated; an `xn--` label must be a valid A-label (`hostname`).
        case ascii
        /// U-labels too, separated by any of the four IDNA full stops (`idn-hostname`).
        /// `requiresNFC` is false for the domain of an `idn-email`, whose RFC 6531 grammar does not ask for it.
        case internationalized(requiresNFC: Bool)
    }

    private static let maximumLength = 253
    private static let maximumLabelLength = 63
    private static let fullStops: Set<Unicode.Scalar> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

    /// Whether `name` is a valid domain name in the given syntax.
    static func isValid(_ name: some Collection<Unicode.Scalar>, syntax: Syntax) -> Bool {
        let scalars = Array(name)
        let separators: Set<Unicode.Scalar>
        switch syntax {
        case .ascii:
            guard scalars.allSatisfy(\.isASCII) else { return false }
            separators = ["."]
        case .internationalized:
            separators = fullStops
        }
        let labels = scalars.split(omittingEmptySubsequences: false) { separators.contains($0) }
        var asciiLength = labels.count - 1  // the dots
        var unicodeLabels: [[Unicode.Scalar]] = []
        for label in labels {
            guard let checked = check(Array(label), syntax: syntax) else { return false }
            asciiLength += checked.asciiLength
            unicodeLabels.append(checked.unicode)
        }
        return asciiLength <= maximumLength && IDNALabel.satisfiesBidiRule(unicodeLabels)
    }

    /// Checks one label; returns its Unicode form and the length of its ASCII form.
    private static func check(
        _ label: [Unicode.Scalar], syntax: Syntax
    ) -> (unicode: [Unicode.Scalar], asciiLength: Int)? {
        // No label of more than 63 code points has an A-label of at most 63 octets.
        guard !label.isEmpty, label.count <= maximumLabelLength else { return nil }
        guard label.allSatisfy(\.isASCII) else {
            guard case .internationalized(let requiresNFC) = syntax,
                IDNALabel.isValidULabel(label, requiresNFC: requiresNFC)
            else { return nil }
            let asciiLength = 4 + Punycode.encode(label).count
            return asciiLength <= maximumLabelLength ? (label, asciiLength) : nil
        }
        guard isLDHLabel(label) else { return nil }
        let hasHyphens34 = label.count >= 4 && label[2] == "-" && label[3] == "-"
        guard hasHyphens34 else { return (label, label.count) }
        if ABNF.asciiLowercased(label[0]) == "x" && ABNF.asciiLowercased(label[1]) == "n" {
            guard let unicode = IDNALabel.decodeALabel(label) else { return nil }
            return (unicode, label.count)
        }
        // A reserved LDH label ("ab--c") is a valid RFC 1123 host name label, but not an IDNA one.
        if case .ascii = syntax {
            return (label, label.count)
        }
        return nil
    }

    /// Letters, digits and hyphens, not starting or ending with a hyphen.
    private static func isLDHLabel(_ label: [Unicode.Scalar]) -> Bool {
        guard label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { ABNF.isAlpha($0) || ABNF.isDigit($0) || $0 == "-" }
    }
}
