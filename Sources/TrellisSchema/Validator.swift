public import TrellisJSON

/// How a ``Validator`` compiles and checks.
public struct ValidatorOptions: Sendable, Hashable {
    /// Whether `format` is an assertion (an invalid `date-time` fails) rather than an
    /// annotation, as the specification has it by default. Request validation turns it on.
    public var formatAssertion: Bool
    /// The dialect of schemas that do not name one with `$schema`.
    public var defaultDialect: Dialect
    /// The most errors one validation reports (the first ones found).
    public var maxErrors: Int
    /// How many schemas deep an evaluation may go (each level of the instance, and each
    /// `$ref` followed, is one); deeper instances are invalid, with an error that says so.
    /// The default, 256, fits the stack of a Swift concurrency thread even in a debug build
    /// (about 600 levels do); raise it only where the stack is known to be larger.
    public var maxDepth: Int

    /// Creates options.
    public init(formatAssertion: Bool = false, defaultDialect: Dialect = .draft2020_12, maxErrors: Int = 100, maxDepth: Int = 256) {
        self.formatAssertion = formatAssertion
        self.defaultDialect = defaultDialect
        self.maxErrors = max(1, maxErrors)
        self.maxDepth = max(1, maxDepth)
    }
}

/// A JSON Schema compiled once, then used by any number of tasks at the same time.
///
/// ```swift
/// let validator = try Validator(schema: ["type": "object", "required": ["name"]])
/// let body = try JSONDocument(parsing: #"{"age": 300}"#)
/// for error in validator.validate(body.root) { print(error) }   // /name: "name" is a required property
/// ```
///
/// Every dialect from draft-04 to 2020-12 is supported, chosen by `$schema`
/// (``ValidatorOptions/defaultDialect`` otherwise). Validation takes no locks; a valid
/// instance takes a fast yes/no path, and an invalid one is evaluated again to report its
/// errors (up to ``ValidatorOptions/maxErrors``; inside `anyOf`, `oneOf` and `not` only
/// the combinator's own failure is reported, not every branch's).
public final class Validator: Sendable {
    private let root: NodeRef
    /// Every node of the compilation: keeps the graph alive (links inside are unowned).
    private let graph: [SchemaNode]
    private let tracksDynamicScope: Bool
    private let maxErrors: Int
    private let maxDepth: Int

    /// The URI used as the base of a schema given without one.
    public static let defaultBaseURI = "trellis:///schema.json"

    /// Compiles `schema`.
    ///
    /// - Parameters:
    ///   - schema: The schema (an object or a boolean).
    ///   - baseURI: The URI the schema is known by, against which relative `$ref`s and `$id`s resolve.
    ///   - registry: Other documents that `$ref`s may reach.
    ///   - options: Format assertion, default dialect, error limit.
    /// - Throws: ``SchemaError`` naming the place of the first problem.
    public init(
        schema: JSON, baseURI: String = Validator.defaultBaseURI, registry: SchemaRegistry = SchemaRegistry(),
        options: ValidatorOptions = ValidatorOptions()
    ) throws(SchemaError) {
        let compiler = SchemaCompiler(registry: registry, options: options)
        let root = try compiler.compileRoot(schema, uri: baseURI)
        self.root = NodeRef(root)
        self.graph = compiler.allNodes
        self.tracksDynamicScope = compiler.usesDynamicScope
        self.maxErrors = options.maxErrors
        self.maxDepth = options.maxDepth
    }

    /// Compiles the schema that `reference` (a URI with an optional fragment, such as
    /// `file:///schemas/pet.json#/$defs/Tag`) designates in `registry`.
    /// - Throws: ``SchemaError``.
    public init(reference: String, registry: SchemaRegistry, options: ValidatorOptions = ValidatorOptions()) throws(SchemaError) {
        let compiler = SchemaCompiler(registry: registry, options: options)
        let root = try compiler.compileReference(reference)
        self.root = NodeRef(root)
        self.graph = compiler.allNodes
        self.tracksDynamicScope = compiler.usesDynamicScope
        self.maxErrors = options.maxErrors
        self.maxDepth = options.maxDepth
    }

    /// Whether `instance` is valid (stops at the first failure).
    public func isValid(_ instance: JSONValue) -> Bool {
        withExtendedLifetime(instance.document) { isValid(node: instance.node) }
    }

    /// Every error of `instance` (up to ``ValidatorOptions/maxErrors``); empty when it is valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        withExtendedLifetime(instance.document) { validate(node: instance.node) }
    }

    /// Whether `instance` is valid. A value JSON cannot hold (a non-finite number) is not.
    public func isValid(_ instance: JSON) -> Bool {
        guard let document = try? JSONDocument(instance) else { return false }
        return isValid(document.root)
    }

    /// Every error of `instance`; empty when it is valid.
    public func validate(_ instance: JSON) -> [ValidationError] {
        do {
            return validate(try JSONDocument(instance).root)
        } catch {
            return [
                ValidationError(
                    instancePath: [], keywordPath: [], schemaLocation: root.node.location,
                    keyword: "type", instance: nil, message: error.reason)
            ]
        }
    }

    /// Whether a node of a live document is valid.
    package func isValid(node: JSONNode) -> Bool {
        var context = EvaluationContext(collecting: false, tracksDynamicScope: tracksDynamicScope, maxErrors: maxErrors, maxDepth: maxDepth)
        var annotations: Annotations? = nil
        return withExtendedLifetime(graph) { Evaluator.evaluate(root.node, node, &context, &annotations) }
    }

    /// Every error of a node of a live document.
    ///
    /// A fast yes/no pass runs first; only an invalid instance pays for the second,
    /// collecting pass that tracks locations and builds messages.
    package func validate(node: JSONNode) -> [ValidationError] {
        if isValid(node: node) { return [] }
        var context = EvaluationContext(collecting: true, tracksDynamicScope: tracksDynamicScope, maxErrors: maxErrors, maxDepth: maxDepth)
        var annotations: Annotations? = nil
        _ = withExtendedLifetime(graph) { Evaluator.evaluate(root.node, node, &context, &annotations) }
        if context.errors.isEmpty {
            // Cannot happen when both passes agree; never claim "valid" for an invalid instance.
            return [
                ValidationError(
                    instancePath: [], keywordPath: [], schemaLocation: root.node.location,
                    keyword: "schema", instance: node.json, message: "the value does not match the schema")
            ]
        }
        return context.errors
    }
}
