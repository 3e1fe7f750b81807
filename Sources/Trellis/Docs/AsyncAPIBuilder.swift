internal import Foundation
internal import TrellisCore
internal import TrellisJSON

/// The service's channels — its WebSockets and server-sent-event streams — as an AsyncAPI 3.0
/// document, served beside the OpenAPI one: OpenAPI has no words for a WebSocket, whose route
/// an OpenAPI tool would call as a plain `GET`. The generated OpenAPI document carries each
/// WebSocket as such a `GET` with its message schemas (`x-trellis-websocket`); this moves it
/// out, into a channel with a `receive` and a `send` operation, and describes each stream of
/// `text/event-stream` as a channel with a `send` operation (the stream stays in the OpenAPI
/// document too: it is an HTTP `GET`). Payload schemas are the OpenAPI document's components,
/// referenced the same way.
enum AsyncAPIBuilder {
    /// `openAPI` without its WebSocket routes, and the AsyncAPI document of the channels (nil
    /// when there are none). `webSocketSecurity`: each WebSocket's requirements, by path.
    static func split(_ openAPI: JSON, webSocketSecurity: [String: [SecurityRequirement]]) -> (openAPI: JSON, asyncAPI: JSON?) {
        guard var document = openAPI.objectValue else { return (openAPI, nil) }
        var paths = document["paths"]?.objectValue ?? JSONObject()
        var channels = JSONObject()
        var operations = JSONObject()
        for (path, item) in paths {
            guard var pathItem = item.objectValue else { continue }
            if let get = pathItem["get"]?.objectValue, let messages = get["x-trellis-websocket"] {
                let id = get["operationId"]?.stringValue ?? path
                var channel = JSONObject([("address", .string(path))])
                if let summary = get["summary"] { channel["summary"] = summary }
                if let description = get["description"] { channel["description"] = description }
                channel["messages"] = [
                    "received": ["name": "received", "title": "From the client", "contentType": "application/json", "payload": messages["receive"] ?? true],
                    "sent": ["name": "sent", "title": "From the server", "contentType": "application/json", "payload": messages["send"] ?? true],
                ]
                // The upgrade request's parameters: the path's as the channel's, the query's and
                // the headers' as the WebSocket binding's (object schemas, one property each).
                var binding = JSONObject([("method", "GET")])
                var pathParameters = JSONObject()
                for location in ["query", "header"] {
                    var properties = JSONObject()
                    var required: [JSON] = []
                    for parameter in get["parameters"]?.arrayValue ?? [] where parameter["in"]?.stringValue == location {
                        guard let name = parameter["name"]?.stringValue else { continue }
                        properties[name] = parameter["schema"] ?? true
                        if parameter["required"] == true { required.append(.string(name)) }
                    }
                    guard properties.count > 0 else { continue }
                    var schema = JSONObject([("type", "object"), ("properties", .object(properties))])
                    if !required.isEmpty { schema["required"] = .array(required) }
                    binding[location == "query" ? "query" : "headers"] = .object(schema)
                }
                for parameter in get["parameters"]?.arrayValue ?? [] where parameter["in"]?.stringValue == "path" {
                    guard let name = parameter["name"]?.stringValue else { continue }
                    var object = JSONObject()
                    if let description = parameter["description"] { object["description"] = description }
                    pathParameters[name] = .object(object)
                }
                if pathParameters.count > 0 { channel["parameters"] = .object(pathParameters) }
                binding["bindingVersion"] = "0.1.0"
                channel["bindings"] = ["ws": .object(binding)]
                channels[id] = .object(channel)
                let security = (webSocketSecurity[path] ?? []).flatMap(\.schemes).map(\.name)
                for (action, message, suffix) in [("receive", "received", "Receive"), ("send", "sent", "Send")] {
                    var operation = JSONObject([
                        ("action", .string(action)), ("channel", ["$ref": .string("#/channels/" + pointerToken(id))]),
                        ("messages", [["$ref": .string("#/channels/" + pointerToken(id) + "/messages/" + message)]]),
                    ])
                    if !security.isEmpty {
                        operation["security"] = .array(unique(security).map { ["$ref": .string("#/components/securitySchemes/" + pointerToken($0))] })
                    }
                    if let tags = get["tags"]?.arrayValue { operation["tags"] = .array(tags.map { ["name": $0] }) }
                    operations[id + suffix] = .object(operation)
                }
                pathItem["get"] = nil
                if pathItem.count == 0 { paths[path] = nil } else { paths[path] = .object(pathItem) }
                continue
            }
            for (method, value) in pathItem where method == "get" {
                guard let operation = value.objectValue, let id = operation["operationId"]?.stringValue,
                    let stream = (operation["responses"]?.objectValue ?? JSONObject()).lazy.compactMap({ $0.value["content"]?["text/event-stream"] }).first
                else { continue }
                var channel = JSONObject([("address", .string(path))])
                if let summary = operation["summary"] { channel["summary"] = summary }
                channel["description"] = "Server-sent events (text/event-stream), from a GET of this path; its parameters are in the OpenAPI document."
                channel["messages"] = ["event": ["name": "event", "contentType": "text/event-stream", "payload": stream["schema"] ?? ["type": "string"]]]
                channels[id] = .object(channel)
                var sending = JSONObject([
                    ("action", "send"), ("channel", ["$ref": .string("#/channels/" + pointerToken(id))]),
                    ("messages", [["$ref": .string("#/channels/" + pointerToken(id) + "/messages/event")]]),
                ])
                let security = (operation["security"]?.arrayValue ?? document["security"]?.arrayValue ?? []).flatMap {
                    ($0.objectValue ?? JSONObject()).map(\.key)
                }
                if !security.isEmpty {
                    sending["security"] = .array(unique(security).map { ["$ref": .string("#/components/securitySchemes/" + pointerToken($0))] })
                }
                operations[id] = .object(sending)
            }
        }
        document["paths"] = .object(paths)
        guard channels.count > 0 else { return (.object(document), nil) }
        var info = JSONObject()
        info["title"] = document["info"]?["title"] ?? "API"
        info["version"] = document["info"]?["version"] ?? "1"
        info["description"] = "The service's WebSocket and server-sent-event channels; its HTTP operations are described by its OpenAPI document."
        var components = JSONObject()
        if let schemas = document["components"]?["schemas"] { components["schemas"] = schemas }
        var schemes = JSONObject()
        for (name, scheme) in document["components"]?["securitySchemes"]?.objectValue ?? JSONObject() {
            if let converted = securityScheme(scheme) { schemes[name] = converted }
        }
        if schemes.count > 0 { components["securitySchemes"] = .object(schemes) }
        let asyncAPI = JSON.object(
            JSONObject([
                ("asyncapi", "3.0.0"), ("info", .object(info)), ("defaultContentType", "application/json"),
                ("channels", .object(channels)), ("operations", .object(operations)), ("components", .object(components)),
            ]))
        return (.object(document), asyncAPI)
    }

    /// An OpenAPI security scheme in AsyncAPI 3.0's words (`httpApiKey`, `availableScopes`).
    static func securityScheme(_ scheme: JSON) -> JSON? {
        var result = JSONObject()
        if let description = scheme["description"] { result["description"] = description }
        switch scheme["type"]?.stringValue {
        case "apiKey":
            result["type"] = "httpApiKey"
            result["name"] = scheme["name"] ?? ""
            result["in"] = scheme["in"] ?? "header"
        case "http":
            result["type"] = "http"
            result["scheme"] = scheme["scheme"] ?? "bearer"
            if let format = scheme["bearerFormat"] { result["bearerFormat"] = format }
        case "oauth2":
            result["type"] = "oauth2"
            var flows = JSONObject()
            for (name, flow) in scheme["flows"]?.objectValue ?? JSONObject() {
                var converted = flow.objectValue ?? JSONObject()
                converted["availableScopes"] = converted["scopes"] ?? [:]
                converted["scopes"] = nil
                flows[name] = .object(converted)
            }
            result["flows"] = .object(flows)
        case "openIdConnect":
            result["type"] = "openIdConnect"
            result["openIdConnectUrl"] = scheme["openIdConnectUrl"] ?? ""
        default:
            return nil
        }
        return .object(result)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// A JSON pointer token (`~` and `/` escaped).
    private static func pointerToken(_ text: String) -> String {
        text.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
