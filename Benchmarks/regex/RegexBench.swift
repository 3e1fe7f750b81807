// Micro-benchmark of the candidate regex engines behind JSON Schema `pattern`.
// Build and run with `Benchmarks/regex/run` (swiftc -O, no SwiftPM).
// Compiled with -D TRELLIS_REGEX together with Sources/TrellisSchema/Regex/*.swift
// it also times Trellis's own `ECMARegex`.
import CPCRE2
import Foundation

/// One timed case: a pattern and a subject.
struct Case {
    let name: String
    let pattern: String
    let subject: String
}

/// Best of `rounds` runs of `iterations` calls, in ns per call.
func time(_ iterations: Int = 200_000, rounds: Int = 5, _ body: () -> Bool) -> Double {
    var hits = 0
    for _ in 0..<1000 where body() { hits &+= 1 }
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations where body() { hits &+= 1 }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        best = min(best, elapsed / Double(iterations))
    }
    if hits == -1 { print("unreachable") }
    return best
}

/// A PCRE2 pattern compiled with the given options, optionally JIT-compiled.
final class PCRE2Pattern {
    let code: OpaquePointer
    init?(_ pattern: String, jit: Bool) {
        var error: Int32 = 0
        var offset = 0
        let compiled = pattern.withCString { text in
            text.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count) {
                pcre2_compile_8($0, pattern.utf8.count, cpcre2_utf, &error, &offset, nil)
            }
        }
        guard let compiled else { return nil }
        code = compiled
        if jit && pcre2_jit_compile_8(code, cpcre2_jit_complete) != 0 { return nil }
    }
    deinit { pcre2_code_free_8(code) }

    func match(_ text: String, data: OpaquePointer?, noJIT: Bool = false) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            let options = cpcre2_no_utf_check | (noJIT ? cpcre2_no_jit : 0)
            if let data {
                return pcre2_match_8(code, buffer.baseAddress, buffer.count, 0, options, data, nil) >= 0
            }
            let fresh = pcre2_match_data_create_from_pattern_8(code, nil)
            defer { pcre2_match_data_free_8(fresh) }
            return pcre2_match_8(code, buffer.baseAddress, buffer.count, 0, options, fresh, nil) >= 0
        }
    }

    func jitMatch(_ text: String, data: OpaquePointer?) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            pcre2_jit_match_8(code, buffer.baseAddress, buffer.count, 0, 0, data, nil) >= 0
        }
    }
}

/// A thread-local match-data slot through a pthread key, as ECMARegex may use.
final class ThreadLocalMatchData: @unchecked Sendable {
    var key = pthread_key_t()
    init() { pthread_key_create(&key) { pcre2_match_data_free_8(OpaquePointer($0)) } }
    func get() -> OpaquePointer? {
        if let existing = pthread_getspecific(key) { return OpaquePointer(existing) }
        let data = pcre2_match_data_create_8(1, nil)
        pthread_setspecific(key, UnsafeRawPointer(data))
        return data
    }
}

func format(_ value: Double?) -> String {
    guard let value else { return "n/a" }
    return value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

@main
enum RegexBench {
    static func main() {
        let cases: [Case] = [
            Case(name: "code ok", pattern: #"^[A-Z]{3}-[0-9]{4}$"#, subject: "ABC-1234"),
            Case(name: "code miss", pattern: #"^[A-Z]{3}-[0-9]{4}$"#, subject: "x"),
            Case(name: "email", pattern: #"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"#,
                 subject: "jane.doe+news@mail.example.com"),
            Case(name: "semver", pattern: #"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)$"#, subject: "12.345"),
            Case(name: "\\p{Letter}", pattern: #"^\p{Letter}+$"#, subject: "Élève"),
            Case(name: "search 200B", pattern: #"[0-9]{3}-[0-9]{4}"#,
                 subject: String(repeating: "lorem ipsum ", count: 16) + "call 555-1234"),
        ]

        var columns = ["Swift Regex firstMatch", "Swift Regex wholeMatch", "NSRegularExpression",
                       "PCRE2 interp", "PCRE2 JIT", "PCRE2 JIT +md/call", "PCRE2 JIT tls md", "pcre2_jit_match"]
        #if TRELLIS_REGEX
        columns.append("ECMARegex")
        #endif
        print("ns per call (best of 5), lower is better; n/a = engine rejects the pattern\n")
        print(pad("case", 12) + columns.map { " | " + $0 }.joined())
        let tls = ThreadLocalMatchData()
        for item in cases {
            var row: [Double?] = []
            let swift = try? Regex(item.pattern)
            row.append(swift.map { regex in time { item.subject.firstMatch(of: regex) != nil } })
            row.append(swift.map { regex in time { item.subject.wholeMatch(of: regex) != nil } })
            let ns = try? NSRegularExpression(pattern: item.pattern)
            row.append(ns.map { regex in time {
                let range = NSRange(location: 0, length: item.subject.utf16.count)
                return regex.firstMatch(in: item.subject, options: [], range: range) != nil
            } })
            let data = pcre2_match_data_create_8(1, nil)
            let interp = PCRE2Pattern(item.pattern, jit: false)
            row.append(interp.map { p in time { p.match(item.subject, data: data, noJIT: true) } })
            let jit = PCRE2Pattern(item.pattern, jit: true)
            row.append(jit.map { p in time { p.match(item.subject, data: data) } })
            row.append(jit.map { p in time { p.match(item.subject, data: nil) } })
            row.append(jit.map { p in time { p.match(item.subject, data: tls.get()) } })
            row.append(jit.map { p in time { p.jitMatch(item.subject, data: data) } })
            pcre2_match_data_free_8(data)
            #if TRELLIS_REGEX
            let ecma = try? ECMARegex(item.pattern)
            row.append(ecma.map { regex in time { regex.matches(item.subject) } })
            #endif
            print(pad(item.name, 12) + zip(columns, row).map { " | " + pad(format($1), $0.count) }.joined())
        }

        // One-off cost of compiling a pattern (at schema load, not per request).
        print("\ncompile, µs per pattern (best of 5)\n")
        for item in cases where item.name != "code miss" {
            var line = pad(item.name, 12)
            line += " | Swift Regex " + format(time(2_000) { (try? Regex(item.pattern)) != nil } / 1000)
            line += " | NSRegExp " + format(time(2_000) { (try? NSRegularExpression(pattern: item.pattern)) != nil } / 1000)
            let accepted = PCRE2Pattern(item.pattern, jit: false) != nil
            line += " | PCRE2 JIT " + format(accepted ? time(2_000) { PCRE2Pattern(item.pattern, jit: true) != nil } / 1000 : nil)
            #if TRELLIS_REGEX
            line += " | ECMARegex " + format(time(2_000) { (try? ECMARegex(item.pattern)) != nil } / 1000)
            #endif
            print(line)
        }

        // Which ECMA-262 (`u` flag) syntax each raw engine accepts. ECMA-262 is the reference:
        // "valid" patterns should compile, "invalid" ones should be rejected.
        let syntax: [(pattern: String, ecmaValid: Bool)] = [
            (#"\p{Letter}"#, true), (#"\p{L}"#, true), (#"(?<name>x)\k<name>"#, true), (#"\u00e9"#, true),
            (#"\u{1F600}"#, true), (#"\cA"#, true), (#"[]"#, true), (#"[^]"#, true), (#"(?<=a+)b"#, true),
            (#"(?<=ab)c"#, true), (#"a{2,}"#, true), (#"\a"#, false), (#"(?i)abc"#, false),
            (#"(?P<n>x)"#, false), (#"(?#c)a"#, false), (#"a{,2}"#, false), (#"\-"#, false), (#"^(abc]"#, false),
        ]
        print("\nsyntax acceptance (ok = compiles, ERR = rejected; * = differs from ECMA-262 with `u`)\n")
        print(pad("pattern", 22) + " | ECMA | Swift Regex | NSRegExp | PCRE2" + {
            #if TRELLIS_REGEX
            " | ECMARegex"
            #else
            ""
            #endif
        }())
        func mark(_ accepted: Bool, _ expected: Bool, _ width: Int) -> String {
            pad((accepted ? "ok" : "ERR") + (accepted == expected ? "" : " *"), width)
        }
        for (pattern, valid) in syntax {
            var line = pad(pattern, 22) + " | " + pad(valid ? "ok" : "ERR", 4)
            line += " | " + mark((try? Regex(pattern)) != nil, valid, 11)
            line += " | " + mark((try? NSRegularExpression(pattern: pattern)) != nil, valid, 8)
            line += " | " + mark(PCRE2Pattern(pattern, jit: false) != nil, valid, 5)
            #if TRELLIS_REGEX
            // "valid" alone: valid ECMA-262 that PCRE2 10.42 cannot run (init throws).
            let runs = (try? ECMARegex(pattern)) != nil
            line += " | " + (ECMARegex.isValid(pattern) && !runs ? "valid" : mark(runs, valid, 9))
            #endif
            print(line)
        }

        // Semantics where the engines differ from ECMA-262 (search, default options).
        let semantics: [(pattern: String, subject: String, ecma: Bool, note: String)] = [
            (#"^\d$"#, "\u{0660}", false, "\\d on ARABIC-INDIC ZERO"),
            (#"^\w$"#, "é", false, "\\w on é"),
            (#"^\s$"#, "\u{00A0}", true, "\\s on NBSP"),
            (#"^\s$"#, "\u{FEFF}", true, "\\s on U+FEFF"),
            (#"^abc$"#, "abc\n", false, "$ before final \\n"),
            (#"^.$"#, "\u{2028}", false, ". on U+2028"),
            (#"^.$"#, "😀", true, ". on one astral code point"),
        ]
        print("\nsemantics (match result; * = differs from ECMA-262)\n")
        for item in semantics {
            var line = pad(item.note, 28) + " | ECMA " + (item.ecma ? "yes" : "no ")
            func show(_ name: String, _ got: Bool?) {
                guard let got else { line += " | \(name) n/a"; return }
                line += " | \(name) " + (got ? "yes" : "no ") + (got == item.ecma ? "  " : " *")
            }
            show("Swift", (try? Regex(item.pattern)).map { item.subject.firstMatch(of: $0) != nil })
            show("NS", (try? NSRegularExpression(pattern: item.pattern)).map {
                $0.firstMatch(in: item.subject, range: NSRange(location: 0, length: item.subject.utf16.count)) != nil
            })
            show("PCRE2", PCRE2Pattern(item.pattern, jit: true).map { $0.match(item.subject, data: nil) })
            #if TRELLIS_REGEX
            show("ECMARegex", (try? ECMARegex(item.pattern)).map { $0.matches(item.subject) })
            #endif
            print(line)
        }
    }
}
