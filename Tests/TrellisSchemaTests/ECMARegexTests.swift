import Testing

@testable import TrellisSchema

/// One search of a pattern in a text, and whether ECMA-262 (`new RegExp(pattern, "u").test(text)`) matches.
struct ECMARegexCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let text: String
    let matches: Bool

    init(_ pattern: String, _ text: String, _ matches: Bool) {
        self.pattern = pattern
        self.text = text
        self.matches = matches
    }

    var testDescription: String {
        let shown = text.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? String($0) : "<U+\(String($0.value, radix: 16))>" }
        return "/\(pattern)/u on \"\(shown.joined())\" → \(matches)"
    }
}

/// A pattern ECMA-262 rejects, with the error expected from `ECMARegex.init`.
struct ECMARegexInvalidCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let message: String
    let offset: Int

    var testDescription: String { "/\(pattern)/u: \(message) at \(offset)" }
}

@Suite struct ECMARegexTests {
    static let anchors: [ECMARegexCase] = [
        ECMARegexCase(#"^abc$"#, "abc", true),
        ECMARegexCase(#"^abc$"#, "abc\n", false),  // `$` is the very end only, not before a final newline
        ECMARegexCase(#"^abc$"#, "x\nabc", false),  // `^` is the very start only without the m flag
        ECMARegexCase(#"abc"#, "xxabcxx", true),  // a search, not anchored
        ECMARegexCase(#"^[A-Z]{3}-[0-9]{4}$"#, "ABC-1234", true),
        ECMARegexCase(#"^[A-Z]{3}-[0-9]{4}$"#, "x", false),
        ECMARegexCase(#"\bfoo\b"#, "a foo b", true),
        ECMARegexCase(#"\bfoo\b"#, "afoo", false),
        ECMARegexCase(#"(?m:^b$)"#, "a\nb\nc", true),  // ES2025 modifier group
        ECMARegexCase(#"(?m:^b$)"#, "a\u{2028}b\rc", true),
    ]

    @Test(arguments: anchors)
    func anchorsAndSearch(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let asciiClasses: [ECMARegexCase] = [
        ECMARegexCase(#"^\d$"#, "0", true),
        ECMARegexCase(#"^\d$"#, "\u{07C0}", false),  // NKO DIGIT ZERO
        ECMARegexCase(#"^\d+$"#, "\u{09EA}\u{09E8}", false),  // Bengali digits
        ECMARegexCase(#"^\D$"#, "\u{07C0}", true),
        ECMARegexCase(#"^\w$"#, "a", true),
        ECMARegexCase(#"^\w$"#, "_", true),
        ECMARegexCase(#"^\w$"#, "é", false),
        ECMARegexCase(#"^\W$"#, "é", true),
        ECMARegexCase(#"\wcole"#, "l'école", false),
        ECMARegexCase(#"[a-z]cole"#, "l'école", false),
        ECMARegexCase(#"\bé"#, "é", false),  // é is not a word character, so no boundary before it
    ]

    @Test(arguments: asciiClasses)
    func digitsAndWordCharactersAreASCII(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let whiteSpace: [ECMARegexCase] =
        [
            " ", "\t", "\u{0B}", "\u{0C}", "\n", "\r", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2003}", "\u{200A}",
            "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}",
        ].flatMap { space in
            [
                ECMARegexCase(#"^\s$"#, space, true), ECMARegexCase(#"^\S$"#, space, false),
                ECMARegexCase(#"^[\s]$"#, space, true), ECMARegexCase(#"^[^\s]$"#, space, false),
                ECMARegexCase(#"^[\S]$"#, space, false), ECMARegexCase(#"^[x\S]$"#, space, false),
            ]
        } + [
            ECMARegexCase(#"^\s$"#, "\u{01}", false), ECMARegexCase(#"^\s$"#, "\u{2013}", false),
            ECMARegexCase(#"^\s$"#, "\u{200B}", false), ECMARegexCase(#"^\s$"#, "\u{180E}", false),
            ECMARegexCase(#"^\S$"#, "\u{2013}", true), ECMARegexCase(#"^[\S]$"#, "😀", true),
        ]

    @Test(arguments: whiteSpace)
    func whiteSpaceIsUnicode(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let properties: [ECMARegexCase] = [
        ECMARegexCase(#"\p{Letter}cole"#, "l'école", true),
        ECMARegexCase(#"\p{Letter}cole"#, "L'ÉCOLE", false),
        ECMARegexCase(#"^\p{Letter}+$"#, "Élève", true),
        ECMARegexCase(#"^\p{L}+$"#, "abc1", false),
        ECMARegexCase(#"^\p{digit}+$"#, "\u{09EA}\u{09E8}", true),
        ECMARegexCase(#"^\p{Nd}+$"#, "-%#", false),
        ECMARegexCase(#"^\P{Lu}$"#, "a", true),
        ECMARegexCase(#"^\p{Script=Greek}+$"#, "αβγ", true),
        ECMARegexCase(#"^\p{sc=Grek}+$"#, "abc", false),
        ECMARegexCase(#"^\p{Lu}$"#, "É", true),
        ECMARegexCase(#"^[\p{Lu}\d]+$"#, "É1", true),
        ECMARegexCase(#"^[^\p{L}]$"#, "a", false),
        ECMARegexCase(#"^\p{ASCII}+$"#, "abc", true),
        ECMARegexCase(#"^\p{Assigned}$"#, "\u{378}", false),
        ECMARegexCase(#"^\P{Assigned}$"#, "\u{378}", true),
        ECMARegexCase(#"^\p{Emoji_Presentation}$"#, "😀", true),
    ]

    @Test(arguments: properties)
    func unicodeProperties(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let groups: [ECMARegexCase] = [
        ECMARegexCase(#"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)$"#, "1.20", true),
        ECMARegexCase(#"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)$"#, "01.2", false),
        ECMARegexCase(#"^(?<q>["'])x\k<q>$"#, "'x'", true),
        ECMARegexCase(#"^(?<q>["'])x\k<q>$"#, "'x\"", false),
        ECMARegexCase(#"^(a)(b)\2\1$"#, "abba", true),
        ECMARegexCase(#"^\1(a)$"#, "a", true),  // a forward reference matches the empty string
        ECMARegexCase(#"^\1{2}()$"#, "", true),  // even quantified (works around a PCRE2 JIT bug)
        ECMARegexCase(#"^(?:(a)|b)\1$"#, "b", true),  // an unset group matches the empty string
        ECMARegexCase(#"(?<=\$)\d+"#, "costs $42", true),
        ECMARegexCase(#"(?<!\$)\b\d+"#, "$42", false),
        ECMARegexCase(#"^(?=.*\d)(?!.*\s).{4,}$"#, "abc1", true),
        ECMARegexCase(#"^(?i:abc)d$"#, "ABCd", true),
        ECMARegexCase(#"^(?i:abc)d$"#, "ABCD", false),
    ]

    @Test(arguments: groups)
    func groupsAndBackreferences(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let escapes: [ECMARegexCase] = [
        ECMARegexCase(#"^\u00e9$"#, "é", true),
        ECMARegexCase(#"^\u{1F600}$"#, "😀", true),
        ECMARegexCase(#"^\uD83D\uDE00$"#, "😀", true),  // a surrogate pair written as two escapes
        ECMARegexCase(#"^\uD83D$"#, "😀", false),  // a lone surrogate matches nothing
        ECMARegexCase(#"^[\u0041-\u005A]+$"#, "HELLO", true),
        ECMARegexCase(#"^\x41\t\n$"#, "A\t\n", true),
        ECMARegexCase(#"^\t$"#, "\\t", false),
        ECMARegexCase(#"^\cC$"#, "\u{03}", true),
        ECMARegexCase(#"^\cc$"#, "\u{03}", true),
        ECMARegexCase(#"^\0$"#, "\u{00}", true),
        ECMARegexCase(#"^[\b]$"#, "\u{08}", true),
        ECMARegexCase(#"^\/\.\*$"#, "/.*", true),
        ECMARegexCase(#"^[\-\]]+$"#, "-]", true),
        ECMARegexCase(#"^.$"#, "😀", true),  // one code point, not two UTF-16 units
        ECMARegexCase(#"^.$"#, "\n", false),
        ECMARegexCase(#"^.$"#, "\u{2028}", false),
        ECMARegexCase(#"^.$"#, "\u{85}", true),
        ECMARegexCase(#"^(?s:.)$"#, "\n", true),
        ECMARegexCase(#"^[]$"#, "", false),  // matches nothing
        ECMARegexCase(#"^[^]$"#, "\n", true),  // matches anything
    ]

    @Test(arguments: escapes)
    func escapesAndClasses(_ item: ECMARegexCase) throws {
        try expectMatch(item)
    }

    static let invalid: [ECMARegexInvalidCase] = [
        ECMARegexInvalidCase(pattern: #"^(abc]"#, message: "lone ']' (write \\] for a literal bracket)", offset: 5),
        ECMARegexInvalidCase(pattern: #"(abc"#, message: "unterminated group", offset: 0),
        ECMARegexInvalidCase(pattern: #"abc)"#, message: "unmatched ')'", offset: 3),
        ECMARegexInvalidCase(pattern: #"[abc"#, message: "unterminated character class", offset: 0),
        ECMARegexInvalidCase(pattern: #"\a"#, message: "invalid escape \\a", offset: 0),
        ECMARegexInvalidCase(pattern: #"x\-"#, message: "invalid escape \\-", offset: 1),
        ECMARegexInvalidCase(pattern: #"a**"#, message: "nothing to repeat", offset: 2),
        ECMARegexInvalidCase(pattern: #"^*"#, message: "nothing to repeat", offset: 1),
        ECMARegexInvalidCase(pattern: #"a{2,1}"#, message: "numbers out of order in {} quantifier", offset: 1),
        ECMARegexInvalidCase(pattern: #"a{,2}"#, message: "incomplete quantifier", offset: 1),
        ECMARegexInvalidCase(pattern: #"x}"#, message: "lone quantifier brackets", offset: 1),
        ECMARegexInvalidCase(pattern: #"[z-a]"#, message: "range out of order in character class", offset: 1),
        ECMARegexInvalidCase(pattern: #"[\d-z]"#, message: "invalid character class range: a class escape cannot be a range end", offset: 1),
        ECMARegexInvalidCase(pattern: #"(?i)abc"#, message: "invalid group", offset: 0),
        ECMARegexInvalidCase(pattern: #"(?P<n>x)"#, message: "invalid group", offset: 0),
        ECMARegexInvalidCase(pattern: #"(?#note)a"#, message: "invalid group", offset: 0),
        ECMARegexInvalidCase(pattern: #"(?<1x>a)"#, message: "invalid capture group name", offset: 0),
        ECMARegexInvalidCase(pattern: #"(?<n>a)(?<n>b)"#, message: "duplicate capture group name 'n'", offset: 7),
        ECMARegexInvalidCase(pattern: #"\k<n>"#, message: "invalid named reference", offset: 0),
        ECMARegexInvalidCase(pattern: #"(a)\2"#, message: "invalid escape: \\2 is not a capturing group", offset: 3),
        ECMARegexInvalidCase(pattern: #"\p{Lettre}"#, message: "invalid property name {Lettre}", offset: 0),
        ECMARegexInvalidCase(pattern: #"\c1"#, message: "invalid escape: \\c must be followed by an ASCII letter", offset: 0),
        ECMARegexInvalidCase(pattern: #"\x4"#, message: "invalid escape: \\x needs two hex digits", offset: 0),
        ECMARegexInvalidCase(pattern: #"\u{110000}"#, message: "invalid Unicode escape", offset: 0),
        ECMARegexInvalidCase(pattern: #"\01"#, message: "invalid decimal escape (octal escapes are not allowed)", offset: 0),
        ECMARegexInvalidCase(pattern: #"(?=a)*"#, message: "nothing to repeat", offset: 5),
        ECMARegexInvalidCase(pattern: #"ab\"#, message: "\\ at end of pattern", offset: 2),
    ]

    @Test(arguments: invalid)
    func invalidPatternsAreRejected(_ item: ECMARegexInvalidCase) {
        #expect(!ECMARegex.isValid(item.pattern))
        do {
            _ = try ECMARegex(item.pattern)
            Issue.record("compiled, but ECMA-262 rejects it")
        } catch {
            #expect(error.message == item.message)
            #expect(error.offset == item.offset)
            #expect(error.description == "\(item.message) (at offset \(item.offset))")
        }
    }

    /// `format: regex`, from the JSON Schema Test Suite's optional/format files.
    static let formatRegex: [(String, Bool)] = [
        (#"([abc])+\s+$"#, true), (#"^(abc]"#, false), (#"\a"#, false), (#"(?P<name>x)"#, false),
        (#"(?P<n>a)(?P=n)"#, false), (#"(?#comment)a"#, false), (#"(?i)abc"#, false), (#"(?ims)abc"#, false),
        (#"(?<name>x)"#, true), (#"(?<n>a)\k<n>"#, true), (#"(?<=a+)b"#, true), (#"[]"#, true), (#"[^]"#, true),
        (#"\cA"#, true), ("", true), (#"(?i:a)"#, true),
    ]

    @Test(arguments: formatRegex)
    func formatRegexValidity(_ pattern: String, _ valid: Bool) {
        #expect(ECMARegex.isValid(pattern) == valid)
    }

    @Test func validPatternsTheEngineCannotRunSayWhy() {
        // ECMA-262 allows any lookbehind; PCRE2 10.42 needs fixed-length alternatives.
        #expect(throws: ECMARegexError.self) { try ECMARegex(#"(?<=a+)b"#) }
        #expect(ECMARegex.isValid(#"(?<=a+)b"#))
        do {
            _ = try ECMARegex(#"x(?<=a+)b"#)
        } catch {
            #expect(error.message.hasPrefix("variable-length lookbehind is not supported"))
            #expect(error.offset == 1)
        }
        #expect(throws: ECMARegexError.self) { try ECMARegex(#"a{0,70000}"#) }
    }

    @Test func deepNestingDoesNotOverflowTheStack() {
        // `format: regex` parses untrusted data: the parser must not recurse per group.
        let open = String(repeating: "(", count: 100_000)
        #expect(!ECMARegex.isValid(open))
        #expect(ECMARegex.isValid(open + String(repeating: ")", count: 100_000)))
        #expect(throws: ECMARegexError.self) { try ECMARegex(open + String(repeating: ")", count: 100_000)) }
    }

    @Test func utf8BuffersMatchLikeStrings() throws {
        let regex = try ECMARegex(#"^\p{L}+\s\d{2}$"#)
        for (text, expected) in [("école 42", true), ("école\u{A0}42", true), ("école 4", false), ("", false)] {
            var copy = text
            let viaBytes = copy.withUTF8 { regex.matches(utf8: $0) }
            #expect(viaBytes == expected)
            #expect(regex.matches(text) == expected)
        }
        #expect(try ECMARegex("").matches(utf8: UnsafeBufferPointer(start: nil, count: 0)))
    }

    @Test func oneRegexFromManyTasksAtOnce() async throws {
        let regex = try ECMARegex(#"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)$"#)
        let tasks = 32
        let rounds = 2_000
        let agreed = await withTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var count = 0
                    for round in 0..<rounds where regex.matches("\(task).\(round)") && !regex.matches("0\(round).x") {
                        count += 1
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(agreed == tasks * rounds)
    }

    /// Checks `item` through both entry points.
    private func expectMatch(_ item: ECMARegexCase) throws {
        let regex = try ECMARegex(item.pattern)
        #expect(regex.matches(item.text) == item.matches)
        var text = item.text
        #expect(text.withUTF8 { regex.matches(utf8: $0) } == item.matches)
    }
}
