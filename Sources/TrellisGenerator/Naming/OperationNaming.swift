/// The naming stage for operations: gives each operation a Swift type name (its namespace,
/// `GetPet`) and a handler name (`getPet`) from its id, unique in the service.
///
/// An operation's namespace is nested in the service's, where it would shadow a model of the
/// same name for all generated code: names that models take get an `Operation` suffix.
/// Ids differing only in case or punctuation (`get-pet`, `getPet`) get numbered names.
enum OperationNaming {
    static func assign(_ declaration: inout ServiceDeclaration, avoiding modelNames: Set<String>) {
        var types: Set<String> = [declaration.name]
        var methods: Set<String> = []
        for index in declaration.operations.indices {
            let id = declaration.operations[index].id
            var type = SwiftNaming.typeName(id)
            if modelNames.contains(type) || SwiftNaming.reservedTypeNames.contains(type) || type == declaration.name { type += "Operation" }
            let base = type
            var suffix = 2
            while types.contains(type) {
                type = base + String(suffix)
                suffix += 1
            }
            types.insert(type)
            declaration.operations[index].swiftName = type

            var method = SwiftNaming.memberName(id)
            if methods.contains(method) { method = SwiftNaming.memberName(type) }
            let methodBase = SwiftNaming.unescaped(method)
            suffix = 2
            while methods.contains(method) {
                method = SwiftNaming.escape(methodBase + String(suffix))
                suffix += 1
            }
            methods.insert(method)
            declaration.operations[index].swiftMethodName = method
        }
    }
}
