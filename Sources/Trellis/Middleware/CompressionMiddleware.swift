internal import CZlib
internal import Foundation
internal import HTTPTypes
public import Hummingbird
internal import NIOCore

/// Compresses response bodies with gzip or deflate when the client accepts it
/// (`Accept-Encoding`, with its q-values), the body is at least ``minimumSize`` bytes (or
/// of unknown length, as a stream is) and of a compressible type (text, JSON, XML,
/// JavaScript, SVG). Adds `Vary: Accept-Encoding` to every response it could have
/// compressed, so that caches keep the variants apart.
///
/// A streamed body is compressed piece by piece, each piece flushed (`Z_SYNC_FLUSH`), so a
/// client receives every piece when it is sent — server-sent events included.
public struct CompressionMiddleware: RouterMiddleware {
    /// The request context of Trellis applications.
    public typealias Context = TrellisRequestContext

    /// The smallest body worth compressing (default 1,024 bytes; below it the headers cost
    /// more than compression saves).
    public var minimumSize: Int
    /// zlib's level, 1 (fastest) to 9 (smallest); default 6.
    public var level: Int32

    /// A middleware.
    public init(minimumSize: Int = 1024, level: Int32 = 6) {
        self.minimumSize = minimumSize
        self.level = min(max(level, 1), 9)
    }

    /// Runs the request and compresses the response if it should.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method != .head, response.status != .noContent, response.status != .notModified,
            response.headers[.contentEncoding] == nil, Self.isCompressible(response.headers[.contentType])
        else { return response }
        response.headers[.vary] = response.headers[.vary].map { $0 + ", Accept-Encoding" } ?? "Accept-Encoding"
        guard let encoding = Self.negotiate(request.headers[values: .acceptEncoding]) else { return response }
        if let length = response.body.contentLength, length < minimumSize { return response }
        let body = response.body
        let level = self.level
        response.headers[.contentEncoding] = encoding.rawValue
        response.headers[.contentLength] = nil
        response.body = ResponseBody { writer in
            let deflater = try Deflater(encoding: encoding, level: level)
            try await body.write(CompressingWriter(parent: writer, deflater: deflater))
        }
        return response
    }

    /// The encodings this middleware writes.
    enum Encoding: String {
        case gzip, deflate
    }

    /// The best encoding the client accepts: the highest q-value, gzip before deflate on a tie.
    static func negotiate(_ headers: [String]) -> Encoding? {
        var weights: [String: Double] = [:]
        for header in headers {
            for item in header.split(separator: ",") {
                let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let name = parts.first?.lowercased(), !name.isEmpty else { continue }
                var weight = 1.0
                for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                    weight = Double(parameter.dropFirst(2)) ?? 0
                }
                weights[name] = weight
            }
        }
        func weight(_ name: String) -> Double { weights[name] ?? weights["*"] ?? 0 }
        let gzip = weight("gzip")
        let deflate = weight("deflate")
        if gzip > 0, gzip >= deflate { return .gzip }
        if deflate > 0 { return .deflate }
        return nil
    }

    static func isCompressible(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return type.hasPrefix("text/") || type.hasSuffix("json") || type.hasSuffix("+json") || type.hasSuffix("xml")
            || type.hasSuffix("javascript") || type == "image/svg+xml"
    }
}

/// A zlib deflate stream: gzip or raw deflate (zlib format, as HTTP's "deflate" means).
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init(encoding: CompressionMiddleware.Encoding, level: Int32) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits: zlib format; +16: gzip format.
        let status = czlib_deflate_init(stream, level, encoding == .gzip ? 31 : 15)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw CompressionError(status: status)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input`; `flush` is `Z_SYNC_FLUSH` for a piece, `Z_FINISH` for the end.
    func deflate(_ input: ByteBuffer, flush: Int32) throws -> ByteBuffer {
        var output = ByteBuffer()
        try input.withUnsafeReadableBytes { bytes in
            // zlib reads next_in without writing to it; its C type merely lacks the const.
            stream.pointee.next_in = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
            stream.pointee.avail_in = UInt32(bytes.count)
            repeat {
                output.reserveCapacity(minimumWritableBytes: 16 * 1024)
                let status = output.withUnsafeMutableWritableBytes { space -> Int32 in
                    stream.pointee.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = UInt32(space.count)
                    return CZlib.deflate(stream, flush)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw CompressionError(status: status) }
                let written = output.writableBytes - Int(stream.pointee.avail_out)
                output.moveWriterIndex(forwardBy: written)
                if status == Z_STREAM_END { break }
            } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
            stream.pointee.next_in = nil
        }
        return output
    }
}

/// zlib refused: an internal error (out of memory, a bad state).
struct CompressionError: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "zlib failed with status \(status)" }
}

/// Compresses what a body writes before handing it on.
struct CompressingWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let deflater: Deflater

    mutating func write(_ buffer: ByteBuffer) async throws {
        let compressed = try deflater.deflate(buffer, flush: Z_SYNC_FLUSH)
        if compressed.readableBytes > 0 { try await parent.write(compressed) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        let rest = try deflater.deflate(ByteBuffer(), flush: Z_FINISH)
        if rest.readableBytes > 0 { try await parent.write(rest) }
        try await parent.finish(trailingHeaders)
    }
}
