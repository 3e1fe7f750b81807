internal import TrellisJSON

extension Evaluator {
    /// Evaluates one keyword.
    static func evaluate(
        _ keyword: Keyword, of node: SchemaNode, _ instance: JSONNode, _ context: inout EvaluationContext, _ annotations: inout Annotations?
    ) -> Bool {
        switch keyword {
        case .type(let types):
            guard matches(types, instance) else {
                report(&context, node, keyword: "type", parameters: JSONObject([("type", types.json)]), instance: instance)
                return false
            }
            return true

        case .enumeration(let values):
            if values.strings != nil {
                if let bytes = instance.utf8, values.contains(utf8: bytes) { return true }
            } else if values.values.contains(where: { InstanceEquality.equal(instance, $0) }) {
                return true
            }
            report(
                &context, node, keyword: "enum",
                parameters: JSONObject([("expected", .array(values.values))]), instance: instance)
            return false

        case .constant(let value):
            guard InstanceEquality.equal(instance, value) else {
                report(&context, node, keyword: "const", parameters: JSONObject([("expected", value)]), instance: instance)
                return false
            }
            return true

        case .ref(let target, let name):
            return descend(target.node, instance, keyword: name, &context, &annotations)

        case .dynamicRef(let initial, let anchor):
            var target = initial.node
            for resource in context.dynamicScope {
                if let dynamic = resource.resource.dynamicAnchors[anchor] {
                    target = dynamic.node
                    break
                }
            }
            return descend(target, instance, keyword: "$dynamicRef", &context, &annotations)

        case .recursiveRef(let initial):
            var target = initial.node
            for resource in context.dynamicScope where resource.resource.recursiveAnchor {
                if let root = resource.resource.root {
                    target = root.node
                    break
                }
            }
            return descend(target, instance, keyword: "$recursiveRef", &context, &annotations)

        case .allOf(let schemas):
            var valid = true
            for (index, schema) in schemas.enumerated() {
                if !descend(schema.node, instance, keyword: "allOf", at: String(index), &context, &annotations) {
                    valid = false
                    if !context.collecting || context.isFull { return false }
                }
            }
            return valid

        case .anyOf(let schemas):
            var valid = false
            for schema in schemas {
                if test(schema.node, instance, &context, &annotations) {
                    valid = true
                    if annotations == nil { break }
                }
            }
            if !valid {
                report(&context, node, keyword: "anyOf", instance: instance)
            }
            return valid

        case .oneOf(let schemas):
            var matched: [Int] = []
            var kept: Annotations? = nil
            for (index, schema) in schemas.enumerated() {
                var branch: Annotations? = annotations == nil ? nil : Annotations()
                if test(schema.node, instance, &context, &branch) {
                    matched.append(index)
                    kept = branch
                    if matched.count > 1 && !context.collecting { break }
                }
            }
            if matched.count == 1 {
                if let kept { annotations?.merge(kept) }
                return true
            }
            report(&context, node, keyword: "oneOf", parameters: JSONObject([("matched", .array(matched.map { .integer(Int64($0)) }))]), instance: instance)
            return false

        case .not(let schema):
            var ignored: Annotations? = nil
            if test(schema.node, instance, &context, &ignored) {
                report(&context, node, keyword: "not", instance: instance)
                return false
            }
            return true

        case .conditional(let condition, let then, let otherwise):
            var branch: Annotations? = annotations == nil ? nil : Annotations()
            if test(condition.node, instance, &context, &branch) {
                if let branch { annotations?.merge(branch) }
                guard let then else { return true }
                return descend(then.node, instance, keyword: "then", &context, &annotations)
            }
            guard let otherwise else { return true }
            return descend(otherwise.node, instance, keyword: "else", &context, &annotations)

        case .format(let checker):
            guard let text = instance.string else { return true }
            guard checker.check(text) else {
                report(&context, node, keyword: "format", parameters: JSONObject([("format", .string(checker.name))]), instance: instance)
                return false
            }
            return true

        case .content(let check):
            guard let text = instance.string else { return true }
            if let problem = check.problem(with: text) {
                report(&context, node, keyword: problem.keyword, instance: instance)
                return false
            }
            return true

        case .minimum(let limit, let exclusive):
            guard let number = instance.number else { return true }
            let order = number.compare(to: limit)
            if exclusive ? order > 0 : order >= 0 { return true }
            report(
                &context, node, keyword: exclusive ? "exclusiveMinimum" : "minimum",
                parameters: JSONObject([(exclusive ? "exclusiveMinimum" : "minimum", limit.json)]), instance: instance)
            return false

        case .maximum(let limit, let exclusive):
            guard let number = instance.number else { return true }
            let order = number.compare(to: limit)
            if exclusive ? order < 0 : order <= 0 { return true }
            report(
                &context, node, keyword: exclusive ? "exclusiveMaximum" : "maximum",
                parameters: JSONObject([(exclusive ? "exclusiveMaximum" : "maximum", limit.json)]), instance: instance)
            return false

        case .multipleOf(let divisor):
            guard let number = instance.number, !divisor.divides(number) else { return true }
            report(&context, node, keyword: "multipleOf", parameters: JSONObject([("multipleOf", divisor.value.json)]), instance: instance)
            return false

        case .minLength(let limit):
            guard let bytes = instance.utf8 else { return true }
            if bytes.count / 4 >= limit || scalarCount(bytes) >= limit { return true }
            report(
                &context, node, keyword: "minLength",
                parameters: JSONObject([("minLength", .integer(Int64(limit)))]), instance: instance)
            return false

        case .maxLength(let limit):
            guard let bytes = instance.utf8 else { return true }
            if bytes.count <= limit || scalarCount(bytes) <= limit { return true }
            report(
                &context, node, keyword: "maxLength",
                parameters: JSONObject([("maxLength", .integer(Int64(limit)))]), instance: instance)
            return false

        case .pattern(let regex, let source):
            guard let bytes = instance.utf8, !regex.matches(utf8: bytes) else { return true }
            report(&context, node, keyword: "pattern", parameters: JSONObject([("pattern", .string(source))]), instance: instance)
            return false

        case .minItems(let limit):
            guard instance.isArray, instance.count < limit else { return true }
            report(
                &context, node, keyword: "minItems",
                parameters: JSONObject([("minItems", .integer(Int64(limit)))]), instance: instance)
            return false

        case .maxItems(let limit):
            guard instance.isArray, instance.count > limit else { return true }
            report(
                &context, node, keyword: "maxItems",
                parameters: JSONObject([("maxItems", .integer(Int64(limit)))]), instance: instance)
            return false

        case .uniqueItems:
            guard instance.isArray, let (first, second) = InstanceEquality.firstDuplicate(in: instance) else { return true }
            report(
                &context, node, keyword: "uniqueItems", parameters: JSONObject([("duplicates", [.integer(Int64(first)), .integer(Int64(second))])]),
                instance: instance)
            return false

        case .items(let prefix, let prefixKeyword, let rest, let restKeyword):
            return evaluateItems(prefix: prefix, prefixKeyword: prefixKeyword, rest: rest, restKeyword: restKeyword, node, instance, &context, &annotations)

        case .contains(let schema, let minimum, let maximum, let annotates):
            var seen: Annotations? = annotates ? annotations : nil
            let valid = evaluateContains(schema, min: minimum, max: maximum, node, instance, &context, &seen)
            if annotates, let seen { annotations = seen }
            return valid

        case .unevaluatedItems(let schema):
            guard instance.isArray else { return true }
            var valid = true
            let seen = annotations ?? Annotations()
            for index in 0..<instance.count where !seen.evaluated(item: index) {
                var ignored: Annotations? = nil
                if !descend(schema.node, instance[index: index], keyword: "unevaluatedItems", instanceToken: String(index), &context, &ignored) {
                    valid = false
                    if !context.collecting || context.isFull { return false }
                }
            }
            if valid { annotations?.allItems = true }
            return valid

        case .minProperties(let limit):
            guard instance.isObject, instance.count < limit else { return true }
            report(
                &context, node, keyword: "minProperties",
                parameters: JSONObject([("minProperties", .integer(Int64(limit)))]), instance: instance)
            return false

        case .maxProperties(let limit):
            guard instance.isObject, instance.count > limit else { return true }
            report(
                &context, node, keyword: "maxProperties",
                parameters: JSONObject([("maxProperties", .integer(Int64(limit)))]), instance: instance)
            return false

        case .required(let names):
            guard instance.isObject else { return true }
            var valid = true
            for name in names where name.lookup(in: instance) == nil {
                valid = false
                guard context.collecting, !context.isFull else { return false }
                report(&context, node, keyword: "required", parameters: JSONObject([("property", .string(name.name))]), instance: nil, at: name.name)
            }
            return valid

        case .dependentRequired(let dependencies):
            guard instance.isObject else { return true }
            var valid = true
            for (trigger, names) in dependencies where trigger.lookup(in: instance) != nil {
                for name in names where name.lookup(in: instance) == nil {
                    valid = false
                    guard context.collecting, !context.isFull else { return false }
                    report(
                        &context, node, keyword: "dependentRequired",
                        parameters: JSONObject([("property", .string(name.name)), ("dependency", .string(trigger.name))]),
                        instance: nil, at: name.name)
                }
            }
            return valid

        case .dependentSchemas(let dependencies):
            guard instance.isObject else { return true }
            var valid = true
            for (trigger, schema) in dependencies where trigger.lookup(in: instance) != nil {
                if !descend(schema.node, instance, keyword: "dependentSchemas", at: trigger.name, &context, &annotations) {
                    valid = false
                    if !context.collecting || context.isFull { return false }
                }
            }
            return valid

        case .properties(let properties):
            return evaluateProperties(properties, node, instance, &context, &annotations)

        case .propertyNames(let schema):
            guard instance.isObject else { return true }
            var valid = true
            for (name, _) in instance.members {
                let document = try? JSONDocument(.string(name))
                guard let document else { continue }
                let ok = withExtendedLifetime(document) {
                    var ignored: Annotations? = nil
                    return test(schema.node, document.rootNode, &context, &ignored)
                }
                if !ok {
                    valid = false
                    guard context.collecting, !context.isFull else { return false }
                    report(&context, node, keyword: "propertyNames", parameters: JSONObject([("property", .string(name))]), instance: nil, at: name)
                }
            }
            return valid

        case .unevaluatedProperties(let schema):
            guard instance.isObject else { return true }
            var valid = true
            let seen = annotations ?? Annotations()
            instance.forEachMember { keyBytes, value in
                guard !seen.evaluated(property: keyBytes) else { return true }
                let name = String(decoding: keyBytes, as: UTF8.self)
                var ignored: Annotations? = nil
                if schema.node.constant == false {
                    valid = false
                    guard context.collecting, !context.isFull else { return false }
                    report(&context, node, keyword: "unevaluatedProperties", parameters: JSONObject([("property", .string(name))]), instance: value, at: name)
                } else if !descend(schema.node, value, keyword: "unevaluatedProperties", instanceToken: name, &context, &ignored) {
                    valid = false
                    if !context.collecting || context.isFull { return false }
                }
                return !context.isFull
            }
            if valid { annotations?.allProperties = true }
            return valid
        }
    }

    // MARK: - Helpers

    @inline(__always)
    static func matches(_ types: TypeSet, _ instance: JSONNode) -> Bool {
        switch instance.kind {
        case .string: return types.contains(.string)
        case .integer: return types.contains(.integer) || types.contains(.number)
        case .real:
            if types.contains(.number) { return true }
            guard types.contains(.integer), let value = instance.real else { return false }
            // Draft-04 counts only integer literals, and integers too large for 64 bits
            // (which the parser may have read as reals).
            if types.contains(.strictIntegers) { return value.magnitude >= 9.2e18 && value.rounded(.towardZero) == value }
            return value.isFinite && value.rounded(.towardZero) == value
        case .object: return types.contains(.object)
        case .array: return types.contains(.array)
        case .bool: return types.contains(.boolean)
        case .null: return types.contains(.null)
        }
    }

    /// The number of Unicode scalars in valid UTF-8.
    @inline(__always)
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    static func evaluateItems(
        prefix: [NodeRef], prefixKeyword: String, rest: NodeRef?, restKeyword: String,
        _ node: SchemaNode, _ instance: JSONNode, _ context: inout EvaluationContext, _ annotations: inout Annotations?
    ) -> Bool {
        guard instance.isArray else { return true }
        let count = instance.count
        var valid = true
        for index in 0..<count {
            var ignored: Annotations? = nil
            let schema: SchemaNode
            let ok: Bool
            if index < prefix.count {
                schema = prefix[index].node
                ok = descend(schema, instance[index: index], keyword: prefixKeyword, at: String(index), instanceToken: String(index), &context, &ignored)
            } else if let rest {
                schema = rest.node
                if schema.constant == false {
                    report(&context, node, keyword: restKeyword, parameters: JSONObject([("allowed", .integer(Int64(prefix.count)))]), instance: instance)
                    return false
                }
                ok = descend(schema, instance[index: index], keyword: restKeyword, instanceToken: String(index), &context, &ignored)
            } else {
                break
            }
            if !ok {
                valid = false
                if !context.collecting || context.isFull { return false }
            }
        }
        if valid {
            if rest != nil {
                annotations?.allItems = true
            } else if let previous = annotations?.itemPrefix {
                annotations?.itemPrefix = max(previous, min(count, prefix.count))
            }
        }
        return valid
    }

    static func evaluateContains(
        _ schema: NodeRef, min minimum: Int, max maximum: Int?,
        _ node: SchemaNode, _ instance: JSONNode, _ context: inout EvaluationContext, _ annotations: inout Annotations?
    ) -> Bool {
        guard instance.isArray else { return true }
        var matches = 0
        var indices: [Int] = []
        for index in 0..<instance.count {
            var ignored: Annotations? = nil
            if test(schema.node, instance[index: index], &context, &ignored) {
                matches += 1
                if annotations != nil { indices.append(index) }
                if annotations == nil, maximum == nil, matches >= minimum { break }
            }
        }
        if matches < minimum {
            report(
                &context, node, keyword: minimum == 1 ? "contains" : "minContains",
                parameters: JSONObject([("minContains", .integer(Int64(minimum))), ("matches", .integer(Int64(matches)))]), instance: instance)
            return false
        }
        if let maximum, matches > maximum {
            report(
                &context, node, keyword: "maxContains",
                parameters: JSONObject([("maxContains", .integer(Int64(maximum))), ("matches", .integer(Int64(matches)))]), instance: instance)
            return false
        }
        annotations?.itemIndices.formUnion(indices)
        return true
    }

    static func evaluateProperties(
        _ properties: ObjectProperties, _ node: SchemaNode, _ instance: JSONNode,
        _ context: inout EvaluationContext, _ annotations: inout Annotations?
    ) -> Bool {
        guard instance.isObject else { return true }
        var valid = true
        var found = 0
        for (key, schema) in properties.properties {
            guard let value = key.lookup(in: instance) else { continue }
            found += 1
            var ignored: Annotations? = nil
            if !descend(schema.node, value, keyword: "properties", at: key.name, instanceToken: key.name, &context, &ignored) {
                valid = false
                if !context.collecting || context.isFull { return false }
            }
            annotations?.properties.insert(ByteString(Array(key.name.utf8)))
        }
        // Only names outside `properties` need the pattern and additional checks.
        guard !properties.patterns.isEmpty || (properties.additional != nil && found < instance.count) else { return valid }
        var result = valid
        instance.forEachMember { keyBytes, value in
            let name = String(decoding: keyBytes, as: UTF8.self)
            var matched = properties.declares(name, bytes: keyBytes)
            for (regex, pattern, schema) in properties.patterns where regex.matches(utf8: keyBytes) {
                matched = true
                var ignored: Annotations? = nil
                if !descend(schema.node, value, keyword: "patternProperties", at: pattern, instanceToken: name, &context, &ignored) {
                    result = false
                    if !context.collecting || context.isFull { return false }
                }
                annotations?.properties.insert(ByteString(Array(keyBytes)))
            }
            if !matched, let additional = properties.additional {
                var ignored: Annotations? = nil
                if additional.node.constant == false {
                    result = false
                    guard context.collecting, !context.isFull else { return false }
                    report(&context, node, keyword: "additionalProperties", parameters: JSONObject([("property", .string(name))]), instance: value, at: name)
                } else if !descend(additional.node, value, keyword: "additionalProperties", instanceToken: name, &context, &ignored) {
                    result = false
                    if !context.collecting || context.isFull { return false }
                }
                annotations?.properties.insert(ByteString(Array(keyBytes)))
            }
            return true
        }
        return result
    }
}
