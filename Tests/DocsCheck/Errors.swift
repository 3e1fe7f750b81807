import Trellis

// The application and the domain error of the article's first example (type-checked only).
nonisolated(unsafe) var app: TrellisApplication = { fatalError("type-checked only") }()

struct PetNotFound: Error {
    let id: Int
}
