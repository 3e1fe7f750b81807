import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
import Synchronization
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// A handler's output, written as declared.
extension TrellisResponder {
    func response(for output: any OperationOutput, operation: CompiledService.Operation, context: Context) throws -> Response {
        let answer = try output.response
        guard (100...599).contains(answer.status) else { throw ResponseError("\(operation.description.id) answered the status \(answer.status)") }
        let status = HTTPResponse.Status(code: answer.status)
        var headers = HTTPFields()
        let declaredHeaders = answer.headers
        headers.reserveCapacity(declaredHeaders.count + 2)
        for (name, value) in declaredHeaders {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if !operation.offers.isEmpty {
            // The answer depends on `Accept`: caches must know.
            headers.append(HTTPField(name: .vary, value: "Accept"))
        }
        if let contentType = answer.contentType {
            // Appending is cheaper than the subscript, which looks for fields to replace.
            if declaredHeaders.isEmpty { headers.append(HTTPField(name: .contentType, value: contentType)) } else { headers[.contentType] = contentType }
        }
        let body: ByteBuffer
        switch answer.body {
        case .stream(let stream):
            return Response(
                status: status, headers: headers,
                body: ResponseBody { writer in
                    for try await chunk in stream where !chunk.isEmpty { try await writer.write(ByteBuffer(bytes: chunk)) }
                    try await writer.finish(nil)
                })
        case .empty: body = ByteBuffer()
        case .text(let text): body = ByteBuffer(string: text)
        case .bytes(let data): body = ByteBuffer(bytes: data)
        case .json(let value):
            let expected = operation.responseSizeHint.load(ordering: .relaxed)
            // Up to 64 KiB from the hint: one large answer must not make every later one reserve as much.
            var writer = JSONWriter(capacity: min(max(expected + expected / 8, 512), 1 << 16))
            try JSONBody.write(value, into: &writer)
            if writer.count != expected { operation.responseSizeHint.store(writer.count, ordering: .relaxed) }
            if configuration.validateResponses {
                // The exact status, then its OpenAPI range (`4XX`), then `default`.
                if let validator = operation.responses.forCode(answer.status, contentType: answer.contentType)?.validator {
                    let document = try writer.withBytes { try JSONDocument(parsing: $0, options: JSONParseOptions(maxDepth: 2047)) }
                    let errors = validator.validate(document.root)
                    if !errors.isEmpty {
                        throw ResponseError(
                            "\(operation.description.id) answered \(answer.status) with a body its schema forbids: "
                                + errors.prefix(5).map(\.description).joined(separator: "; "))
                    }
                }
            }
            body = writer.withBytes { ByteBuffer(bytes: $0) }
        }
        if !headers.contains(.contentLength) {
            // Hummingbird would set it with the subscript.
            headers.append(HTTPField(name: .contentLength, value: String(body.readableBytes)))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

/// A handler's answer that the runtime cannot send as declared.
struct ResponseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
