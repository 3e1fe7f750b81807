// TEMPORARY until the helpers land.
struct ECMARegex: Sendable {
    init(_ pattern: String) throws(ECMARegexError) {}
    func matches(_ text: String) -> Bool { true }
    func matches(utf8: UnsafeBufferPointer<UInt8>) -> Bool { true }
    static func isValid(_ p: String) -> Bool { true }
}
struct ECMARegexError: Error, Sendable, CustomStringConvertible { let message: String; let offset: Int; var description: String { message } }
