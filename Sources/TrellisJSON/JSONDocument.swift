package import CJansson

/// A parsed JSON document: owns the jansson tree and frees it exactly once.
///
/// Values read from a document (``JSONValue``) keep the document alive, so a borrowed
/// child can never outlive the tree it points into.
///
/// ```swift
/// let doc = try JSONDocument(parsing: #"{"name": "Rex", "age": 3}"#)
/// doc.root["age"]?.int64Value   // 3
/// ```
public final class JSONDocument: @unchecked Sendable {
    // Safety of @unchecked Sendable: the tree is never mutated after it is built (no API
    // mutates it), and jansson's reference counts are atomic (JANSSON_THREAD_SAFE_REFCOUNT),
    // so reading it from many threads at once is safe.
    package let rootNode: JSONNode

    /// Takes ownership of one reference to `pointer`.
    package init(owning pointer: UnsafeMutablePointer<json_t>) {
        self.rootNode = JSONNode(pointer)
    }

    deinit { json_decref(rootNode.raw) }

    /// The top-level value.
    public var root: JSONValue { JSONValue(document: self, node: rootNode) }

    /// Parses UTF-8 bytes.
    /// - Throws: ``JSONParseError`` with the position of the first problem.
    public convenience init(parsing bytes: UnsafeRawBufferPointer, options: JSONParseOptions = .default) throws(JSONParseError) {
        self.init(owning: try JSONParser.parse(bytes, options: options))
    }

    /// Parses UTF-8 bytes.
    /// - Throws: ``JSONParseError`` with the position of the first problem.
    public convenience init(parsing bytes: [UInt8], options: JSONParseOptions = .default) throws(JSONParseError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer, options: options) }
        }
        self.init(owning: try result.get())
    }

    /// Parses a string.
    /// - Throws: ``JSONParseError`` with the position of the first problem.
    public convenience init(parsing text: String, options: JSONParseOptions = .default) throws(JSONParseError) {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(UnsafeRawBufferPointer(buffer), options: options) }
        }
        self.init(owning: try result.get())
    }

    /// Builds a document holding `value`.
    ///
    /// Fails only for what JSON cannot hold: a non-finite number (`nan`, `inf`) or a key
    /// containing `\u0000`.
    public convenience init(_ value: JSON) throws(JSONBuildError) {
        self.init(owning: try JSONBuilder.build(value))
    }
}

/// A ``JSON`` value that jansson cannot represent.
public struct JSONBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What could not be represented.
    public var reason: String
    /// Creates an error.
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

enum JSONBuilder {
    static func build(_ value: JSON) throws(JSONBuildError) -> UnsafeMutablePointer<json_t> {
        switch value {
        case .null: return json_null()
        case .bool(let b): return b ? json_true() : json_false()
        case .integer(let i): return try check(json_integer(i), "integer \(i)")
        case .number(let d):
            guard d.isFinite else { throw JSONBuildError(reason: "\(d) is not a JSON number") }
            return try check(json_real(d), "number \(d)")
        case .string(let s): return try makeString(s)
        case .array(let items):
            let array = try check(json_array(), "array")
            for item in items {
                do throws(JSONBuildError) {
                    let child = try build(item)
                    // `append_new` takes the child's reference even when it fails.
                    guard json_array_append_new(array, child) == 0 else { throw JSONBuildError(reason: "out of memory building an array") }
                } catch {
                    json_decref(array)
                    throw error
                }
            }
            return array
        case .object(let object):
            let result = try check(json_object(), "object")
            for (key, item) in object {
                guard !key.utf8.contains(0) else {
                    json_decref(result)
                    throw JSONBuildError(reason: "object key \(JSON.string(key)) contains \\u0000")
                }
                do throws(JSONBuildError) {
                    let child = try build(item)
                    // `setn_new` takes the child's reference even when it fails.
                    guard key.withCString({ json_object_setn_new(result, $0, key.utf8.count, child) }) == 0 else {
                        throw JSONBuildError(reason: "out of memory building an object")
                    }
                } catch {
                    json_decref(result)
                    throw error
                }
            }
            return result
        }
    }

    static func makeString(_ s: String) throws(JSONBuildError) -> UnsafeMutablePointer<json_t> {
        let made = s.withCString { json_stringn_nocheck($0, s.utf8.count) }
        return try check(made, "string")
    }

    static func check(_ pointer: UnsafeMutablePointer<json_t>?, _ what: String) throws(JSONBuildError) -> UnsafeMutablePointer<json_t> {
        guard let pointer else { throw JSONBuildError(reason: "out of memory building \(what)") }
        return pointer
    }
}
