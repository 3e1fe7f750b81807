/// A Swift type as generated code uses it.
indirect enum SwiftType: Hashable, Sendable {
    /// A named type (qualified: `Pet`, `Pet.Kind`, `Petstore.ListPets.Response200`).
    case named(String)
    case array(SwiftType)
    case dictionary(SwiftType)
    case optional(SwiftType)

    static let json = SwiftType.named("JSON")
    static let string = SwiftType.named("String")

    var rendered: String {
        switch self {
        case .named(let name): name
        case .array(let element): "[\(element.rendered)]"
        case .dictionary(let value): "[String: \(value.rendered)]"
        case .optional(let wrapped): wrapped.rendered + "?"
        }
    }

    var isOptional: Bool { if case .optional = self { true } else { false } }

    var nonOptional: SwiftType { if case .optional(let wrapped) = self { wrapped } else { self } }
}

/// A generated type declaration.
struct TypeDeclaration {
    enum Kind {
        case structure(properties: [PropertyDeclaration], additionalProperties: SwiftType?)
        case stringEnum(cases: [(name: String, raw: String)])
        case choice(cases: [ChoiceCase], exactlyOne: Bool, discriminator: Discriminator?)
        case alias(SwiftType)
    }

    /// The simple name.
    var name: String
    /// The qualified name (`Pet.Kind`).
    var qualifiedName: String
    var kind: Kind
    /// Documentation lines (from `title` and `description`).
    var documentation: [String]
    /// `file#/pointer` the type was generated from.
    var source: String
    /// Types declared inside this one.
    var nested: [TypeDeclaration] = []
    /// Whether a choice must be `indirect` (it closes a cycle).
    var isIndirect = false
}

struct PropertyDeclaration {
    var jsonName: String
    var swiftName: String
    /// The type of the stored value (optional when absent or null is possible).
    var type: SwiftType
    var required: Bool
    var nullable: Bool
    /// A Swift expression for the JSON `default`, used when the member is absent.
    var defaultValue: String?
    var documentation: [String]
    /// Stored in an `IndirectBox` because it closes a cycle of structs.
    var boxed = false
    /// A `format: date-time` string stored as `Date`.
    var isDateTime = false
}

struct ChoiceCase {
    var name: String
    var type: SwiftType
    /// The discriminator values that select this case.
    var discriminatorValues: [String] = []
}

struct Discriminator {
    var propertyName: String
}
