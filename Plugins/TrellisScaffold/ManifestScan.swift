/// Which targets use the Trellis build plugin, read from the text of `Package.swift` (the
/// plugin API does not tell a command plugin which plugins a target uses).
enum ManifestScan {
    /// Whether the call that declares the target `name` (`.executableTarget(name: "X", ...)`)
    /// has a `plugins:` argument that mentions `TrellisPlugin`.
    static func usesTrellisPlugin(target name: String, manifest: String) -> Bool {
        let text = Array(withoutComments(manifest))
        let needle = Array("\"\(name)\"")
        guard needle.count <= text.count else { return false }
        for start in 0...(text.count - needle.count) where Array(text[start..<start + needle.count]) == needle {
            guard isNameArgument(text, before: start), let call = enclosingCall(text, around: start), isTargetCall(text, at: call.lowerBound) else {
                continue
            }
            let arguments = String(text[call])
            if let plugins = arguments.range(of: "plugins:"), arguments[plugins.upperBound...].contains("TrellisPlugin") { return true }
        }
        return false
    }

    /// Whether `name:` precedes the string at `index`.
    private static func isNameArgument(_ text: [Character], before index: Int) -> Bool {
        var index = index - 1
        while index >= 0, text[index].isWhitespace { index -= 1 }
        guard index >= 4, text[index] == ":" else { return false }
        return String(text[(index - 4)..<index]) == "name"
    }

    /// The functions that declare a target with sources (not `Package(...)`, `.library(...)`).
    private static let targetFunctions: Set<String> = ["target", "executableTarget", "testTarget", "macro"]

    /// Whether the `(` at `index` opens `.target(`, `.executableTarget(`, ...
    private static func isTargetCall(_ text: [Character], at index: Int) -> Bool {
        var start = index
        while start > 0, text[start - 1].isLetter { start -= 1 }
        guard start > 0, text[start - 1] == "." else { return false }
        return targetFunctions.contains(String(text[start..<index]))
    }

    /// The range from the `(` of the call around `index` to its `)`.
    private static func enclosingCall(_ text: [Character], around index: Int) -> ClosedRange<Int>? {
        var depth = 0
        var open = index - 1
        while open >= 0 {
            if text[open] == ")" || text[open] == "]" { depth += 1 }
            if text[open] == "(" || text[open] == "[" {
                if depth == 0 { break }
                depth -= 1
            }
            open -= 1
        }
        guard open >= 0, text[open] == "(" else { return nil }
        depth = 0
        var close = open
        while close < text.count {
            if text[close] == "(" || text[close] == "[" { depth += 1 }
            if text[close] == ")" || text[close] == "]" { depth -= 1 }
            if depth == 0 { return open...close }
            close += 1
        }
        return nil
    }

    /// The manifest without `//` and `/* */` comments (string literals kept, so URLs survive).
    private static func withoutComments(_ text: String) -> String {
        var result = ""
        var characters = Array(text)[...]
        var inString = false
        while let character = characters.first {
            if inString {
                result.append(character)
                characters = characters.dropFirst()
                if character == "\\", let escaped = characters.first {
                    result.append(escaped)
                    characters = characters.dropFirst()
                } else if character == "\"" || character == "\n" {
                    inString = false
                }
            } else if character == "/", characters.dropFirst().first == "/" {
                while let next = characters.first, next != "\n" { characters = characters.dropFirst() }
            } else if character == "/", characters.dropFirst().first == "*" {
                characters = characters.dropFirst(2)
                while !characters.isEmpty, !(characters.first == "*" && characters.dropFirst().first == "/") { characters = characters.dropFirst() }
                characters = characters.dropFirst(2)
            } else {
                if character == "\"" { inString = true }
                result.append(character)
                characters = characters.dropFirst()
            }
        }
        return result
    }
}
