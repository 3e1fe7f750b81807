internal import TrellisCore
internal import TrellisJSON

/// `application/x-www-form-urlencoded` bodies, read into the JSON object their schema
/// validates: each declared field as a query parameter of its type and style would be
/// (`tags=a&tags=b` an array, `age=3` an integer), any other field as text.
enum FormBody {
    /// The form's fields as an object, and the issues of the fields that do not read as
    /// their type (at `["body", field]`; the object is then incomplete).
    static func read(_ bytes: some Collection<UInt8>, fields: [ParameterDescription]) -> (object: JSON, issues: [ValidationIssue]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (items, malformed) = PercentDecoding.query(text[...])
        // A field that does not decode is reported, not dropped: the form is the whole body.
        if !malformed.isEmpty {
            return (.object(JSONObject()), malformed.map { .undecodable([.string("body"), .string($0.name)], input: $0.value) })
        }
        let result = object(items, fields: fields)
        return (.object(result.object), result.issues)
    }

    /// Named texts (a form's, or a multipart body's fields) as an object: each declared field
    /// read as its type and style, any other as text; with the issues of the fields that do
    /// not read as their type.
    static func object(_ items: [(name: String, value: String)], fields: [ParameterDescription]) -> (object: JSONObject, issues: [ValidationIssue]) {
        var items = items
        var object = JSONObject()
        var issues: [ValidationIssue] = []
        // A JSON object's member name cannot hold NUL (the form could not be validated as one).
        for item in items where item.name.utf8.contains(0) {
            issues.append(
                ValidationIssue(
                    type: "value_error", loc: [.string("body"), .string(item.name)], msg: "Value error, a field name may not contain NUL", input: nil, ctx: nil)
            )
        }
        if !issues.isEmpty { return (object, issues) }
        items.removeAll { $0.name.isEmpty && $0.value.isEmpty }
        var claimed: Set<String> = []
        for field in fields {
            let texts = ParameterCoercion.queryTexts(items, for: field)
            claimed.insert(field.name)
            guard !texts.isEmpty else { continue }
            switch ParameterCoercion.coerce(texts, as: field, loc: [.string("body"), .string(field.name)]) {
            case .success(let value): object[field.name] = value
            case .failure(let issue): issues.append(issue)
            }
        }
        // Fields the form does not describe: text, or several texts (the schema says whether
        // they may be there at all).
        var others: [(name: String, values: [JSON])] = []
        for item in items where !claimed.contains(item.name) && !fields.contains(where: { item.name.hasPrefix($0.name + "[") }) {
            if let index = others.firstIndex(where: { $0.name == item.name }) {
                others[index].values.append(.string(item.value))
            } else {
                others.append((item.name, [.string(item.value)]))
            }
        }
        for other in others { object[other.name] = other.values.count == 1 ? other.values[0] : .array(other.values) }
        return (object, issues)
    }
}
