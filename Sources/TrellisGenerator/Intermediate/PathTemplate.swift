/// A path template such as `/pets/{petId}/photos`: its parameters, and a normal form in
/// which two templates that match the same requests are equal.
struct PathTemplate {
    /// The parameter names in order.
    var parameters: [String] = []
    /// The template with every parameter written `{}`.
    var normalized: String = ""
    /// What is wrong with the template, if anything.
    var problem: String?

    init(_ path: String) {
        var segments: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
                let name = String(segment.dropFirst().dropLast())
                if parameters.contains(name) { problem = "parameter {\(name)} appears twice" }
                if name.contains("{") || name.contains("}") { problem = "malformed parameter \(segment)" }
                parameters.append(name)
                segments.append("{}")
            } else if segment.contains("{") || segment.contains("}") {
                problem = "a parameter must be a whole path segment (\(segment))"
                segments.append(String(segment))
            } else {
                segments.append(String(segment))
            }
        }
        normalized = "/" + segments.joined(separator: "/")
    }
}

/// HTTP status reason phrases, for default response descriptions and Swift case names.
enum HTTPStatus {
    static let reasons: [Int: String] = [
        100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
        203: "Non-Authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
        402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
        408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
        413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        417: "Expectation Failed", 418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Content",
        423: "Locked", 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
        429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported",
    ]

    /// OpenAPI's status ranges, by their first digit.
    static let ranges: [Int: (caseName: String, reason: String)] = [
        1: ("informational", "informational"), 2: ("success", "successful"), 3: ("redirection", "redirection"),
        4: ("clientError", "client error"), 5: ("serverError", "server error"),
    ]

    static func reason(_ status: ResponseStatus) -> String {
        switch status {
        case .default: return "Any other answer"
        case .range(let hundreds): return "Any \(ranges[hundreds]?.reason ?? "other") answer (\(status))"
        case .code(let code): return reasons[code] ?? "Status \(code)"
        }
    }

    /// A Swift case name for a status: `ok`, `notFound`, `status299`, `default`.
    static func caseName(_ status: ResponseStatus) -> String {
        switch status {
        case .default: return "`default`"
        case .range(let hundreds): return ranges[hundreds]?.caseName ?? "status\(hundreds)XX"
        case .code(let code):
            if let reason = reasons[code] { return SwiftNaming.memberName(reason.filter { $0 != "'" }) }
            return "status\(code)"
        }
    }
}
