public import Hummingbird
internal import NIOCore

/// The request context of a Trellis application (Hummingbird's per-request storage).
public struct TrellisRequestContext: RequestContext {
    /// Hummingbird's per-request storage: the logger (with the request id), the channel, limits.
    public var coreContext: CoreRequestContextStorage
    /// The connection, for interim answers (`100 Continue`); nil in process.
    package var channel: (any Channel)?

    /// The context of one request, created by Hummingbird for every request it reads.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
