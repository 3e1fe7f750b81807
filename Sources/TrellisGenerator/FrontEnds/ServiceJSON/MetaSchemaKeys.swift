internal import TrellisJSON

/// The keys the declaration format allows in an object, for "did you mean" suggestions.
enum MetaSchemaKeys {
    static let root = [
        "$schema", "name", "info", "servers", "tags", "models", "securitySchemes", "security", "dependencies", "globalDependencies", "operations",
    ]
    static let info = ["title", "version", "summary", "description", "termsOfService", "contact", "license"]
    static let operation = ["method", "path", "summary", "description", "tags", "deprecated", "parameters", "body", "responses", "dependencies", "security"]
    static let parameters = ["path", "query", "header", "cookie"]
    static let parameter = ["schema", "required", "description", "deprecated", "style", "example"]
    static let body = ["schema", "contentType", "required", "description"]
    static let response = ["description", "schema", "contentType", "content", "stream", "headers"]
    static let dependency = ["type", "description", "parameters", "responses", "security"]
    static let tag = ["name", "description", "dependencies"]

    /// The keys allowed in the object at `pointer` of a declaration.
    static func allowedKeys(at pointer: JSONPointer, in root: JSON) -> [String] {
        let t = pointer.tokens
        switch t.count {
        case 0: return Self.root
        case 1 where t[0] == "info": return info
        case 2 where t[0] == "operations": return operation
        case 2 where t[0] == "dependencies": return dependency
        case 2 where t[0] == "tags": return tag
        case 3 where t[0] == "operations" && t[2] == "parameters": return parameters
        case 3 where t[0] == "operations" && t[2] == "body": return body
        case 4 where t[0] == "operations" && t[2] == "responses": return response
        case 5 where t[0] == "operations" && t[2] == "parameters": return parameter
        default: return []
        }
    }
}
