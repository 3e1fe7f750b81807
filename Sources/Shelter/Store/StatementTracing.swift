import Tracing

/// A client span around one statement, a child of the request's span when there is one:
/// named `SELECT animals` (the operation and its table, as OpenTelemetry's database
/// conventions name spans), with `db.system.name` and the statement's text (its values are
/// bound parameters, never in the text).
func traced<T>(_ system: String, _ statement: String, _ body: () async throws -> T) async throws -> T {
    try await withSpan(spanName(statement), ofKind: .client) { span in
        span.attributes["db.system.name"] = system
        span.attributes["db.query.text"] = statement
        return try await body()
    }
}

/// `INSERT animals` for `INSERT INTO animals (...)`; the first word alone when no table follows.
func spanName(_ statement: String) -> String {
    let words = statement.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == "," }).map(String.init)
    guard let operation = words.first?.uppercased() else { return "SQL" }
    let marker: String? =
        switch operation {
        case "SELECT", "DELETE": "FROM"
        case "INSERT": "INTO"
        case "UPDATE": nil
        default: nil
        }
    if operation == "UPDATE", words.count > 1 { return "UPDATE " + words[1] }
    if let marker, let index = words.firstIndex(where: { $0.uppercased() == marker }), index + 1 < words.count {
        return operation + " " + words[index + 1]
    }
    return operation
}
