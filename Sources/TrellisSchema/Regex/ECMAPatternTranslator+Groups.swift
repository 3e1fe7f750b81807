extension ECMAPatternTranslator {
    /// A group whose `)` has not been read yet.
    struct OpenGroup {
        /// Where its `(` is.
        let offset: Int
        /// Whether a quantifier may follow it (not lookarounds, with the `u` flag).
        let quantifiable: Bool
        /// The flags to restore after it (modifier groups change them inside).
        let outerFlags: Flags
    }

    /// Reads the opening of a group at `(`: capturing, named, non-capturing, lookaround or
    /// modifiers, and writes its PCRE2 opening.
    mutating func openGroup() throws(ECMARegexError) -> OpenGroup {
        let open = position
        position += 1
        var quantifiable = true
        let saved = flags
        if consume("?") {
            switch peek() {
            case ":":
                position += 1
                output += "(?:"
            case "=", "!":
                output += peek() == "=" ? "(?=" : "(?!"
                position += 1
                quantifiable = false
            case "<" where peek(1) == "=" || peek(1) == "!":
                output += peek(1) == "=" ? "(?<=" : "(?<!"
                position += 2
                quantifiable = false
            case "<":
                position += 1
                try parseGroupName(at: open)
                output += "("
            case "i", "m", "s", "-":
                try parseModifiers(at: open)
            default:
                throw error("invalid group", at: open)
            }
        } else {
            output += "("
        }
        return OpenGroup(offset: open, quantifiable: quantifiable, outerFlags: saved)
    }

    /// The name of a `(?<name>...)` group, which must be new.
    private mutating func parseGroupName(at open: Int) throws(ECMARegexError) {
        guard let name = ECMAGroupScanner.groupName(in: source, at: &position) else {
            throw error("invalid capture group name", at: open)
        }
        guard definedNames.insert(name).inserted else {
            throw error("duplicate capture group name '\(name)'", at: open)
        }
    }

    /// ES2025 modifiers `(?ims-ims:`: changes the flags inside the group.
    private mutating func parseModifiers(at open: Int) throws(ECMARegexError) {
        var seen: Set<Unicode.Scalar> = []
        var removing = false
        var counts = (add: 0, remove: 0)
        while let scalar = peek(), scalar != ":" {
            position += 1
            if scalar == "-", !removing {
                removing = true
                continue
            }
            guard "ims".unicodeScalars.contains(scalar), seen.insert(scalar).inserted else {
                throw error("invalid group", at: open)
            }
            if removing { counts.remove += 1 } else { counts.add += 1 }
            switch scalar {
            case "i": flags.ignoreCase = !removing
            case "m": flags.multiline = !removing
            default: flags.dotAll = !removing
            }
        }
        guard consume(":"), !(removing && counts.add + counts.remove == 0) else {
            throw error("invalid group", at: open)
        }
        // Only case-insensitivity is left to PCRE2; `m` and `s` change what this translator writes.
        if seen.contains("i") {
            output += flags.ignoreCase ? "(?i:" : "(?-i:"
        } else {
            output += "(?:"
        }
    }
}
