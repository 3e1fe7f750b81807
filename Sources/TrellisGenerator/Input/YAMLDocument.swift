internal import Foundation
internal import TrellisJSON
internal import Yams

/// A YAML file read as JSON, with the line and column of every value and key, so that
/// diagnostics about a YAML declaration point into the file as they do for JSON.
///
/// YAML is parsed by Yams (libyaml); plain scalars are read by YAML 1.2's core schema, as
/// OpenAPI recommends (so `yes` and `no` are strings). Keys are strings, as in JSON (`200:`
/// is the key "200"); timestamps stay the text they were written as; an integer beyond
/// 64 bits becomes a floating-point number.
struct YAMLDocument {
    let json: JSON
    /// Where each value and each member name starts.
    let positions: JSONSourceMap

    /// A YAML file that could not be read: a message with its position.
    struct ReadError: Error {
        var message: String
        var line: Int?
        var column: Int?
    }

    /// The deepest nesting accepted (a hostile file nests without end).
    static let maxDepth = 512
    /// The most values accepted, aliases expanded (a "billion laughs" file expands without end);
    /// the largest real documents known hold about 32 000.
    static let maxValues = 1_000_000

    init(utf8 bytes: [UInt8]) throws(ReadError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(message: "the file is not valid UTF-8")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.readError(error)
        } catch {
            throw ReadError(message: "\(error)")
        }
        // Counted first, without building anything: a hostile file is refused in a fraction of
        // the time converting it would take.
        var budget = Self.maxValues
        guard Self.fits(root, budget: &budget) else {
            throw ReadError(message: "the file holds more than \(Self.maxValues) values once its aliases are expanded")
        }
        var builder = Builder()
        json = try builder.convert(root ?? Node("", Tag(.null)), at: .root, depth: 0)
        positions = JSONSourceMap(values: builder.values, keys: builder.keys)
    }

    /// Whether the tree holds at most `budget` values (aliases counted each time they are used).
    private static func fits(_ node: Node?, budget: inout Int) -> Bool {
        var stack: [Node] = node.map { [$0] } ?? []
        while let next = stack.popLast() {
            budget -= 1
            if budget < 0 { return false }
            switch next {
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (_, value) in mapping { stack.append(value) }
            case .scalar, .alias: break
            }
        }
        return true
    }

    private static func readError(_ error: YamlError) -> ReadError {
        func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let message = context.map { trimmed($0.text) + ": " + problem } ?? problem
            return ReadError(message: "malformed YAML: \(message)", line: mark.line, column: mark.column)
        case .reader(let problem, _, _, _):
            return ReadError(message: "malformed YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ReadError(
                message: "malformed YAML: duplicate key \(duplicates.sorted().joined(separator: ", "))", line: context.mark.line, column: context.mark.column)
        default:
            return ReadError(message: "malformed YAML: \(trimmed(String(describing: error)))")
        }
    }

    private struct Builder {
        var values: [JSONPointer: JSONSourceMap.Position] = [:]
        var keys: [JSONPointer: JSONSourceMap.Position] = [:]
        var count = 0

        mutating func convert(_ node: Node, at pointer: JSONPointer, depth: Int) throws(ReadError) -> JSON {
            count += 1
            if count > YAMLDocument.maxValues {
                throw ReadError(message: "the file holds more than \(YAMLDocument.maxValues) values once its aliases are expanded")
            }
            if depth > YAMLDocument.maxDepth {
                throw ReadError(message: "the file nests deeper than \(YAMLDocument.maxDepth) levels", line: node.mark?.line, column: node.mark?.column)
            }
            if let mark = node.mark { values[pointer] = JSONSourceMap.Position(line: mark.line, column: mark.column) }
            switch node {
            case .scalar(let scalar):
                return Self.scalar(scalar)
            case .alias(let alias):
                throw ReadError(message: "malformed YAML: unresolved alias \(alias)", line: node.mark?.line, column: node.mark?.column)
            case .sequence(let sequence):
                var items: [JSON] = []
                items.reserveCapacity(sequence.count)
                for (index, item) in sequence.enumerated() {
                    items.append(try convert(item, at: pointer.appending(index), depth: depth + 1))
                }
                return .array(items)
            case .mapping(let mapping):
                var object = JSONObject()
                for (keyNode, valueNode) in mapping {
                    if keyNode.tag.rawValue == Tag.Name.merge.rawValue {
                        // `<<: *base` merges the base mapping's members (those not given here).
                        let merged = try convert(valueNode, at: pointer, depth: depth + 1)
                        for base in merged.arrayValue ?? [merged] {
                            for (key, value) in base.objectValue ?? JSONObject() where object[key] == nil { object[key] = value }
                        }
                        continue
                    }
                    guard case .scalar(let key) = keyNode else {
                        throw ReadError(
                            message: "a mapping key must be a plain value, not a list or a mapping", line: keyNode.mark?.line, column: keyNode.mark?.column)
                    }
                    let child = pointer.appending(key.string)
                    if let mark = keyNode.mark { keys[child] = JSONSourceMap.Position(line: mark.line, column: mark.column) }
                    object[key.string] = try convert(valueNode, at: child, depth: depth + 1)
                }
                return .object(object)
            }
        }

        /// A scalar as YAML 1.2's core schema reads it (the version OpenAPI recommends): only
        /// plain scalars are resolved (`'200'` stays a string), and `yes`/`no`/`on`/`off` are
        /// strings, not YAML 1.1's booleans.
        private static func scalar(_ scalar: Node.Scalar) -> JSON {
            let text = scalar.string
            guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
            let explicit = scalar.tag.rawValue
            if explicit == Tag.Name.str.rawValue { return .string(text) }
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
                return .string(text)  // JSON has no such numbers
            default: break
            }
            if let integer = integer(text) { return integer }
            if isDecimal(text), let value = Double(text), value.isFinite { return .number(value) }
            return .string(text)
        }

        private static func integer(_ text: String) -> JSON? {
            var digits = Substring(text)
            var negative = false
            if let sign = digits.first, sign == "-" || sign == "+" {
                negative = sign == "-"
                digits = digits.dropFirst()
            }
            var radix = 10
            if digits.hasPrefix("0x") {
                radix = 16
                digits = digits.dropFirst(2)
            } else if digits.hasPrefix("0o") {
                radix = 8
                digits = digits.dropFirst(2)
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && $0.hexDigitValue.map { $0 < radix } == true }) else { return nil }
            if let magnitude = UInt64(digits, radix: radix) {
                if negative, magnitude <= UInt64(Int64.max) + 1 { return .integer(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)) }
                if !negative, magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
            }
            // Beyond 64 bits: an approximate number, as JSON readers do.
            return radix == 10 ? Double(text).map(JSON.number) : .string(text)
        }

        /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
        private static func isDecimal(_ text: String) -> Bool {
            var scalars = Substring(text).unicodeScalars[...]
            if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
            func digits() -> Int {
                let count = scalars.prefix { ("0"..."9").contains($0) }.count
                scalars = scalars.dropFirst(count)
                return count
            }
            var mantissa = digits()
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                mantissa += digits()
            }
            guard mantissa > 0 else { return false }
            if let e = scalars.first, e == "e" || e == "E" {
                scalars = scalars.dropFirst()
                if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
                guard digits() > 0 else { return false }
            }
            return scalars.isEmpty
        }
    }
}
