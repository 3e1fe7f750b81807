internal import Foundation
internal import Hummingbird
internal import NIOCore
internal import TrellisJSON

/// The bodies of error answers, in the configured format.
enum ErrorBody {
    static func response(_ status: HTTPResponse.Status, detail: String, format: TrellisConfiguration.ErrorFormat) -> Response {
        switch format {
        case .fastAPI:
            return json(status, ["detail": .string(detail)], contentType: "application/json")
        case .problemDetails:
            return json(status, ["type": "about:blank", "title": .string(status.reasonPhrase), "status": .integer(Int64(status.code)), "detail": .string(detail)],
                contentType: "application/problem+json")
        }
    }

    static func validationResponse(_ issues: [ValidationIssue], format: TrellisConfiguration.ErrorFormat) -> Response {
        switch format {
        case .fastAPI:
            return json(.unprocessableContent, ["detail": .array(issues.map(\.json))], contentType: "application/json")
        case .problemDetails:
            return json(.unprocessableContent, [
                "type": "about:blank", "title": "Unprocessable Content", "status": 422,
                "detail": .string("\(issues.count) validation error\(issues.count == 1 ? "" : "s")"), "errors": .array(issues.map(\.json)),
            ], contentType: "application/problem+json")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: JSON, contentType: String) -> Response {
        var writer = JSONWriter()
        writer.write(body)
        return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
