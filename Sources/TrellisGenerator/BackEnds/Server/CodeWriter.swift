/// Accumulates Swift source with indentation.
struct CodeWriter {
    private(set) var text = ""
    private var level = 0

    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: level) + content + "\n"
        }
    }

    /// `header {`, the body indented, then `}`.
    mutating func block(_ header: String, _ body: (inout CodeWriter) -> Void) {
        line(header + " {")
        level += 1
        body(&self)
        level -= 1
        line("}")
    }

    /// `body` one level deeper (a `case`'s statements).
    mutating func indent(_ body: (inout CodeWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }

    /// `switch subject {` with its cases at the level of the `switch`, as Swift style has it.
    mutating func switchBlock(_ subject: String, _ body: (inout CodeWriter) -> Void) {
        line("switch \(subject) {")
        body(&self)
        line("}")
    }

    /// The lines of `other`, at this writer's indentation.
    mutating func append(_ other: CodeWriter) {
        // At the top level the lines are the same text: no need to take it apart (a large
        // document's models are megabytes).
        if level == 0 {
            text += other.text
            return
        }
        for line in other.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() { self.line(String(line)) }
    }

    /// `///` lines; nothing for no lines.
    mutating func documentation(_ lines: [String]) {
        for text in lines {
            // A title or description may hold any line break (`\r`, U+2028): each starts a new `///` line.
            for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                self.line(line.isEmpty ? "///" : "/// " + line)
            }
        }
    }
}
