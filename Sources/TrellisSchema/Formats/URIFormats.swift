/// `uri` and `uri-reference` (RFC 3986), `iri` and `iri-reference` (RFC 3987).
enum URIFormats {
    static func isURI(_ text: String) -> Bool {
        URIGrammar(allowsUnicode: false).matches(text, allowsRelative: false)
    }

    static func isURIReference(_ text: String) -> Bool {
        URIGrammar(allowsUnicode: false).matches(text, allowsRelative: true)
    }

    static func isIRI(_ text: String) -> Bool {
        URIGrammar(allowsUnicode: true).matches(text, allowsRelative: false)
    }

    static func isIRIReference(_ text: String) -> Bool {
        URIGrammar(allowsUnicode: true).matches(text, allowsRelative: true)
    }
}

/// The RFC 3986 grammar, or with `allowsUnicode` its RFC 3987 extension (ucschar in the
/// unreserved set, iprivate in the query).
private struct URIGrammar {
    let allowsUnicode: Bool

    /// URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ], or when `allowsRelative` also
    /// relative-ref = relative-part [ "?" query ] [ "#" fragment ].
    func matches(_ text: String, allowsRelative: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var end = scalars.endIndex
        if let hash = scalars.firstIndex(of: "#") {
            guard isQueryOrFragment(scalars[(hash + 1)...], isQuery: false) else { return false }
            end = hash
        }
        if let question = scalars[..<end].firstIndex(of: "?") {
            guard isQueryOrFragment(scalars[(question + 1)..<end], isQuery: true) else { return false }
            end = question
        }
        let reference = scalars[..<end]
        if let colon = reference.firstIndex(of: ":"),
            !reference[..<colon].contains("/"), isScheme(reference[..<colon])
        {
            return isHierarchicalPart(reference[(colon + 1)...], isRelative: false)
        }
        return allowsRelative && isHierarchicalPart(reference, isRelative: true)
    }

    /// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    private func isScheme(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = text.first, ABNF.isAlpha(first) else { return false }
        return text.allSatisfy { ABNF.isAlpha($0) || ABNF.isDigit($0) || "+-.".unicodeScalars.contains($0) }
    }

    /// hier-part / relative-part: "//" authority path-abempty, or a path without authority
    /// (absolute, rootless / noscheme, or empty).
    private func isHierarchicalPart(_ text: ArraySlice<Unicode.Scalar>, isRelative: Bool) -> Bool {
        if text.starts(with: ["/", "/"]) {
            let rest = text.dropFirst(2)
            let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
            return isAuthority(rest[..<pathStart]) && isPath(rest[pathStart...])
        }
        // path-noscheme: the first segment of a relative path may not hold a colon.
        if isRelative && text.prefix(while: { $0 != "/" }).contains(":") {
            return false
        }
        return isPath(text)
    }

    /// Segments of pchar separated by "/".
    private func isPath(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        ABNF.isRunAllowingPctEncoded(text) { $0 == "/" || isPathCharacter($0) }
    }

    /// query / fragment = *( pchar / "/" / "?" ); an IRI query may also hold iprivate.
    private func isQueryOrFragment(_ text: ArraySlice<Unicode.Scalar>, isQuery: Bool) -> Bool {
        ABNF.isRunAllowingPctEncoded(text) { scalar in
            scalar == "/" || scalar == "?" || isPathCharacter(scalar)
                || (allowsUnicode && isQuery && ABNF.isPrivateUse(scalar))
        }
    }

    /// authority = [ userinfo "@" ] host [ ":" port ]
    private func isAuthority(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var hostAndPort = text
        if let at = text.firstIndex(of: "@") {
            let userInfo = text[..<at]
            guard ABNF.isRunAllowingPctEncoded(userInfo, allowing: { $0 == ":" || isRegularNameCharacter($0) }) else {
                return false
            }
            hostAndPort = text[(at + 1)...]
        }
        let port: ArraySlice<Unicode.Scalar>
        if hostAndPort.first == "[" {
            guard let close = hostAndPort.firstIndex(of: "]"),
                isIPLiteral(hostAndPort[(hostAndPort.startIndex + 1)..<close])
            else { return false }
            port = hostAndPort[(close + 1)...]
        } else {
            let colon = hostAndPort.firstIndex(of: ":") ?? hostAndPort.endIndex
            // reg-name (which includes IPv4address).
            let host = hostAndPort[..<colon]
            guard ABNF.isRunAllowingPctEncoded(host, allowing: isRegularNameCharacter) else { return false }
            port = hostAndPort[colon...]
        }
        // [ ":" *DIGIT ]
        return port.isEmpty || (port.first == ":" && port.dropFirst().allSatisfy(ABNF.isDigit))
    }

    /// IP-literal = "[" ( IPv6address / IPvFuture ) "]", without the brackets.
    /// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    private func isIPLiteral(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard text.first == "v" || text.first == "V" else {
            return NetworkFormats.isIPv6(text)
        }
        let version = text.dropFirst().prefix(while: ABNF.isHexDigit)
        let rest = text[version.endIndex...]
        guard !version.isEmpty, rest.first == ".", rest.count > 1 else { return false }
        return rest.dropFirst().allSatisfy { ABNF.isUnreserved($0) || ABNF.isSubDelimiter($0) || $0 == ":" }
    }

    /// pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
    private func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == ":" || scalar == "@" || isRegularNameCharacter(scalar)
    }

    /// Characters of a reg-name besides pct-encoded: unreserved / sub-delims (iunreserved for an IRI).
    private func isRegularNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ABNF.isUnreserved(scalar) || ABNF.isSubDelimiter(scalar) || (allowsUnicode && ABNF.isUCSChar(scalar))
    }
}
