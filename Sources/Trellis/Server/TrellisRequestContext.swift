public import Hummingbird

/// The request context of a Trellis application (Hummingbird's per-request storage).
public struct TrellisRequestContext: RequestContext {
    /// Hummingbird's per-request storage: the logger (with the request id), the channel, limits.
    public var coreContext: CoreRequestContextStorage

    /// The context of one request, created by Hummingbird for every request it reads.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
