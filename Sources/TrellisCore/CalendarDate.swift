/// A day of the calendar without a time or time zone: the Swift type of JSON Schema's
/// `format: date` (RFC 3339 `full-date`, `2024-02-29`).
///
/// ```swift
/// let date = try CalendarDate("2024-02-29")
/// date.description   // "2024-02-29"
/// ```
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, 0 through 9999. (Assigning a component directly skips the initializers' checks.)
    public var year: Int
    /// The month, 1 (January) through 12.
    public var month: Int
    /// The day of the month, from 1.
    public var day: Int

    /// Creates a date; nil when the day does not exist (February 30th).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    /// - Throws: ``InvalidFormatError`` when the text is not a valid full-date.
    public init(_ text: String) throws(InvalidFormatError) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let date = CalendarDate(year: year, month: month, day: day)
        else {
            throw InvalidFormatError(format: "date", value: text)
        }
        self = date
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Whether `a` is an earlier day than `b`.
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Decodes a `YYYY-MM-DD` string, as ``init(_:)`` reads it: exactly ten characters, ASCII
    /// digits only, a year from `0000` to `9999`, and a day that exists in the Gregorian calendar
    /// (`2024-02-29` is accepted, `2023-02-29` and `2024-2-9` are not).
    /// Text with a time or an offset (`2024-02-29T12:00:00Z`) is rejected.
    /// - Throws: `DecodingError.dataCorrupted` whose description is the ``InvalidFormatError``'s
    ///   when the string is not a full-date; a `DecodingError` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try CalendarDate(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the date as its `YYYY-MM-DD` ``description`` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A string that is not in the format its schema declares.
public struct InvalidFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `format` (`date`, `date-time`, ...).
    public var format: String
    /// The text that was read.
    public var value: String

    /// Creates the error for `value`, which is not a valid `format`.
    public init(format: String, value: String) {
        self.format = format
        self.value = value
    }

    /// `"<value>" is not a valid <format>`, e.g. `"2023-02-29" is not a valid date`.
    public var description: String { "\"\(value)\" is not a valid \(format)" }
}
