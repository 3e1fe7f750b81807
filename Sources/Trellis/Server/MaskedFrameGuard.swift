internal import NIOCore

/// RFC 6455 §5.1: a client must mask every frame, and a server that receives an unmasked one
/// must close the connection (code 1002, protocol error). Sits where the bytes arrive, before
/// any decoder, and wakes once the server has answered `101 Switching Protocols`; then it
/// follows the client's frames header by header (their payloads it only counts), and answers
/// an unmasked one with a close frame and the connection's end.
final class MaskedFrameGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        /// HTTP: waiting for the server's first answer.
        case http
        /// Frames: reading a header (its bytes so far), or skipping a payload.
        case header([UInt8])
        case payload(remaining: UInt64)
        /// An unmasked frame was refused: nothing more is read.
        case refused
    }

    private var state = State.http

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .http = state, case .byteBuffer(let buffer) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let start = buffer.getBytes(at: buffer.readerIndex, length: min(13, buffer.readableBytes)) ?? []
        context.write(data, promise: promise)
        guard start.starts(with: Array("HTTP/1.1 ".utf8)) else { return }
        // The first answer decides: frames follow a 101, HTTP anything else (and then this
        // handler leaves, after the write: a context that has left forwards nothing).
        if start.elementsEqual(Array("HTTP/1.1 101 ".utf8)) {
            state = .header([])
        } else {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .http:
            context.fireChannelRead(data)
        case .refused:
            return
        case .header, .payload:
            let buffer = unwrapInboundIn(data)
            if follow(buffer.readableBytesView) {
                context.fireChannelRead(data)
            } else {
                state = .refused
                // Close frame, code 1002.
                context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer(bytes: [0x88, 0x02, 0x03, 0xEA]))), promise: nil)
                context.close(promise: nil)
            }
        }
    }

    /// Follows the frames in `bytes`; false at an unmasked one.
    private func follow(_ bytes: ByteBufferView) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .payload(let remaining):
                let skipped = min(UInt64(bytes.endIndex - index), remaining)
                index += Int(skipped)
                state = remaining == skipped ? .header([]) : .payload(remaining: remaining - skipped)
            case .header(var header):
                header.append(bytes[index])
                index += 1
                guard header.count >= 2 else {
                    state = .header(header)
                    continue
                }
                guard header[1] & 0x80 != 0 else { return false }
                let short = UInt64(header[1] & 0x7F)
                let extended = short == 126 ? 2 : short == 127 ? 8 : 0
                guard header.count == 2 + extended + 4 else {
                    state = .header(header)
                    continue
                }
                var length = short
                if extended > 0 { length = header[2..<(2 + extended)].reduce(0) { $0 << 8 | UInt64($1) } }
                state = length == 0 ? .header([]) : .payload(remaining: length)
            case .http, .refused:
                return true
            }
        }
        return true
    }
}
