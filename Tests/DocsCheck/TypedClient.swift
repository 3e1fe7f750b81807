import TrellisClient

@testable import Shelter

// The shelter's client of the upload example, for the streaming one (type-checked only).
let shelter: AnimalShelterClient = { fatalError("type-checked only") }()

// The server's address and a transport, for the validation example.
let url = "http://127.0.0.1:8080"
let transport: any ClientTransport = { fatalError("type-checked only") }()
