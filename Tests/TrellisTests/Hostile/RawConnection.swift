import Testing
import Trellis

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection that sends bytes as given — what an HTTP client would not send — and
/// reads what comes back until the server closes the connection or a deadline passes.
final class RawConnection: @unchecked Sendable {
    // Safety: one test drives a connection at a time; the descriptor is only closed in deinit.
    let socket: Int32

    /// Connects to 127.0.0.1:`port`; reads wait at most `timeout`; `receiveBuffer` shrinks
    /// the kernel's receive buffer (for a client that does not read).
    init(port: Int, timeout: Duration = .seconds(5), receiveBuffer: Int32? = nil) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        setTimeout(timeout)
        if var size = receiveBuffer { setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
    }

    deinit { close(socket) }

    /// How long a read waits.
    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until `marker` has come, waiting at most `timeout` for each read.
    func read(until marker: String, within timeout: Duration) async throws -> String {
        setTimeout(timeout)
        return try await read(until: marker)
    }

    /// Sends `text` whole; false when the server has closed the connection.
    @discardableResult func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }

    /// Closes the sending side (the server reads the end of the stream).
    func halfClose() { shutdown(socket, Int32(SHUT_WR)) }

    /// What the server sends until it closes the connection, or until the read timeout: the
    /// text, and whether the connection was closed (`false`: the timeout passed first).
    func readToEnd() async throws -> (text: String, closed: Bool) {
        let socket = socket
        return try await runBlocking {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(socket, &chunk, chunk.count, 0)
                if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
                if count < 0 { return (String(decoding: received, as: UTF8.self), errno == ECONNRESET) }
                received += chunk[0..<count]
            }
        }
    }

    /// Reads until `marker` has come (or the connection closes, or the timeout passes).
    func read(until marker: String) async throws -> String {
        let socket = socket
        return try await runBlocking {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: received, as: UTF8.self).contains(marker) {
                let count = recv(socket, &chunk, chunk.count, 0)
                if count <= 0 { break }
                received += chunk[0..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }
    }
}
