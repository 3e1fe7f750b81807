/// What the scaffolder reads from Swift source without parsing it fully: the type
/// declarations and extensions with what they inherit, the methods declared directly in
/// them, and the imported modules.
struct SwiftDeclarationScanner {
    /// A `struct`, `class`, `actor`, `enum`, `protocol` or `extension` declaration.
    struct TypeDeclaration: Equatable {
        enum Kind: String { case `struct`, `class`, `actor`, `enum`, `protocol`, `extension` }

        var kind: Kind
        /// The name with its enclosing types' (`Outer.Inner`); for an extension, the extended type as written.
        var qualifiedName: String
        /// The last component of each inherited type or conformance (`Sendable`, `PetstoreService`).
        var inherits: [String]
        /// `public`, `package`, `open`, `internal`, `fileprivate`, `private`, or nil.
        var access: String?
    }

    /// A `func` declared directly in a type or an extension (not in a function or closure).
    struct Method {
        var name: String
        /// The qualified name and kind of the declaration it is in.
        var container: String
        var containerKind: TypeDeclaration.Kind
        var isStatic: Bool
        /// The labels of each parameter (`["_", "input"]`) and its type without spaces.
        var parameters: [(labels: [String], type: String)]
    }

    private(set) var types: [TypeDeclaration] = []
    private(set) var methods: [Method] = []
    /// The properties (`var`) declared directly in a type or an extension: each name with the
    /// qualified name of the declaration it is in.
    private(set) var properties: [(name: String, container: String)] = []
    /// The modules imported at the top level (`import TrellisCore`, `import struct TrellisCore.X`).
    private(set) var imports: Set<String> = []

    private let tokens: [SwiftToken]

    /// Scans one file.
    init(source: String) {
        tokens = SwiftLexer.tokens(of: source)
        scan()
    }

    private enum Scope {
        case type(TypeDeclaration)
        /// A function body, closure, accessor, or anything else between braces.
        case other
    }

    private mutating func scan() {
        var stack: [Scope] = []
        var openers: [Int: TypeDeclaration] = [:]
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isPunctuation("{") {
                stack.append(openers[index].map(Scope.type) ?? .other)
            } else if token.isPunctuation("}") {
                _ = stack.popLast()
            } else if token.kind == .identifier, !token.escaped {
                switch token.text {
                case "struct", "class", "actor", "enum", "protocol", "extension":
                    if let kind = TypeDeclaration.Kind(rawValue: token.text), let (header, brace) = typeHeader(kind, at: index) {
                        var declaration = header
                        if let outer = Self.qualifiedName(of: stack) {
                            if kind != .extension && !outer.isEmpty { declaration.qualifiedName = outer + "." + header.qualifiedName }
                            types.append(declaration)
                            openers[brace] = declaration
                        }
                        index = brace
                        continue
                    }
                case "func":
                    if case .type(let container)? = stack.last, Self.qualifiedName(of: stack) != nil, let method = method(at: index, in: container) {
                        methods.append(method)
                    }
                case "var":
                    if case .type(let container)? = stack.last, Self.qualifiedName(of: stack) != nil, index + 1 < tokens.count,
                        tokens[index + 1].kind == .identifier
                    {
                        properties.append((tokens[index + 1].text, container.qualifiedName))
                    }
                case "import" where stack.isEmpty:
                    if let module = importedModule(at: index) { imports.insert(module) }
                default:
                    break
                }
            }
            index += 1
        }
    }

    /// The qualified name of the innermost type of `stack`; "" at the top level; nil inside
    /// a function or closure (local types can be neither extended nor found).
    private static func qualifiedName(of stack: [Scope]) -> String? {
        var name = ""
        for scope in stack {
            guard case .type(let declaration) = scope else { return nil }
            name = declaration.qualifiedName  // already qualified with its enclosing types
        }
        return name
    }

    // MARK: - Types

    private static let notTypeNames: Set<String> = [
        "func", "var", "let", "subscript", "init", "deinit", "final", "override", "public", "private", "internal",
        "fileprivate", "package", "open", "static", "dynamic", "nonisolated", "required", "convenience", "typealias",
    ]

    /// The declaration whose keyword is at `start`, and the index of its `{`; nil when the
    /// keyword is not a type declaration's (`class func`, `let actor = ...`).
    private func typeHeader(_ kind: TypeDeclaration.Kind, at start: Int) -> (TypeDeclaration, Int)? {
        if start > 0, tokens[start - 1].isPunctuation(".") { return nil }
        var index = start + 1
        guard index < tokens.count, tokens[index].isIdentifier, !Self.notTypeNames.contains(tokens[index].text) || tokens[index].escaped else { return nil }
        var name = tokens[index].text
        index += 1
        if kind == .extension {
            while index + 1 < tokens.count, tokens[index].isPunctuation("."), tokens[index + 1].isIdentifier {
                name += "." + tokens[index + 1].text
                index += 2
            }
        }
        index = skipAngleBrackets(from: index)
        guard index < tokens.count, tokens[index].isPunctuation(":") || tokens[index].isPunctuation("{") || tokens[index].isKeyword("where") else {
            return nil
        }
        var inherits: [String] = []
        if tokens[index].isPunctuation(":") {
            index += 1
            var current: String?
            while index < tokens.count, !tokens[index].isPunctuation("{"), !tokens[index].isKeyword("where") {
                let token = tokens[index]
                if token.isPunctuation("<") {
                    index = skipAngleBrackets(from: index)
                    continue
                }
                if token.isPunctuation("@") {
                    index = skipAttribute(from: index)
                    continue
                }
                if token.isPunctuation(",") || token.isPunctuation("&") {
                    if let current { inherits.append(current) }
                    current = nil
                } else if token.isIdentifier, !token.isKeyword("any") {
                    current = token.text  // a dotted name keeps its last component
                } else if token.isPunctuation("}") || token.isPunctuation(";") {
                    return nil
                }
                index += 1
            }
            if let current { inherits.append(current) }
        }
        while index < tokens.count, !tokens[index].isPunctuation("{") {
            if tokens[index].isPunctuation("}") { return nil }
            index += 1
        }
        guard index < tokens.count else { return nil }
        return (TypeDeclaration(kind: kind, qualifiedName: name, inherits: inherits, access: access(before: start)), index)
    }

    /// The index after the balanced `<...>` at `index`, or `index` when there is none.
    private func skipAngleBrackets(from index: Int) -> Int {
        guard index < tokens.count, tokens[index].isPunctuation("<") else { return index }
        var depth = 0
        var index = index
        while index < tokens.count {
            if tokens[index].isPunctuation("<") { depth += 1 }
            if tokens[index].isPunctuation(">") { depth -= 1 }
            index += 1
            if depth == 0 { break }
        }
        return index
    }

    /// The index after the attribute (`@unchecked`, `@available(...)`) at `index`.
    private func skipAttribute(from index: Int) -> Int {
        var index = index + 2
        if index < tokens.count, tokens[index].isPunctuation("(") {
            var depth = 0
            while index < tokens.count {
                if tokens[index].isPunctuation("(") { depth += 1 }
                if tokens[index].isPunctuation(")") { depth -= 1 }
                index += 1
                if depth == 0 { break }
            }
        }
        return index
    }

    private static let accessModifiers: Set<String> = ["public", "package", "open", "internal", "fileprivate", "private"]
    private static let otherModifiers: Set<String> = [
        "final", "indirect", "nonisolated", "distributed", "static", "class", "override", "mutating", "nonmutating",
        "dynamic", "optional", "required", "convenience", "consuming", "borrowing", "isolated", "lazy", "weak", "unowned",
    ]

    /// The modifiers and attributes written before the keyword at `start`.
    private func modifiers(before start: Int) -> [String] {
        var result: [String] = []
        var index = start - 1
        while index >= 0 {
            let token = tokens[index]
            if token.isPunctuation(")") {
                // `private(set)`, `@available(...)`: back to the `(`.
                var depth = 0
                while index >= 0 {
                    if tokens[index].isPunctuation(")") { depth += 1 }
                    if tokens[index].isPunctuation("(") { depth -= 1 }
                    index -= 1
                    if depth == 0 { break }
                }
                continue
            }
            guard token.kind == .identifier, !token.escaped else { break }
            if index > 0, tokens[index - 1].isPunctuation("@") {
                index -= 2
                continue
            }
            guard Self.accessModifiers.contains(token.text) || Self.otherModifiers.contains(token.text) else { break }
            result.append(token.text)
            index -= 1
        }
        return result
    }

    private func access(before start: Int) -> String? {
        modifiers(before: start).first { Self.accessModifiers.contains($0) }
    }

    // MARK: - Methods

    /// The method whose `func` is at `start`; nil for operators and generic methods.
    private func method(at start: Int, in container: TypeDeclaration) -> Method? {
        var index = start + 1
        guard index + 1 < tokens.count, tokens[index].isIdentifier, tokens[index + 1].isPunctuation("(") else { return nil }
        let name = tokens[index].text
        index += 2
        var parameters: [(labels: [String], type: String)] = []
        var labels: [String] = []
        var type = ""
        var inType = false
        var inDefault = false
        var depth = 0
        func finish() {
            if inType || !labels.isEmpty { parameters.append((labels, type)) }
            labels = []
            type = ""
            inType = false
            inDefault = false
        }
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if depth == 0 {
                if token.isPunctuation(")") {
                    finish()
                    break
                }
                if token.isPunctuation(",") {
                    finish()
                    continue
                }
                if !inType, token.isPunctuation(":") {
                    inType = true
                    continue
                }
                if inType, token.isPunctuation("=") {
                    inDefault = true
                    continue
                }
            }
            if token.isPunctuation("(") || token.isPunctuation("[") || token.isPunctuation("{") || (inType && !inDefault && token.isPunctuation("<")) {
                depth += 1
            } else if token.isPunctuation(")") || token.isPunctuation("]") || token.isPunctuation("}") || (inType && !inDefault && token.isPunctuation(">")) {
                depth -= 1
            }
            if inDefault { continue }
            if inType {
                if type.isEmpty, token.kind == .identifier, !token.escaped, Self.parameterModifiers.contains(token.text) { continue }
                type += token.text
            } else if token.isIdentifier {
                labels.append(token.text)
            }
        }
        let isStatic = modifiers(before: start).contains { $0 == "static" || $0 == "class" }
        return Method(name: name, container: container.qualifiedName, containerKind: container.kind, isStatic: isStatic, parameters: parameters)
    }

    private static let parameterModifiers: Set<String> = ["borrowing", "consuming", "sending", "__owned", "__shared", "isolated"]

    // MARK: - Imports

    /// `TrellisCore` for `import TrellisCore`, `@preconcurrency import TrellisCore`,
    /// `import struct TrellisCore.NotImplementedError`.
    private func importedModule(at start: Int) -> String? {
        var index = start + 1
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let", "actor"]
        if index < tokens.count, tokens[index].kind == .identifier, kinds.contains(tokens[index].text) { index += 1 }
        guard index < tokens.count, tokens[index].isIdentifier else { return nil }
        return tokens[index].text
    }
}
