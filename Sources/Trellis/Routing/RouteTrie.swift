/// Matches request paths against the operations' path templates.
///
/// A trie of segments: at each level a literal segment is tried before a parameter, so
/// `/pets/mine` wins over `/pets/{petId}`. A template without parameters is one dictionary lookup;
/// others walk the path segment by segment, with no copy of it and no regular expression. Path parameters are percent-decoded (`%20` → space; `+`
/// stays `+`, as in paths it is not a space).
///
/// Trailing slashes are significant: `/pets/` does not match `/pets` (a 404), as in
/// the declaration, so that one resource has one URL.
@_spi(Benchmarks) public struct RouteTrie: Sendable {
    final class Node: @unchecked Sendable {
        // Safety: built once by `RouteTrie.init`, read-only afterwards.
        var literals: [Substring: Node] = [:]
        /// The child for any (non-empty) segment: a path parameter, whatever its name (the
        /// names belong to each operation's template, not to the trie).
        var parameter: Node?
        /// Method → operation index.
        var operations: [String: Int] = [:]
        /// Method → the template that registered it, for conflict messages.
        var templates: [String: String] = [:]
    }

    private let root = Node()
    /// The operations of each template without parameters, by method.
    private let exact: [String: [String: Int]]

    /// A match: the operations of the path by method, and the decoded values of its path
    /// parameters, in the order of the path (see ``parameterNames(_:)`` for their names).
    /// The operations of a matched template (method → index) and its parameters' values in order.
    public struct Match {
        /// The matched template's operations: method → index.
        public var operations: [String: Int]
        /// The values of the template's parameters, in order, percent-decoded.
        public var values: [String]
    }

    /// Two templates that are one route: the same method, and the same literal segments
    /// with parameters in the same places (`/pets/{id}` and `/pets/{petId}`).
    /// Two templates of one method that match the same paths.
    public struct Conflict: Error, CustomStringConvertible {
        /// The two templates.
        public var description: String
    }

    /// Builds the trie.
    /// - Throws: ``Conflict`` for two templates of one method that match the same paths.
    /// A trie of `routes` (`index` is what a match returns for the method).
    public init(routes: [(method: String, path: String, index: Int)]) throws(Conflict) {
        for route in routes {
            var node = root
            for segment in Self.segments(route.path) {
                if segment.hasPrefix("{") && segment.hasSuffix("}") {
                    if let existing = node.parameter {
                        node = existing
                    } else {
                        let child = Node()
                        node.parameter = child
                        node = child
                    }
                } else {
                    if let existing = node.literals[segment] {
                        node = existing
                    } else {
                        let child = Node()
                        node.literals[segment] = child
                        node = child
                    }
                }
            }
            if let other = node.templates[route.method] {
                throw Conflict(description: "\(route.method) \(other) and \(route.method) \(route.path) match the same paths")
            }
            node.operations[route.method] = route.index
            node.templates[route.method] = route.path
        }
        // Templates without parameters, found with one lookup (the trie would find the same:
        // it prefers literal segments).
        var exact: [String: [String: Int]] = [:]
        for route in routes where !route.path.contains("{") {
            exact[route.path, default: [:]][route.method] = route.index
        }
        self.exact = exact
    }

    /// The names of a template's path parameters, in order: `/pets/{petId}/toys/{toyId}` →
    /// `["petId", "toyId"]`.
    static func parameterNames(_ template: String) -> [String] {
        segments(template).filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    /// The operations registered for `path` and the path parameters, or nil for no path.
    /// The operations of the template `path` matches, and the values of its parameters.
    public func match(_ path: String) -> Match? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        if let operations = exact[path] { return Match(operations: operations, values: []) }
        var values: [String] = []
        return match(path.utf8.dropFirst(), node: root, values: &values).map { Match(operations: $0, values: values) }
    }

    /// Matches `rest`, the path after a `/` (a segment, then possibly `/` and more), below `node`.
    private func match(_ rest: Substring.UTF8View, node: Node, values: inout [String]) -> [String: Int]? {
        let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let segment = Substring(rest[..<end])
        let remainder = end == rest.endIndex ? nil : rest[rest.index(after: end)...]
        if let child = node.literals[segment] {
            if let remainder {
                if let found = match(remainder, node: child, values: &values) { return found }
            } else if !child.operations.isEmpty {
                return child.operations
            }
        }
        if let child = node.parameter, !segment.isEmpty, let value = PercentDecoding.decode(segment, plusIsSpace: false) {
            values.append(value)
            if let remainder {
                if let found = match(remainder, node: child, values: &values) { return found }
            } else if !child.operations.isEmpty {
                return child.operations
            }
            values.removeLast()
        }
        return nil
    }
}

enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space in query strings); nil when an escape is
    /// malformed or the result is not UTF-8.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String? {
        if !text.utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && text.utf8.contains(UInt8(ascii: "+"))) { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `a=1&b=x+y&a=2` → [("a", "1"), ("b", "x y"), ("a", "2")]; pairs with a malformed escape
    /// or bytes that are not UTF-8 are left out (see ``query(_:)`` for them).
    static func queryItems(_ query: Substring) -> [(name: String, value: String)] {
        self.query(query).items
    }

    /// The query's items, decoded, and the pairs that cannot be decoded (a malformed `%`
    /// escape, or bytes that are not UTF-8), with their names decoded where they can be and
    /// their values as sent: a parameter among those is a 422, never read as absent.
    static func query(_ query: Substring) -> (items: [(name: String, value: String)], malformed: [(name: String, value: String)]) {
        var items: [(name: String, value: String)] = []
        var malformed: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawValue = parts.count > 1 ? parts[1] : ""
            let name = decode(parts[0], plusIsSpace: true)
            if let name, let value = decode(rawValue, plusIsSpace: true) {
                items.append((name, value))
            } else {
                malformed.append((name ?? String(decoding: parts[0].utf8, as: UTF8.self), String(decoding: rawValue.utf8, as: UTF8.self)))
            }
        }
        return (items, malformed)
    }
}
