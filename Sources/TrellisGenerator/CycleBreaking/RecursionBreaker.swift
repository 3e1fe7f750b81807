/// Finds cycles of value types (a struct that contains itself, directly or through
/// others) and breaks each with as little indirection as possible: the property that
/// closes the cycle is boxed, or an enum in the cycle is made `indirect`. Arrays and
/// dictionaries already store their elements out of line, so they never need it.
enum RecursionBreaker {
    /// Breaks the cycles of a whole translated service: its models and the types nested in
    /// its operations' and WebSockets' namespaces, before any of them is rendered.
    static func breakCycles(
        in declarations: inout [String: [TypeDeclaration]], operations: inout [SwiftOperation], webSockets: inout [SwiftWebSocket]
    ) {
        // Keys no model file can have.
        var all = declarations
        for index in operations.indices { all["\u{0}operation \(index)"] = operations[index].nested }
        for index in webSockets.indices { all["\u{0}webSocket \(index)"] = webSockets[index].nested }
        breakCycles(in: &all)
        for index in operations.indices { operations[index].nested = all.removeValue(forKey: "\u{0}operation \(index)") ?? [] }
        for index in webSockets.indices { webSockets[index].nested = all.removeValue(forKey: "\u{0}webSocket \(index)") ?? [] }
        declarations = all
    }

    /// Breaks the cycles among `declarations` (grouped by any key).
    static func breakCycles(in declarations: inout [String: [TypeDeclaration]]) {
        var byName: [String: TypeDeclaration] = [:]
        func collect(_ list: [TypeDeclaration]) {
            for declaration in list {
                byName[declaration.qualifiedName] = declaration
                collect(declaration.nested)
            }
        }
        for list in declarations.values { collect(list) }

        func inline(_ type: SwiftType) -> String? {
            switch type {
            case .named(let name): return byName[name] != nil ? name : nil
            case .optional(let wrapped): return inline(wrapped)
            case .array, .dictionary: return nil
            }
        }
        /// Edges: (from, to, property swift name or nil for an enum case / alias).
        func edges(of declaration: TypeDeclaration) -> [(String, String?)] {
            switch declaration.kind {
            case .structure(let properties, _):
                return properties.compactMap { property in inline(property.type).map { ($0, property.swiftName) } }
            case .choice(let cases, _, _):
                return cases.compactMap { item in inline(item.type).map { ($0, nil) } }
            case .alias(let type):
                return inline(type).map { [($0, nil)] } ?? []
            case .stringEnum:
                return []
            }
        }

        var boxed: Set<String> = []  // "Type\u{0}property"
        var indirect: Set<String> = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        // The types being visited, each with the property (nil: a case or an alias) by which
        // the walk left it for the next one.
        var path: [(name: String, property: String?)] = []

        /// Breaks the cycle that the edge from the last type of `path` to `target` closes:
        /// by boxing that edge's property, or by making a choice at either end indirect; when
        /// the closing edge is neither (an alias leading back to a struct), by the first choice
        /// or struct property elsewhere on the cycle.
        func breakCycle(closingAt target: String) {
            guard let (name, property) = path.last else { return }
            if let property {
                boxed.insert(name + "\u{0}" + property)
                return
            }
            if let declaration = byName[name], case .choice = declaration.kind {
                indirect.insert(name)
                return
            }
            if let targetDeclaration = byName[target], case .choice = targetDeclaration.kind {
                indirect.insert(target)
                return
            }
            guard let start = path.lastIndex(where: { $0.name == target }) else { return }
            let cycle = path[start...]
            if let choice = cycle.first(where: { if case .choice? = byName[$0.name]?.kind { true } else { false } }) {
                indirect.insert(choice.name)
            } else if let step = cycle.first(where: { $0.property != nil }), let property = step.property {
                boxed.insert(step.name + "\u{0}" + property)
            }
        }

        func visit(_ name: String) {
            state[name] = 1
            path.append((name, nil))
            defer {
                path.removeLast()
                state[name] = 2
            }
            guard let declaration = byName[name] else { return }
            for (target, property) in edges(of: declaration) {
                path[path.count - 1].property = property
                if state[target] == 1 {
                    breakCycle(closingAt: target)
                } else if state[target] == nil {
                    visit(target)
                }
            }
        }
        for name in byName.keys.sorted() where state[name] == nil { visit(name) }
        guard !boxed.isEmpty || !indirect.isEmpty else { return }

        func apply(_ list: inout [TypeDeclaration]) {
            for index in list.indices {
                let name = list[index].qualifiedName
                if indirect.contains(name) { list[index].isIndirect = true }
                if case .structure(var properties, let additional) = list[index].kind {
                    for p in properties.indices where boxed.contains(name + "\u{0}" + properties[p].swiftName) {
                        properties[p].boxed = true
                    }
                    list[index].kind = .structure(properties: properties, additionalProperties: additional)
                }
                apply(&list[index].nested)
            }
        }
        for key in declarations.keys.sorted() {
            var list = declarations[key] ?? []
            apply(&list)
            declarations[key] = list
        }
    }
}
