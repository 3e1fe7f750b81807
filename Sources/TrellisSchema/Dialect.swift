/// A JSON Schema dialect (specification version), chosen by a schema's `$schema`.
public struct Dialect: Sendable, Hashable, CustomStringConvertible {
    package enum Version: Int, Sendable, Hashable, Comparable {
        case draft4 = 4
        case draft6 = 6
        case draft7 = 7
        case draft2019_09 = 2019
        case draft2020_12 = 2020
        package static func < (a: Version, b: Version) -> Bool { a.rawValue < b.rawValue }
    }
    package let version: Version
    package init(_ version: Version) { self.version = version }

    /// Draft 2020-12, the default.
    public static let draft2020_12 = Dialect(.draft2020_12)
    /// Draft 2019-09.
    public static let draft2019_09 = Dialect(.draft2019_09)
    /// Draft-07, the dialect of most real-world schema files.
    public static let draft7 = Dialect(.draft7)
    /// Draft-06.
    public static let draft6 = Dialect(.draft6)
    /// Draft-04.
    public static let draft4 = Dialect(.draft4)

    /// Every supported dialect, newest first.
    public static let all: [Dialect] = [.draft2020_12, .draft2019_09, .draft7, .draft6, .draft4]

    /// The meta-schema URI that selects this dialect.
    public var metaSchemaURI: String {
        switch version {
        case .draft2020_12: "https://json-schema.org/draft/2020-12/schema"
        case .draft2019_09: "https://json-schema.org/draft/2019-09/schema"
        case .draft7: "http://json-schema.org/draft-07/schema#"
        case .draft6: "http://json-schema.org/draft-06/schema#"
        case .draft4: "http://json-schema.org/draft-04/schema#"
        }
    }

    /// The dialect a `$schema` value names, or nil for an unknown URI.
    /// `http`/`https` and a trailing empty fragment are accepted for every draft.
    public init?(metaSchemaURI uri: String) {
        var text = Substring(uri)
        if text.hasSuffix("#") { text = text.dropLast() }
        if text.hasPrefix("https://") { text = text.dropFirst(8) } else if text.hasPrefix("http://") { text = text.dropFirst(7) } else { return nil }
        switch text {
        case "json-schema.org/draft/2020-12/schema": self = .draft2020_12
        case "json-schema.org/draft/2019-09/schema": self = .draft2019_09
        case "json-schema.org/draft-07/schema": self = .draft7
        case "json-schema.org/draft-06/schema": self = .draft6
        case "json-schema.org/draft-04/schema": self = .draft4
        default: return nil
        }
    }

    /// A dialect from a short name: `2020-12`, `2019-09`, `7`, `6`, `4` (also `draft7`, `draft-07`, ...).
    public init?(name: String) {
        var text = name.lowercased()
        if text.hasPrefix("draft") { text = String(text.dropFirst(5)) }
        if text.hasPrefix("-") { text = String(text.dropFirst()) }
        while text.hasPrefix("0") { text = String(text.dropFirst()) }
        switch text {
        case "2020-12": self = .draft2020_12
        case "2019-09": self = .draft2019_09
        case "7": self = .draft7
        case "6": self = .draft6
        case "4": self = .draft4
        default: return nil
        }
    }

    public var description: String {
        switch version {
        case .draft2020_12: "2020-12"
        case .draft2019_09: "2019-09"
        case .draft7: "draft-07"
        case .draft6: "draft-06"
        case .draft4: "draft-04"
        }
    }

    /// The keyword that holds a schema's identifier.
    var idKeyword: String { version == .draft4 ? "id" : "$id" }
    /// Whether `$ref` makes every sibling keyword be ignored (draft-07 and earlier).
    var refOverridesSiblings: Bool { version <= .draft7 }
}

/// The vocabularies a schema's meta-schema turns on (2019-09 and later; earlier
/// dialects have all of theirs).
struct Vocabularies: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    static let core = Vocabularies(rawValue: 1 << 0)
    static let applicator = Vocabularies(rawValue: 1 << 1)
    static let unevaluated = Vocabularies(rawValue: 1 << 2)
    static let validation = Vocabularies(rawValue: 1 << 3)
    static let metaData = Vocabularies(rawValue: 1 << 4)
    static let formatAnnotation = Vocabularies(rawValue: 1 << 5)
    static let formatAssertion = Vocabularies(rawValue: 1 << 6)
    static let content = Vocabularies(rawValue: 1 << 7)
    static let all: Vocabularies = [.core, .applicator, .unevaluated, .validation, .metaData, .formatAnnotation, .content]

    /// The vocabulary a `$vocabulary` URI names, if known.
    init?(uri: String) {
        let name = uri.split(separator: "/").last.map(String.init) ?? ""
        guard uri.hasPrefix("https://json-schema.org/draft/2020-12/vocab/") || uri.hasPrefix("https://json-schema.org/draft/2019-09/vocab/") else {
            return nil
        }
        switch name {
        case "core": self = .core
        case "applicator": self = .applicator
        case "unevaluated": self = .unevaluated
        case "validation": self = .validation
        case "meta-data": self = .metaData
        case "format", "format-annotation": self = .formatAnnotation
        case "format-assertion": self = .formatAssertion
        case "content": self = .content
        default: return nil
        }
    }
}
