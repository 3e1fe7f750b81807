/// A coding key for any member name: generated models use it for `additionalProperties`
/// and discriminators.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    /// The member name.
    public let stringValue: String
    /// The index, for a key made with ``init(intValue:)``; nil for a member name.
    public let intValue: Int?

    /// The key for the member named `string` (what generated models pass: an
    /// `additionalProperties` member or the discriminator property).
    public init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }

    /// The key for the member named `stringValue`; never nil.
    public init?(stringValue: String) { self.init(stringValue) }

    /// The key for the index `intValue`, whose ``stringValue`` is its decimal text; never nil.
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
