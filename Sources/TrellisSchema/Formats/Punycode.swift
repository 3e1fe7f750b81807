/// RFC 3492 Punycode, the encoding between an IDNA U-label and the part of its A-label after `xn--`.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 0x80
    /// Larger than any valid intermediate value; keeps the arithmetic far from overflow.
    private static let limit = 0x7FFF_FFFF

    /// Decodes Punycode (case-insensitive); nil when it is malformed or decodes to a basic or
    /// invalid code point in the extended part.
    static func decode(_ input: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var output: [Unicode.Scalar] = []
        var position = 0
        if let delimiter = input.lastIndex(of: "-") {
            guard input[..<delimiter].allSatisfy(\.isASCII) else { return nil }
            output = Array(input[..<delimiter])
            position = delimiter + 1
        }
        var n = initialN
        var i = 0
        var bias = initialBias
        while position < input.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < input.count, let digit = digitValue(input[position]) else { return nil }
                position += 1
                i += digit * weight
                let threshold = self.threshold(k, bias: bias)
                if digit < threshold { break }
                weight *= base - threshold
                k += base
                guard i < limit, weight < limit else { return nil }
            }
            guard i < limit else { return nil }
            bias = adapt(delta: i - oldI, count: output.count + 1, isFirst: oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n >= initialN, n < limit, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }

    /// Encodes code points as lower-case Punycode.
    static func encode(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output = input.filter(\.isASCII)
        let basicCount = output.count
        if basicCount > 0 {
            output.append("-")
        }
        var handled = basicCount
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            // The smallest code point not yet handled; there is one, since handled < count.
            let next = input.lazy.map { Int($0.value) }.filter { $0 >= n }.min() ?? n
            delta += (next - n) * (handled + 1)
            n = next
            for scalar in input {
                let value = Int(scalar.value)
                if value < n {
                    delta += 1
                }
                guard value == n else { continue }
                var q = delta
                var k = base
                while true {
                    let threshold = self.threshold(k, bias: bias)
                    if q < threshold { break }
                    output.append(digit(threshold + (q - threshold) % (base - threshold)))
                    q = (q - threshold) / (base - threshold)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta: delta, count: handled + 1, isFirst: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func threshold(_ k: Int, bias: Int) -> Int {
        min(max(k - bias, tMin), tMax)
    }

    private static func adapt(delta: Int, count: Int, isFirst: Bool) -> Int {
        var delta = isFirst ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "a"..."z": Int(scalar.value) - 0x61
        case "A"..."Z": Int(scalar.value) - 0x41
        case "0"..."9": Int(scalar.value) - 0x30 + 26
        default: nil
        }
    }

    private static func digit(_ value: Int) -> Unicode.Scalar {
        // value is always in 0..<36 here.
        let ascii = value < 26 ? 0x61 + value : 0x30 + value - 26
        return Unicode.Scalar(UInt8(truncatingIfNeeded: ascii))
    }
}
