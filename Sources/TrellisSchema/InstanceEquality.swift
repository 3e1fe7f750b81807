internal import TrellisJSON

/// JSON Schema equality between parsed instances and schema constants: numbers compare
/// mathematically (`1 == 1.0`), objects regardless of member order.
enum InstanceEquality {
    static func equal(_ node: JSONNode, _ value: JSON) -> Bool {
        switch (node.kind, value) {
        case (.null, .null): return true
        case (.bool, .bool(let b)): return node.bool == b
        case (.string, .string(let s)):
            guard let bytes = node.utf8 else { return false }
            return bytes.elementsEqual(s.utf8)
        case (.integer, .integer), (.integer, .number), (.real, .integer), (.real, .number):
            guard let a = node.number, let b = value.numberValue else { return false }
            return a == b
        case (.array, .array(let items)):
            guard node.count == items.count else { return false }
            for (index, item) in items.enumerated() where !equal(node[index: index], item) { return false }
            return true
        case (.object, .object(let object)):
            guard node.count == object.count else { return false }
            for (key, item) in object {
                guard let member = node.member(key), equal(member, item) else { return false }
            }
            return true
        default:
            return false
        }
    }

    static func equal(_ a: JSONNode, _ b: JSONNode) -> Bool {
        switch (a.kind, b.kind) {
        case (.null, .null): return true
        case (.bool, .bool): return a.bool == b.bool
        case (.string, .string):
            guard let x = a.utf8, let y = b.utf8 else { return false }
            return x.elementsEqual(y)
        case (.integer, .integer), (.integer, .real), (.real, .integer), (.real, .real):
            guard let x = a.number, let y = b.number else { return false }
            return x == y
        case (.array, .array):
            let count = a.count
            guard count == b.count else { return false }
            for index in 0..<count where !equal(a[index: index], b[index: index]) { return false }
            return true
        case (.object, .object):
            guard a.count == b.count else { return false }
            var same = true
            a.forEachMember { key, value in
                let name = String(decoding: key, as: UTF8.self)
                guard let other = b.member(name), equal(value, other) else {
                    same = false
                    return false
                }
                return true
            }
            return same
        default:
            return false
        }
    }

    /// The indices of the first two equal elements of an array, or nil if all are distinct.
    static func firstDuplicate(in array: JSONNode) -> (Int, Int)? {
        let count = array.count
        if count < 2 { return nil }
        if count <= 32 {
            for i in 0..<count {
                let a = array[index: i]
                for j in (i + 1)..<count where equal(a, array[index: j]) { return (i, j) }
            }
            return nil
        }
        var seen: [JSON: Int] = [:]
        for i in 0..<count {
            let value = array[index: i].json
            if let first = seen[value] { return (first, i) }
            seen[value] = i
        }
        return nil
    }
}
