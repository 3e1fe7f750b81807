/// `email` (RFC 5321 Mailbox) and `idn-email` (RFC 6531, which also allows UTF-8 in the local part
/// and U-labels in the domain).
enum EmailFormats {
    /// RFC 5321 section 4.5.3.1.1.
    private static let maximumLocalPartOctets = 64

    static func isEmail(_ text: String) -> Bool {
        isMailbox(text, internationalized: false)
    }

    static func isIDNEmail(_ text: String) -> Bool {
        isMailbox(text, internationalized: true)
    }

    /// Mailbox = Local-part "@" ( Domain / address-literal )
    private static func isMailbox(_ text: String, internationalized: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let at = localPartEnd(scalars, internationalized: internationalized),
            at < scalars.count, scalars[at] == "@"
        else { return false }
        let localOctets = scalars[..<at].reduce(0) { $0 + UTF8.width($1) }
        guard localOctets <= maximumLocalPartOctets else { return false }
        let domain = scalars[(at + 1)...]
        if domain.first == "[" {
            return domain.last == "]" && isAddressLiteral(domain.dropFirst().dropLast())
        }
        let syntax: DomainName.Syntax = internationalized ? .internationalized(requiresNFC: false) : .ascii
        return DomainName.isValid(domain, syntax: syntax)
    }

    /// The end of a Dot-string or Quoted-string local part at the start of `scalars`, or nil.
    private static func localPartEnd(_ scalars: [Unicode.Scalar], internationalized: Bool) -> Int? {
        let allowsUTF8 = { (scalar: Unicode.Scalar) in internationalized && !scalar.isASCII }
        if scalars.first == "\"" {
            // Quoted-string: qtextSMTP is %d32-33 / %d35-91 / %d93-126; quoted-pairSMTP is "\" %d32-126.
            var position = 1
            while position < scalars.count {
                switch scalars[position] {
                case "\"":
                    return position + 1
                case "\\":
                    guard position + 1 < scalars.count, (" "..."~").contains(scalars[position + 1]) else { return nil }
                    position += 2
                case " "..."~":
                    position += 1
                case let scalar where allowsUTF8(scalar):
                    position += 1
                default:
                    return nil
                }
            }
            return nil
        }
        // Dot-string = Atom *("." Atom)
        let end = scalars.firstIndex(of: "@") ?? scalars.count
        let atoms = scalars[..<end].split(separator: ".", omittingEmptySubsequences: false)
        let isValid = atoms.allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { isAtomText($0) || allowsUTF8($0) }
        }
        return isValid ? end : nil
    }

    /// RFC 5322 atext.
    private static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        ABNF.isAlpha(scalar) || ABNF.isDigit(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    /// IPv4-address-literal or "IPv6:" IPv6-addr. General-address-literal needs a tag registered
    /// with IANA, and none is.
    private static func isAddressLiteral(_ literal: ArraySlice<Unicode.Scalar>) -> Bool {
        let tag = literal.prefix(5).map(ABNF.asciiLowercased)
        if tag == Array("ipv6:".unicodeScalars) {
            return NetworkFormats.isIPv6(literal.dropFirst(5))
        }
        return NetworkFormats.isIPv4(literal)
    }
}
