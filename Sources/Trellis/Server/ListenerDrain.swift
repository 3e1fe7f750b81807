internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Empties the listening socket's queue before it closes, on Linux: without this, closing the
/// listener resets every connection the kernel has completed but the server has not accepted
/// yet — whose clients may already have sent their requests, and cannot know whether they
/// were served.
///
/// A socket filter is attached to the listening socket that drops the first packet of new
/// connections (a SYN without ACK): no new connection is started (its client tries again
/// later, finds the port closed, and is refused before it sends anything), handshakes under
/// way complete, and the server accepts and serves what is queued before the listener closes.
enum ListenerDrain {
    /// The port a server listens on, once it does (known only when it has bound it).
    final class Port: Sendable {
        private let value = Mutex<Int?>(nil)

        var port: Int? {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    /// Stops new connections on the listening socket bound to `port`; false when there is
    /// none, or on a system without socket filters.
    static func refuseNewConnections(port: Int) -> Bool {
        #if os(Linux)
            guard let descriptor = listeningDescriptor(port: port) else { return false }
            // Classic BPF on the TCP header (a stream socket's filter sees the segment from its
            // TCP header): byte 13 holds the flags; SYN (0x02) without ACK (0x10) is dropped.
            // (linux/filter.h is not in Swift's Glibc module: the instructions are written out,
            // each `struct sock_filter { u16 code; u8 jt, jf; u32 k; }`.)
            let instructions: [(code: UInt16, jt: UInt8, jf: UInt8, k: UInt32)] = [
                (0x30, 0, 0, 13),  // ldb [13]          BPF_LD | BPF_B | BPF_ABS
                (0x54, 0, 0, 0x12),  // and #0x12       BPF_ALU | BPF_AND | BPF_K
                (0x15, 0, 1, 0x02),  // jeq #0x02, 0, 1 BPF_JMP | BPF_JEQ | BPF_K
                (0x06, 0, 0, 0),  // ret #0 (drop)      BPF_RET | BPF_K
                (0x06, 0, 0, 0xFFFF_FFFF),  // ret #-1 (keep)
            ]
            var code: [UInt8] = []
            for instruction in instructions {
                withUnsafeBytes(of: instruction.code.littleEndian) { code += $0 }
                code += [instruction.jt, instruction.jf]
                withUnsafeBytes(of: instruction.k.littleEndian) { code += $0 }
            }
            let attachFilter: Int32 = 26  // SO_ATTACH_FILTER
            return code.withUnsafeBytes { program in
                // `struct sock_fprog { unsigned short len; struct sock_filter *filter; }`.
                var fprog = [UInt8](repeating: 0, count: 8 + MemoryLayout<UnsafeRawPointer>.size)
                withUnsafeBytes(of: UInt16(instructions.count).littleEndian) { fprog.replaceSubrange(0..<2, with: $0) }
                withUnsafeBytes(of: UInt(bitPattern: program.baseAddress)) { fprog.replaceSubrange(8..<(8 + $0.count), with: $0) }
                return fprog.withUnsafeBytes { setsockopt(descriptor, SOL_SOCKET, attachFilter, $0.baseAddress, socklen_t($0.count)) == 0 }
            }
        #else
            return false
        #endif
    }

    #if os(Linux)
        /// The process's listening TCP socket bound to `port` (SwiftNIO does not hand out its
        /// descriptors): the open descriptors are looked through.
        private static func listeningDescriptor(port: Int) -> Int32? {
            guard let directory = opendir("/proc/self/fd") else { return nil }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard let descriptor = Int32(name) else { continue }
                var listening: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else { continue }
                var address = sockaddr_storage()
                var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let named = withUnsafeMutablePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
                }
                guard named == 0 else { continue }
                let bound: UInt16
                switch Int32(address.ss_family) {
                case AF_INET:
                    bound = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
                    }
                case AF_INET6:
                    bound = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                    }
                default: continue
                }
                if Int(bound) == port { return descriptor }
            }
            return nil
        }
    #endif
}
