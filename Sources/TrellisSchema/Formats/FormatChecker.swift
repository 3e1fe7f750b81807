/// A `format` the validator can assert.
package struct FormatChecker: Sendable {
    let name: String
    let check: @Sendable (String) -> Bool

    /// The checker for a format name, or nil for a format Trellis does not know (it is then an annotation only).
    static func named(_ name: String) -> FormatChecker? {
        all[name]
    }

    /// The name of every format Trellis asserts, `regex` included, in the specification's order.
    package static let names: [String] = checkers.map(\.name) + ["regex"]

    /// Every format Trellis asserts, except `regex`, which the regex engine checks.
    private static let all: [String: FormatChecker] = Dictionary(uniqueKeysWithValues: checkers.map { ($0.name, $0) })

    private static let checkers: [FormatChecker] = {
        [
            FormatChecker(name: "date-time", check: DateTimeFormats.isDateTime),
            FormatChecker(name: "date", check: DateTimeFormats.isDate),
            FormatChecker(name: "time", check: DateTimeFormats.isTime),
            FormatChecker(name: "duration", check: DateTimeFormats.isDuration),
            FormatChecker(name: "email", check: EmailFormats.isEmail),
            FormatChecker(name: "idn-email", check: EmailFormats.isIDNEmail),
            FormatChecker(name: "hostname", check: NetworkFormats.isHostname),
            FormatChecker(name: "idn-hostname", check: NetworkFormats.isIDNHostname),
            FormatChecker(name: "ipv4", check: NetworkFormats.isIPv4),
            FormatChecker(name: "ipv6", check: NetworkFormats.isIPv6),
            FormatChecker(name: "uri", check: URIFormats.isURI),
            FormatChecker(name: "uri-reference", check: URIFormats.isURIReference),
            FormatChecker(name: "iri", check: URIFormats.isIRI),
            FormatChecker(name: "iri-reference", check: URIFormats.isIRIReference),
            FormatChecker(name: "uri-template", check: URITemplateFormat.isURITemplate),
            FormatChecker(name: "uuid", check: UUIDFormat.isUUID),
            FormatChecker(name: "json-pointer", check: PointerFormats.isJSONPointer),
            FormatChecker(name: "relative-json-pointer", check: PointerFormats.isRelativeJSONPointer),
        ]
    }()
}
