import Trellis

// The application and a search index the readiness example checks (type-checked only).
nonisolated(unsafe) var app: TrellisApplication = { fatalError("type-checked only") }()

struct SearchIndex: Sendable {
    func ping() async throws {}
}

let searchIndex = SearchIndex()
