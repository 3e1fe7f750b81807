internal import TrellisJSON

/// A `multipleOf` divisor, prepared so that decimal divisors such as `0.01` are exact.
///
/// Binary floating point cannot hold `0.0075` or `0.0001`, so `0.0075 / 0.0001` is
/// `74.99999999999999`. Numbers are therefore compared in decimal: both are written in
/// their shortest round-trip decimal form (the digits the user wrote) and divided
/// exactly with integer arithmetic.
struct Multiple: Sendable {
    let value: JSONNumber
    private let decimal: DecimalNumber?

    init(_ value: JSONNumber) {
        self.value = value
        self.decimal = DecimalNumber(value)
    }

    /// Whether `number` is an integer multiple of this divisor.
    func divides(_ number: JSONNumber) -> Bool {
        if case .integer(let divisor) = value, case .integer(let dividend) = number {
            return divisor == 0 ? false : dividend % divisor == 0
        }
        if case .integer(let dividend) = number, dividend == 0 { return true }
        guard let decimal, let dividend = DecimalNumber(number) else {
            // Non-finite or absurd: fall back to floating point.
            let quotient = number.double / value.double
            return quotient.isFinite && quotient.rounded() == quotient
        }
        return dividend.isMultiple(of: decimal)
    }
}

/// A finite number as `significand × 10^exponent`, with at most 19 significant digits.
struct DecimalNumber: Sendable {
    var significand: UInt64
    var exponent: Int

    init?(_ number: JSONNumber) {
        switch number {
        case .integer(let i):
            significand = i.magnitude
            exponent = 0
        case .real(let d):
            guard d.isFinite else { return nil }
            guard let parsed = DecimalNumber(shortest: d.magnitude.description) else { return nil }
            self = parsed
        }
        normalize()
    }

    /// Parses Swift's shortest round-trip text of a non-negative double (`12.5`, `1e-05`).
    private init?(shortest text: String) {
        var digits: UInt64 = 0
        var exponent = 0
        var seenPoint = false
        var chars = text.utf8[...]
        while let c = chars.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if c == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            guard c >= 48 && c <= 57 else { return nil }
            let (product, overflow1) = digits.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(UInt64(c - 48))
            guard !overflow1 && !overflow2 else { return nil }
            digits = sum
            if seenPoint { exponent -= 1 }
        }
        if chars.first != nil {
            guard let e = Int(String(decoding: chars.dropFirst(), as: UTF8.self)) else { return nil }
            exponent += e
        }
        self.significand = digits
        self.exponent = exponent
    }

    private mutating func normalize() {
        guard significand != 0 else {
            exponent = 0
            return
        }
        while significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
    }

    /// Whether `self / divisor` is an integer, computed exactly.
    func isMultiple(of divisor: DecimalNumber) -> Bool {
        guard divisor.significand != 0 else { return false }
        if significand == 0 { return true }
        // self / divisor = (a / b) × 10^(e1 - e2), with a, b free of trailing zeros.
        let shift = exponent - divisor.exponent
        if shift >= 0 {
            // Integer iff b divides a × 10^shift.
            var remainder = significand % divisor.significand
            var steps = shift
            while steps > 0 && remainder != 0 {
                let (high, low) = remainder.multipliedFullWidth(by: 10)
                remainder = divisor.significand.dividingFullWidth((high, low)).remainder
                steps -= 1
            }
            return remainder == 0
        }
        // a has no trailing zeros, so a / (b × 10^-shift) is never an integer.
        return false
    }
}

extension JSONNumber {
    /// Compares mathematically: -1, 0 or 1.
    func compare(to other: JSONNumber) -> Int {
        if self < other { return -1 }
        if other < self { return 1 }
        return 0
    }
}
