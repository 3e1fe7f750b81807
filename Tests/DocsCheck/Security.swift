import JWTKit

// The signing secret and the key collection of the JWT example (type-checked only).
let secret = "a secret of at least 32 bytes, from the environment"
let keys: JWTKeyCollection = { fatalError("type-checked only") }()
