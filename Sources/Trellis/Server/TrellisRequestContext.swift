public import Hummingbird

/// The request context of a Trellis application (Hummingbird's per-request storage).
public struct TrellisRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
