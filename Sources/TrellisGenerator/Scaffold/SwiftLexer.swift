/// A token of Swift source, as far as the scaffolder needs one: identifiers (keywords
/// included), punctuation and `->`. Comments, string and regex literals and numbers
/// leave no token.
struct SwiftToken: Equatable {
    enum Kind: Equatable { case identifier, punctuation }

    var kind: Kind
    /// The identifier without backticks, or the punctuation.
    var text: String
    /// Whether the identifier was written in backticks (so it is never a keyword).
    var escaped = false

    /// Whether this is the keyword (or contextual keyword) `word`, not an escaped name.
    func isKeyword(_ word: String) -> Bool { kind == .identifier && !escaped && text == word }

    /// Whether this is the punctuation `mark`.
    func isPunctuation(_ mark: String) -> Bool { kind == .punctuation && text == mark }

    var isIdentifier: Bool { kind == .identifier }
}

/// Splits Swift source into ``SwiftToken``s, skipping comments (nested block comments
/// too), string literals (raw, multi-line, with interpolations that hold further
/// strings) and `#/regex/#` literals. Malformed source never traps: an unterminated
/// literal or comment runs to the end.
struct SwiftLexer {
    private let bytes: [UInt8]
    private var index = 0

    init(_ source: String) { bytes = Array(source.utf8) }

    /// The tokens of `source`.
    static func tokens(of source: String) -> [SwiftToken] {
        var lexer = SwiftLexer(source)
        return lexer.lex()
    }

    private mutating func lex() -> [SwiftToken] {
        var tokens: [SwiftToken] = []
        while let byte = peek() {
            if skipTrivia() { continue }
            if let hashes = literalStart() {
                skipLiteral(hashes: hashes)
            } else if isIdentifierStart(byte) {
                let start = index
                while let next = peek(), isIdentifierPart(next) { index += 1 }
                tokens.append(SwiftToken(kind: .identifier, text: text(start..<index)))
            } else if isDigit(byte) {
                while let next = peek(), isIdentifierPart(next) { index += 1 }
            } else if byte == UInt8(ascii: "`") {
                index += 1
                let start = index
                while let next = peek(), next != UInt8(ascii: "`"), next != UInt8(ascii: "\n") { index += 1 }
                tokens.append(SwiftToken(kind: .identifier, text: text(start..<index), escaped: true))
                if peek() == UInt8(ascii: "`") { index += 1 }
            } else if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: ">") {
                index += 2
                tokens.append(SwiftToken(kind: .punctuation, text: "->"))
            } else {
                index += 1
                tokens.append(SwiftToken(kind: .punctuation, text: String(UnicodeScalar(byte))))
            }
        }
        return tokens
    }

    // MARK: - Trivia

    /// Skips whitespace or one comment; false when the next byte starts neither.
    private mutating func skipTrivia() -> Bool {
        guard let byte = peek() else { return false }
        if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            index += 1
            return true
        }
        guard byte == UInt8(ascii: "/") else { return false }
        if peek(1) == UInt8(ascii: "/") {
            while let next = peek(), next != UInt8(ascii: "\n") { index += 1 }
            return true
        }
        if peek(1) == UInt8(ascii: "*") {
            index += 2
            var depth = 1
            while depth > 0, let next = peek() {
                if next == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if next == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                } else {
                    index += 1
                }
            }
            return true
        }
        return false
    }

    // MARK: - Literals

    /// The number of `#`s of a string (`"`, `#"`) or extended regex (`#/`) literal that
    /// starts here, or nil.
    private func literalStart() -> Int? {
        var hashes = 0
        while peek(hashes) == UInt8(ascii: "#") { hashes += 1 }
        if peek(hashes) == UInt8(ascii: "\"") { return hashes }
        if hashes > 0, peek(hashes) == UInt8(ascii: "/") { return hashes }
        return nil
    }

    /// Skips the literal that starts here (after ``literalStart()`` found one).
    private mutating func skipLiteral(hashes: Int) {
        index += hashes
        if peek() == UInt8(ascii: "/") {
            index += 1
            while peek() != nil, !(peek() == UInt8(ascii: "/") && hashesFollow(hashes, after: 1)) { index += 1 }
            if peek() != nil { index += 1 + hashes }
            return
        }
        let multiline = peek(1) == UInt8(ascii: "\"")
        let multilineQuote = peek(2) == UInt8(ascii: "\"")
        if multiline && multilineQuote {
            index += 3
        } else {
            index += 1
        }
        let isMultiline = multiline && multilineQuote
        while let byte = peek() {
            if byte == UInt8(ascii: "\\"), hashesFollow(hashes, after: 1) {
                index += 1 + hashes
                if peek() == UInt8(ascii: "(") {
                    index += 1
                    skipInterpolation()
                } else if peek() != nil {
                    index += 1
                }
            } else if byte == UInt8(ascii: "\"") {
                if isMultiline {
                    if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\""), hashesFollow(hashes, after: 3) {
                        index += 3 + hashes
                        return
                    }
                    index += 1
                } else if hashesFollow(hashes, after: 1) {
                    index += 1 + hashes
                    return
                } else {
                    index += 1
                }
            } else if byte == UInt8(ascii: "\n"), !isMultiline {
                return  // unterminated: the line ends it
            } else {
                index += 1
            }
        }
    }

    /// Skips the code of an interpolation, after its `(`, up to and including its `)`.
    private mutating func skipInterpolation() {
        var depth = 1
        while let byte = peek() {
            if skipTrivia() { continue }
            if let hashes = literalStart() {
                skipLiteral(hashes: hashes)
                continue
            }
            index += 1
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    /// Whether `count` `#`s follow at `offset` bytes from here.
    private func hashesFollow(_ count: Int, after offset: Int) -> Bool {
        (0..<count).allSatisfy { peek(offset + $0) == UInt8(ascii: "#") }
    }

    // MARK: - Bytes

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
}
