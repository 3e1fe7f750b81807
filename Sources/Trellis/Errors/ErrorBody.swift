internal import Foundation
internal import Hummingbird
internal import NIOCore
internal import TrellisJSON

/// The bodies of error answers, in the configured format.
enum ErrorBody {
    static func response(_ status: HTTPResponse.Status, detail: String, format: TrellisConfiguration.ErrorFormat) -> Response {
        let (bytes, contentType) = self.bytes(status, detail: detail, format: format)
        return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The body and its content type.
    static func bytes(_ status: HTTPResponse.Status, detail: String, format: TrellisConfiguration.ErrorFormat) -> (bytes: [UInt8], contentType: String) {
        var writer = JSONWriter()
        switch format {
        case .fastAPI:
            writer.write(["detail": .string(detail)])
            return (writer.bytes, "application/json")
        case .problemDetails:
            writer.write(["type": "about:blank", "title": .string(status.reasonPhrase), "status": .integer(Int64(status.code)), "detail": .string(detail)])
            return (writer.bytes, "application/problem+json")
        }
    }

    /// A whole HTTP/1.1 answer as bytes, closing the connection: for what is written beneath
    /// the HTTP encoder (``ConnectionGuard``'s 408).
    static func rawAnswer(_ status: HTTPResponse.Status, detail: String, format: TrellisConfiguration.ErrorFormat) -> [UInt8] {
        let (body, contentType) = bytes(status, detail: detail, format: format)
        let head =
            "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func validationResponse(_ issues: [ValidationIssue], format: TrellisConfiguration.ErrorFormat) -> Response {
        var writer = JSONWriter(capacity: 128 * issues.count + 64)
        let contentType: String
        switch format {
        case .fastAPI:
            writer.writeRaw("{\"detail\":")
            contentType = "application/json"
        case .problemDetails:
            writer.writeRaw("{\"type\":\"about:blank\",\"title\":\"Unprocessable Content\",\"status\":422,\"detail\":")
            writer.writeString("\(issues.count) validation error\(issues.count == 1 ? "" : "s")")
            writer.writeRaw(",\"errors\":")
            contentType = "application/problem+json"
        }
        writer.writeByte(UInt8(ascii: "["))
        issues.withUnsafeBufferPointer { issues in
            // Through the buffer: the array's subscript would copy each issue.
            for index in issues.indices {
                if index > 0 { writer.writeByte(UInt8(ascii: ",")) }
                issues[index].write(into: &writer)
            }
        }
        writer.writeRaw("]}")
        return Response(
            status: .unprocessableContent, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: writer.withBytes { ByteBuffer(bytes: $0) }))
    }

    static func json(_ status: HTTPResponse.Status, _ body: JSON, contentType: String) -> Response {
        var writer = JSONWriter()
        writer.write(body)
        return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: writer.withBytes { ByteBuffer(bytes: $0) }))
    }
}
