/// `ipv4`, `ipv6`, `hostname` and `idn-hostname`.
enum NetworkFormats {
    /// RFC 2673 dotted-quad: four decimal octets, without leading zeros.
    static func isIPv4(_ text: String) -> Bool {
        isIPv4(Array(text.unicodeScalars)[...])
    }

    /// RFC 4291 section 2.2 text form, with at most one `::` and an optional trailing dotted-quad;
    /// no zone index or prefix length.
    static func isIPv6(_ text: String) -> Bool {
        isIPv6(Array(text.unicodeScalars)[...])
    }

    /// RFC 1123 host name; `xn--` labels must be valid IDNA2008 A-labels.
    static func isHostname(_ text: String) -> Bool {
        DomainName.isValid(text.unicodeScalars, syntax: .ascii)
    }

    /// RFC 5890 internationalized host name: A-labels, U-labels and non-reserved LDH labels.
    static func isIDNHostname(_ text: String) -> Bool {
        DomainName.isValid(text.unicodeScalars, syntax: .internationalized(requiresNFC: true))
    }

    /// `isIPv4(_:)` on code points, for the URI and email address literals.
    static func isIPv4(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                guard octet.count <= 3, let value = ABNF.decimalValue(octet) else { return false }
                return value <= 255 && (octet.count == 1 || octet.first != "0")
            }
    }

    /// `isIPv6(_:)` on code points, for the URI and email address literals.
    static func isIPv6(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let gap = firstDoubleColon(in: text) else {
            return groupCount(text, allowsIPv4: true) == 8
        }
        let head = text[..<gap]
        let tail = text[(gap + 2)...]
        guard let headGroups = head.isEmpty ? 0 : groupCount(head, allowsIPv4: false),
            let tailGroups = tail.isEmpty ? 0 : groupCount(tail, allowsIPv4: true)
        else { return false }
        return headGroups + tailGroups <= 7
    }

    private static func firstDoubleColon(in text: ArraySlice<Unicode.Scalar>) -> Int? {
        text.indices.dropLast().first { text[$0] == ":" && text[$0 + 1] == ":" }
    }

    /// The number of 16-bit groups in colon-separated hex groups (a final dotted-quad counts as two),
    /// or nil if malformed.
    private static func groupCount(_ text: ArraySlice<Unicode.Scalar>, allowsIPv4: Bool) -> Int? {
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (index, group) in groups.enumerated() {
            if allowsIPv4 && index == groups.count - 1 && group.contains(".") {
                guard isIPv4(group) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(group.count), group.allSatisfy(ABNF.isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }
}
