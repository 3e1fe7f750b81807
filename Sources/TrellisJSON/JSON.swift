/// A JSON value as a Swift tree: for building, comparing and writing JSON.
///
/// Numbers compare mathematically: `.integer(1) == .number(1.0)`. Object members keep
/// their order, and two objects are equal when they have the same members in any order.
///
/// ```swift
/// let pet: JSON = ["name": "Rex", "age": 3, "tags": ["a"]]
/// print(pet.compactText)   // {"name":"Rex","age":3,"tags":["a"]}
/// ```
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer literal.
    case integer(Int64)
    /// A number with a fraction or exponent (always finite when parsed).
    case number(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    /// The JSON kind of this value.
    public var kind: JSONKind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .integer: .integer
        case .number: .real
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The member `key` of an object, nil otherwise.
    public subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The object, if this is an object.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSON]? { if case .array(let a) = self { a } else { nil } }
    /// The boolean, if this is a boolean.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The number, if this is a number.
    public var numberValue: JSONNumber? {
        switch self {
        case .integer(let i): .integer(i)
        case .number(let d): .real(d)
        default: nil
        }
    }

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)  // exact, not canonical equivalence
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)):
            return JSONNumber.integer(a) == JSONNumber.real(b)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o): hasher.combine(o)
        case .integer(let i): hasher.combine(JSONNumber.integer(i))
        case .number(let d): hasher.combine(JSONNumber.real(d))
        }
    }
}

extension JSONNumber {
    /// Mathematical equality: `1 == 1.0`; integers beyond 2^53 are compared exactly.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.real(let a), .real(let b)): return a == b
        case (.integer(let a), .real(let b)), (.real(let b), .integer(let a)):
            guard let exact = Int64(exactly: b) else { return false }
            return exact == a
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .integer(let i): hasher.combine(i)
        case .real(let d):
            if let exact = Int64(exactly: d) { hasher.combine(exact) } else { hasher.combine(d) }
        }
    }

    /// Compares mathematically; integers beyond 2^53 are compared exactly.
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.real(let a), .real(let b)): return a < b
        case (.integer(let a), .real(let b)): return compare(a, b) < 0
        case (.real(let a), .integer(let b)): return compare(b, a) > 0
        }
    }

    /// -1, 0 or 1 as the integer is below, equal to or above the double.
    static func compare(_ i: Int64, _ d: Double) -> Int {
        if d.isNaN { return 0 }
        if d >= 9223372036854775808.0 { return -1 }
        if d < -9223372036854775808.0 { return 1 }
        let t = d.rounded(.towardZero)
        let ti = Int64(t)
        if i < ti { return -1 }
        if i > ti { return 1 }
        // Same integral part: the fraction decides.
        if d > t { return -1 }
        if d < t { return 1 }
        return 0
    }
}

extension JSONNumber: Comparable {}

/// The members of a JSON object, in order. Keys are unique, compared byte for byte
/// (`"é"` and `"e\u{301}"` are two keys, as in JSON).
public struct JSONObject: Sendable, Hashable, Sequence {
    /// The members in order.
    public private(set) var members: [(key: String, value: JSON)]
    /// For larger objects: key → index of the first member whose key is canonically
    /// equivalent (a hint, confirmed byte for byte).
    private var index: [String: Int]?
    private static let indexThreshold = 16

    /// Creates an object; a later member with an existing key replaces the earlier one.
    public init(_ members: [(String, JSON)] = []) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    /// Creates an object from members whose keys are known to be distinct (as a parser guarantees).
    package init(uniqueMembers members: [(key: String, value: JSON)]) {
        self.members = members
        rebuildIndex()
    }

    /// The number of members.
    public var count: Int { members.count }
    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index {
            guard let hint = index[key] else { return nil }
            if members[hint].key.utf8.elementsEqual(key.utf8) { return hint }
        }
        return members.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(members.count)
        for (position, member) in members.enumerated() where built[member.key] == nil { built[member.key] = position }
        index = built
    }

    /// The value for `key`; setting nil removes the member.
    public subscript(key: String) -> JSON? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                members.append((key, newValue))
                if index != nil {
                    if index?[key] == nil { index?[key] = members.count - 1 }
                } else if members.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSON)]> { members.makeIterator() }

    /// Equal when both have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine the members' hashes commutatively.
        var sum = 0
        for (key, value) in members {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            sum &+= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(JSONObject(elements)) }
}

extension JSON {
    /// Parses a text into a tree.
    /// - Throws: ``JSONParseError``.
    public init(parsing text: String, options: JSONParseOptions = .default) throws(JSONParseError) {
        self = try JSONDocument(parsing: text, options: options).root.json
    }

    /// Parses UTF-8 bytes into a tree.
    /// - Throws: ``JSONParseError``.
    public init(parsing bytes: [UInt8], options: JSONParseOptions = .default) throws(JSONParseError) {
        self = try JSONDocument(parsing: bytes, options: options).root.json
    }
}
