/// `uri-template` (RFC 6570): literals and `{...}` expressions, up to level 4.
enum URITemplateFormat {
    static func isURITemplate(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var literalStart = scalars.startIndex
        while let open = scalars[literalStart...].firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard scalars[open] == "{",
                let close = scalars[open...].firstIndex(of: "}"),
                isLiteral(scalars[literalStart..<open]),
                isExpression(scalars[(open + 1)..<close])
            else { return false }
            literalStart = close + 1
        }
        return isLiteral(scalars[literalStart...])
    }

    /// literals: any character except CTL, SP, DQUOTE, "%" (outside pct-encoded), "<", ">", "\",
    /// "^", "`", "{", "|", "}"; non-ASCII must be ucschar or iprivate. The apostrophe, excluded
    /// by the RFC's ABNF but not by its prose, is allowed (as in the JSON Schema Test Suite).
    private static func isLiteral(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        ABNF.isRunAllowingPctEncoded(text) { scalar in
            if scalar.isASCII {
                return scalar.value > 0x20 && scalar.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains(scalar)
            }
            return ABNF.isUCSChar(scalar) || ABNF.isPrivateUse(scalar)
        }
    }

    /// expression = "{" [ operator ] variable-list "}", without the braces. Only the defined
    /// operators are accepted: the op-reserve characters "=", ",", "!", "@" and "|" are reserved
    /// for future extensions and have no expansion.
    private static func isExpression(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        var variables = text
        if let first = text.first, "+#./;?&".unicodeScalars.contains(first) {
            variables = text.dropFirst()
        }
        // variable-list = varspec *( "," varspec )
        return variables.split(separator: ",", omittingEmptySubsequences: false).allSatisfy(isVariableSpecification)
    }

    /// varspec = varname [ ":" max-length / "*" ]; max-length is 1 - 9999 without leading zeros.
    private static func isVariableSpecification(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        if text.last == "*" {
            return isVariableName(text.dropLast())
        }
        guard let colon = text.firstIndex(of: ":") else {
            return isVariableName(text)
        }
        let maxLength = text[(colon + 1)...]
        return isVariableName(text[..<colon])
            && (1...4).contains(maxLength.count) && maxLength.first != "0"
            && ABNF.decimalValue(maxLength) != nil
    }

    /// varname = varchar *( ["."] varchar ); varchar = ALPHA / DIGIT / "_" / pct-encoded
    private static func isVariableName(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && ABNF.isRunAllowingPctEncoded(part) { ABNF.isAlpha($0) || ABNF.isDigit($0) || $0 == "_" }
        }
    }
}
