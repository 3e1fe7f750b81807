/// The declarations of a target's Swift files, scanned in path order, and the questions
/// the scaffolder asks about them.
struct ScannedSources {
    /// The type the stubs go into.
    struct Target {
        /// The conforming type's qualified name; nil when a new type must be declared.
        var name: String?
        /// Whether the stubs' extension must declare the conformance (a type named like the
        /// default implementation exists but does not conform yet).
        var addsConformance = false
        /// A note when several types conform.
        var note: Diagnostic?
    }

    private var files: [(path: String, scanner: SwiftDeclarationScanner)] = []

    init(_ sources: [String: String]) {
        for path in sources.keys.sorted() {
            guard let text = sources[path] else { continue }
            files.append((path, SwiftDeclarationScanner(source: text)))
        }
    }

    /// The first type (by file path, then position) that conforms to `protocolName`; else a
    /// type named `fallback`, which the stubs' extension will make conform; else none.
    func target(conformingTo protocolName: String, fallback: String) -> Target {
        var conforming: [(name: String, path: String)] = []
        for file in files {
            for type in file.scanner.types where type.kind != .protocol && type.inherits.contains(protocolName) {
                if !conforming.contains(where: { $0.name == type.qualifiedName }) { conforming.append((type.qualifiedName, file.path)) }
            }
        }
        if let first = conforming.first {
            var target = Target(name: first.name)
            if conforming.count > 1 {
                let others = conforming.dropFirst().map(\.name).joined(separator: ", ")
                target.note = Diagnostic(
                    .note, "\(others) also conform\(conforming.count > 2 ? "" : "s") to \(protocolName); the stubs are for \(first.name)", file: first.path)
            }
            return target
        }
        let declared = files.contains { file in
            file.scanner.types.contains { $0.qualifiedName == fallback && $0.kind != .protocol && $0.kind != .extension }
        }
        return declared ? Target(name: fallback, addsConformance: true) : Target(name: nil)
    }

    /// Whether the handler of `signature` is written: a non-static method of that name whose
    /// parameters are unlabelled and of the signature's types, in the type `name`
    /// (or one of its extensions), in a type it inherits from (a superclass, a refined
    /// protocol's extension), or in an extension of the protocol.
    func implements(_ signature: HandlerSignature, in name: String?, protocolName: String) -> Bool {
        let methodName = SwiftNaming.unescaped(signature.methodName)
        let types = signature.parameterTypes
        let containers = name.map(lineage) ?? []
        return files.contains { file in
            file.scanner.methods.contains { method in
                guard method.name == methodName, !method.isStatic, method.parameters.count == types.count,
                    zip(method.parameters, types).allSatisfy({ parameter, type in parameter.labels.first == "_" && Self.sameType(parameter.type, type) })
                else { return false }
                if method.containerKind == .extension, method.container == protocolName || method.container.hasSuffix("." + protocolName) {
                    return true
                }
                return method.containerKind != .protocol && containers.contains(method.container)
            }
        }
    }

    /// Whether the property `property` is declared in the type `name` (or one of its
    /// extensions, or a type it inherits from).
    func declares(property: String, in name: String?) -> Bool {
        let containers = name.map(lineage) ?? []
        return files.contains { file in file.scanner.properties.contains { $0.name == property && containers.contains($0.container) } }
    }

    /// Whether a type named `name` is declared anywhere.
    func declaresType(_ name: String) -> Bool {
        files.contains { file in file.scanner.types.contains { $0.qualifiedName == name && $0.kind != .extension } }
    }

    /// Whether a parameter's written type is `expected`, ignoring spaces and a module prefix
    /// (`Petstore.GetPet.Input` also as `MyModule.Petstore.GetPet.Input`).
    static func sameType(_ written: String, _ expected: String) -> Bool {
        let a = written.filter { !$0.isWhitespace }
        let b = expected.filter { !$0.isWhitespace }
        return a == b || a.hasSuffix("." + b)
    }

    /// `name` and every type it inherits from, as far as the sources declare them.
    private func lineage(_ name: String) -> Set<String> {
        var result: Set<String> = [name]
        var queue = [name]
        while let next = queue.popLast() {
            for file in files {
                for type in file.scanner.types where type.qualifiedName == next {
                    for parent in type.inherits where result.insert(parent).inserted { queue.append(parent) }
                }
            }
        }
        return result
    }

    /// The modules the file at `path` imports (none when it is not among the sources).
    func imports(in path: String) -> Set<String> {
        files.first { $0.path == path }?.scanner.imports ?? []
    }

    /// The access modifier the stubs need to witness the protocol for the type `name`:
    /// `public ` for a public or open type, `package ` for a package one, else nothing.
    func access(of name: String) -> String {
        for file in files {
            for type in file.scanner.types where type.qualifiedName == name && type.kind != .extension {
                switch type.access {
                case "public", "open": return "public "
                case "package": return "package "
                default: return ""
                }
            }
        }
        return ""
    }
}
