internal import CJansson
internal import TrellisJSON

/// One compiled schema: the keywords that apply at one place of one schema document.
///
/// Nodes form a graph (a `$ref` can point back up), so links between nodes are
/// unowned: every node of a compilation is kept alive by the ``Validator``'s node
/// list (`SchemaGraph`), which outlives every evaluation.
final class SchemaNode: @unchecked Sendable {
    // Safety of @unchecked Sendable: a node is mutated only while its compilation runs
    // (before the Validator that owns it is published); afterwards it is read-only.

    /// `uri#/pointer` of this schema, for error reports.
    let location: String
    /// The keywords, in the order they are checked (cheap checks first).
    var keywords: [Keyword] = []
    /// `true`/`false` for boolean schemas (and `{}`), nil for a schema with keywords.
    var constant: Bool?
    /// The schema resource (document or `$id`) this node belongs to.
    var resource: SchemaResource
    /// Whether evaluating this node needs the annotations of its subschemas
    /// (it has `unevaluatedProperties` or `unevaluatedItems`).
    var collectsAnnotations = false

    init(location: String, resource: SchemaResource) {
        self.location = location
        self.resource = resource
    }

    /// The subschemas applied to the same instance location (for cycle detection).
    var inPlaceSubschemas: [SchemaNode] {
        var result: [SchemaNode] = []
        for keyword in keywords {
            switch keyword {
            case .ref(let target, _), .dynamicRef(let target, _), .recursiveRef(let target), .not(let target):
                result.append(target.node)
            case .allOf(let targets), .anyOf(let targets), .oneOf(let targets):
                result += targets.map(\.node)
            case .conditional(let condition, let then, let otherwise):
                result.append(condition.node)
                if let then { result.append(then.node) }
                if let otherwise { result.append(otherwise.node) }
            case .dependentSchemas(let pairs):
                result += pairs.map(\.1.node)
            default:
                break
            }
        }
        return result
    }
}

/// A schema resource: a document root or a subschema with its own `$id`.
final class SchemaResource: @unchecked Sendable {
    // Safety of @unchecked Sendable: mutated only during compilation, as SchemaNode.
    let uri: String
    /// `$dynamicAnchor`s declared in this resource, by name.
    var dynamicAnchors: [String: NodeRef] = [:]
    /// `$recursiveAnchor: true` at the resource root (2019-09).
    var recursiveAnchor = false
    /// The resource's root node (nil until compiled).
    var root: NodeRef?

    init(uri: String) { self.uri = uri }
}

/// An unowned link to a node of the same compilation (see ``SchemaNode``).
struct NodeRef: @unchecked Sendable {
    // Safety: see SchemaNode; the owning SchemaGraph keeps the node alive.
    unowned(unsafe) let node: SchemaNode
    init(_ node: SchemaNode) { self.node = node }
}

/// An unowned link to a resource of the same compilation.
struct ResourceRef: @unchecked Sendable {
    // Safety: resources are kept alive by their nodes, which the SchemaGraph keeps alive.
    unowned(unsafe) let resource: SchemaResource
    init(_ resource: SchemaResource) { self.resource = resource }
}

/// A property name ready for lookups in jansson objects without making a String.
struct PropertyKey: Sendable {
    let name: String
    let cString: ContiguousArray<CChar>
    let utf8Count: Int

    init(_ name: String) {
        self.name = name
        self.cString = ContiguousArray(name.utf8CString)
        self.utf8Count = name.utf8.count
    }

    /// The member of `object` with this name.
    @inline(__always) func lookup(in object: JSONNode) -> JSONNode? {
        cString.withUnsafeBufferPointer { json_object_getn(object.raw, $0.baseAddress, utf8Count) }.map(JSONNode.init)
    }
}

/// A compiled keyword (or a group of keywords checked together).
enum Keyword: Sendable {
    // Any instance
    case type(TypeSet)
    case enumeration(EnumValues)
    case constant(JSON)
    case ref(NodeRef, keyword: String)
    case dynamicRef(NodeRef, anchor: String)
    case recursiveRef(NodeRef)
    case allOf([NodeRef])
    case anyOf([NodeRef])
    case oneOf([NodeRef])
    case not(NodeRef)
    case conditional(if: NodeRef, then: NodeRef?, else: NodeRef?)
    case format(FormatChecker)
    case content(ContentCheck)
    // Numbers
    case minimum(JSONNumber, exclusive: Bool)
    case maximum(JSONNumber, exclusive: Bool)
    case multipleOf(Multiple)
    // Strings
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex, source: String)
    // Arrays
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case items(prefix: [NodeRef], prefixKeyword: String, rest: NodeRef?, restKeyword: String)
    /// `annotates`: whether matching items count as evaluated for `unevaluatedItems` (2020-12).
    case contains(NodeRef, min: Int, max: Int?, annotates: Bool)
    case unevaluatedItems(NodeRef)
    // Objects
    case minProperties(Int)
    case maxProperties(Int)
    case required([PropertyKey])
    case dependentRequired([(PropertyKey, [PropertyKey])])
    case dependentSchemas([(PropertyKey, NodeRef)])
    case properties(ObjectProperties)
    case propertyNames(NodeRef)
    case unevaluatedProperties(NodeRef)
}

/// `properties`, `patternProperties` and `additionalProperties` of one schema, checked
/// in one pass because `additionalProperties` depends on the other two.
struct ObjectProperties: Sendable {
    var properties: [(PropertyKey, NodeRef)] = []
    /// Property name → index in `properties` (a hint: confirm the bytes, see `declares`).
    var propertyIndex: [String: Int] = [:]

    /// Whether `properties` declares exactly this name (byte for byte).
    func declares(_ name: String, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let index = propertyIndex[name], properties[index].0.name.utf8.elementsEqual(bytes) { return true }
        guard propertyIndex[name] != nil else { return false }
        return properties.contains { $0.0.name.utf8.elementsEqual(bytes) }
    }
    var patterns: [(ECMARegex, String, NodeRef)] = []
    var additional: NodeRef?
}

/// The JSON types a `type` keyword allows.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1 << 0)
    static let boolean = TypeSet(rawValue: 1 << 1)
    static let object = TypeSet(rawValue: 1 << 2)
    static let array = TypeSet(rawValue: 1 << 3)
    static let number = TypeSet(rawValue: 1 << 4)
    static let string = TypeSet(rawValue: 1 << 5)
    static let integer = TypeSet(rawValue: 1 << 6)
    /// Draft-04: `1.0` is a number but not an integer.
    static let strictIntegers = TypeSet(rawValue: 1 << 7)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }

    /// The `type` value: one name, or an array of names.
    var json: JSON {
        let names = self.names
        return names.count == 1 ? .string(names[0]) : .array(names.map(JSON.string))
    }

    var names: [String] {
        var result: [String] = []
        if contains(.string) { result.append("string") }
        if contains(.number) { result.append("number") }
        if contains(.integer) { result.append("integer") }
        if contains(.object) { result.append("object") }
        if contains(.array) { result.append("array") }
        if contains(.boolean) { result.append("boolean") }
        if contains(.null) { result.append("null") }
        return result
    }
}

/// The values of an `enum`, with a fast path when they are all strings.
struct EnumValues: Sendable {
    let values: [JSON]
    /// When every value is a string: their UTF-8 bytes (compared exactly, not by
    /// Unicode canonical equivalence as Swift's `String ==` would).
    let strings: [[UInt8]]?
    /// For long all-string enums, a hash set of the same bytes.
    let stringSet: Set<ByteString>?

    init(_ values: [JSON]) {
        self.values = values
        let strings = values.compactMap(\.stringValue)
        if strings.count == values.count {
            self.strings = strings.map { Array($0.utf8) }
            self.stringSet = strings.count > 16 ? Set(strings.map { ByteString(Array($0.utf8)) }) : nil
        } else {
            self.strings = nil
            self.stringSet = nil
        }
    }

    /// Whether a string instance (as UTF-8) is one of the values; no allocation for short enums.
    func contains(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let stringSet { return stringSet.contains(ByteString(Array(bytes))) }
        guard let strings else { return false }
        for candidate in strings where candidate.count == bytes.count {
            if candidate.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return true }
        }
        return false
    }
}

/// UTF-8 bytes compared byte for byte.
struct ByteString: Hashable, Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}
