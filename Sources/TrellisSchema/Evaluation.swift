internal import TrellisJSON

/// What an evaluation has seen so far: where it is, what failed, and (for
/// `$dynamicRef`) which schema resources it has entered.
struct EvaluationContext {
    /// Whether failures are being recorded (false inside `anyOf`, `not`, ... and in
    /// the fast yes/no pass, which then stops at the first failure).
    var collecting: Bool
    var errors: [ValidationError] = []
    var instancePath: [String] = []
    var keywordPath: [String] = []
    let tracksDynamicScope: Bool
    var dynamicScope: [ResourceRef] = []
    let maxErrors: Int
    /// How many schemas deep the evaluation is, and how deep it may go.
    var depth = 0
    let maxDepth: Int

    init(collecting: Bool, tracksDynamicScope: Bool, maxErrors: Int, maxDepth: Int) {
        self.collecting = collecting
        self.tracksDynamicScope = tracksDynamicScope
        self.maxErrors = maxErrors
        self.maxDepth = maxDepth
    }

    var isFull: Bool { errors.count >= maxErrors }
}

/// The properties and items a successful evaluation looked at, for
/// `unevaluatedProperties` and `unevaluatedItems`.
struct Annotations {
    /// Names compared byte for byte (not by Unicode canonical equivalence).
    var properties: Set<ByteString> = []
    var allProperties = false
    var itemPrefix = 0
    var itemIndices: Set<Int> = []
    var allItems = false

    mutating func merge(_ other: Annotations) {
        if other.allProperties { allProperties = true } else if !allProperties { properties.formUnion(other.properties) }
        if other.allItems {
            allItems = true
        } else if !allItems {
            itemPrefix = max(itemPrefix, other.itemPrefix)
            itemIndices.formUnion(other.itemIndices)
        }
    }

    func evaluated(property name: UnsafeBufferPointer<UInt8>) -> Bool { allProperties || properties.contains(ByteString(Array(name))) }
    func evaluated(item index: Int) -> Bool { allItems || index < itemPrefix || itemIndices.contains(index) }
}

/// Evaluates compiled schemas against jansson values.
enum Evaluator {
    /// Whether `instance` satisfies `node`. Records failures in `context` when it is collecting.
    /// `annotations` is non-nil when the caller needs to know what was evaluated.
    static func evaluate(_ node: SchemaNode, _ instance: JSONNode, _ context: inout EvaluationContext, _ annotations: inout Annotations?) -> Bool {
        if let constant = node.constant {
            if !constant && context.collecting {
                report(&context, node, keyword: "false", instance: instance)
            }
            return constant
        }
        // Deep instances (or dynamic references) must fail cleanly, never exhaust the stack.
        guard context.depth < context.maxDepth else {
            let limit = Int64(context.maxDepth)
            report(&context, node, keyword: "depth", parameters: JSONObject([("maxDepth", .integer(limit))]), instance: nil)
            return false
        }
        context.depth += 1
        defer { context.depth -= 1 }
        var entered = false
        if context.tracksDynamicScope, context.dynamicScope.last?.resource !== node.resource {
            context.dynamicScope.append(ResourceRef(node.resource))
            entered = true
        }
        defer { if entered { context.dynamicScope.removeLast() } }

        var local: Annotations? = (annotations != nil || node.collectsAnnotations) ? Annotations() : nil
        var valid = true
        for keyword in node.keywords {
            if !evaluate(keyword, of: node, instance, &context, &local) {
                valid = false
                if !context.collecting || context.isFull { break }
            }
        }
        if valid, annotations != nil, let local { annotations?.merge(local) }
        return valid
    }

    /// Evaluates a subschema one step down the keyword path (and optionally the instance path).
    @inline(__always)
    static func descend(
        _ node: SchemaNode, _ instance: JSONNode, keyword: String, at token: String? = nil, instanceToken: String? = nil,
        _ context: inout EvaluationContext, _ annotations: inout Annotations?
    ) -> Bool {
        guard context.collecting else { return evaluate(node, instance, &context, &annotations) }
        context.keywordPath.append(keyword)
        if let token { context.keywordPath.append(token) }
        if let instanceToken { context.instancePath.append(instanceToken) }
        let valid = evaluate(node, instance, &context, &annotations)
        if instanceToken != nil { context.instancePath.removeLast() }
        if token != nil { context.keywordPath.removeLast() }
        context.keywordPath.removeLast()
        return valid
    }

    /// Evaluates without recording failures (for `anyOf`, `oneOf`, `not`, `if`, `contains`).
    @inline(__always)
    static func test(_ node: SchemaNode, _ instance: JSONNode, _ context: inout EvaluationContext, _ annotations: inout Annotations?) -> Bool {
        let collecting = context.collecting
        context.collecting = false
        defer { context.collecting = collecting }
        return evaluate(node, instance, &context, &annotations)
    }

    static func report(
        _ context: inout EvaluationContext, _ node: SchemaNode, keyword: String,
        parameters: @autoclosure () -> JSONObject = JSONObject(), instance: JSONNode?, at token: String? = nil
    ) {
        guard context.collecting, !context.isFull else { return }
        var instancePath = context.instancePath
        if let token { instancePath.append(token) }
        var keywordPath = context.keywordPath
        keywordPath.append(keyword)
        context.errors.append(
            ValidationError(
                instancePath: instancePath, keywordPath: keywordPath, schemaLocation: node.location,
                keyword: keyword, parameters: parameters(), instance: instance?.json))
    }
}
