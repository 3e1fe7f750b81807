internal import TrellisCore
internal import TrellisJSON

/// Adds to a generated OpenAPI document what the runtime answers by itself, so that the
/// document lists every status the server can send: 422 (with FastAPI's
/// `HTTPValidationError`, or problem details) where there are parameters or a body, 413
/// and 415 where there is a body, 400 where it may be `multipart/form-data`, 500 (an unexpected error), 501 (a handler stub) and, with a
/// request timeout or a bound on requests in flight, 503 everywhere. (The schemas `ValidationError`, `HTTPValidationError`,
/// `ErrorDetail`, `Problem` and `ValidationProblem` are the runtime's: a model of the same
/// name is replaced.) Its first server is the one that serves it, or the configured public URL.
enum OpenAPIAugmenter {
    static func augment(_ documents: [String], services: [ServiceDescription], configuration: TrellisConfiguration) -> JSON {
        let format = configuration.errorFormat
        var merged = (try? JSON(parsing: documents.first ?? "{}", options: .serviceDocuments))?.objectValue ?? JSONObject()
        // Several services: merge their paths and components into the first document.
        for text in documents.dropFirst() {
            guard let other = (try? JSON(parsing: text, options: .serviceDocuments))?.objectValue else { continue }
            var paths = merged["paths"]?.objectValue ?? JSONObject()
            for (path, item) in other["paths"]?.objectValue ?? JSONObject() { paths[path] = item }
            merged["paths"] = .object(paths)
            var components = merged["components"]?.objectValue ?? JSONObject()
            for (kind, entries) in other["components"]?.objectValue ?? JSONObject() {
                var existing = components[kind]?.objectValue ?? JSONObject()
                for (name, value) in entries.objectValue ?? JSONObject() where existing[name] == nil { existing[name] = value }
                components[kind] = .object(existing)
            }
            merged["components"] = .object(components)
        }
        // The first server is the one that serves the document (a relative URL, as FastAPI's:
        // "Try it out" reaches it whatever its host and port), or the configured public URL;
        // the declaration's servers follow.
        let base = configuration.docs.publicURL.flatMap(PublicURL.init) ?? .root
        var servers: [JSON] = [["url": .string(base.serverURL), "description": "The server that serves this document"]]
        for server in merged["servers"]?.arrayValue ?? [] where server["url"]?.stringValue != base.serverURL { servers.append(server) }
        merged["servers"] = .array(servers)
        let errorContentType = format == .fastAPI ? "application/json" : "application/problem+json"
        let validationSchema: JSON = ["$ref": .string("#/components/schemas/" + (format == .fastAPI ? "HTTPValidationError" : "ValidationProblem"))]
        let errorSchema: JSON = ["$ref": .string("#/components/schemas/" + (format == .fastAPI ? "ErrorDetail" : "Problem"))]
        func response(_ description: String, _ schema: JSON) -> JSON {
            ["description": .string(description), "content": [errorContentType: ["schema": schema]]]
        }
        var paths = merged["paths"]?.objectValue ?? JSONObject()
        for (path, item) in paths {
            var pathItem = item.objectValue ?? JSONObject()
            for (method, operation) in pathItem {
                guard var object = operation.objectValue else { continue }
                var responses = object["responses"]?.objectValue ?? JSONObject()
                let hasBody = object["requestBody"] != nil
                let hasParameters = (object["parameters"]?.arrayValue?.isEmpty == false)
                if (hasBody || hasParameters) && responses["422"] == nil { responses["422"] = response("Validation Error", validationSchema) }
                if hasBody && responses["413"] == nil { responses["413"] = response("Request body too large", errorSchema) }
                if hasBody && responses["415"] == nil { responses["415"] = response("Unsupported media type", errorSchema) }
                let multipart = object["requestBody"]?["content"]?["multipart/form-data"] != nil
                if multipart && responses["400"] == nil { responses["400"] = response("Malformed multipart/form-data body, or too many parts", errorSchema) }
                if responses["501"] == nil { responses["501"] = response("Not implemented yet", errorSchema) }
                if responses["500"] == nil { responses["500"] = response("Internal server error", errorSchema) }
                if responses["503"] == nil {
                    switch (configuration.requestTimeout != nil, configuration.maxRequestsInFlight != nil) {
                    case (true, true):
                        responses["503"] = response("The server is at capacity (retry after Retry-After), or the request took too long", errorSchema)
                    case (true, false): responses["503"] = response("The request took too long", errorSchema)
                    case (false, true): responses["503"] = response("The server is at capacity: retry after Retry-After", errorSchema)
                    case (false, false): break
                    }
                }
                object["responses"] = .object(responses)
                pathItem[method] = .object(object)
            }
            paths[path] = .object(pathItem)
        }
        merged["paths"] = .object(paths)
        var components = merged["components"]?.objectValue ?? JSONObject()
        var schemas = components["schemas"]?.objectValue ?? JSONObject()
        let issue: JSON = [
            "title": "ValidationError", "type": "object", "required": ["loc", "msg", "type"],
            "properties": [
                "loc": ["title": "Location", "type": "array", "items": ["anyOf": [["type": "string"], ["type": "integer"]]]],
                "msg": ["title": "Message", "type": "string"], "type": ["title": "Error Type", "type": "string"],
                "input": ["title": "Input"], "ctx": ["title": "Context", "type": "object"],
            ],
        ]
        if format == .fastAPI {
            schemas["ValidationError"] = issue
            schemas["HTTPValidationError"] = [
                "title": "HTTPValidationError", "type": "object",
                "properties": ["detail": ["title": "Detail", "type": "array", "items": ["$ref": "#/components/schemas/ValidationError"]]],
            ]
            schemas["ErrorDetail"] = ["title": "ErrorDetail", "type": "object", "required": ["detail"], "properties": ["detail": ["type": "string"]]]
        } else {
            let problem: JSONObject = JSONObject(
                [
                    ("type", "string"), ("title", "string"), ("status", "integer"), ("detail", "string"),
                ].map { ($0.0, ["type": .string($0.1)]) as (String, JSON) })
            schemas["Problem"] = ["title": "Problem", "type": "object", "properties": .object(problem)]
            var withErrors = problem
            withErrors["errors"] = ["type": "array", "items": issue]
            schemas["ValidationProblem"] = ["title": "ValidationProblem", "type": "object", "properties": .object(withErrors)]
        }
        components["schemas"] = .object(schemas)
        merged["components"] = .object(components)
        return .object(merged)
    }
}
