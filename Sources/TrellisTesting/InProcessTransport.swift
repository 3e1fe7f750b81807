public import HTTPTypes
public import Trellis
public import TrellisClient

/// A generated client's transport that calls a ``TrellisApplication`` in process — the same
/// responder the server runs, no socket — so that a service's own tests can use its typed
/// client instead of raw requests.
///
/// ```swift
/// let client = try PetstoreClient(baseURL: "http://localhost", transport: InProcessTransport(app))
/// let pet = try await client.getPet(petId: 7)
/// ```
///
/// Over a real socket, pass a ``TrellisTestClient`` from ``TrellisTestClient/withLiveServer(_:_:)``.
public struct InProcessTransport: ClientTransport {
    let client: TrellisTestClient

    /// Calls `application` in process.
    public init(_ application: TrellisApplication) { self.client = TrellisTestClient(application) }

    /// Sends through `client` (in process, or to its live server).
    public init(_ client: TrellisTestClient) { self.client = client }

    /// Hands `request` to the application's responder (or its live server) and collects the answer.
    public func send(_ request: HTTPRequest, body: [UInt8]?) async throws -> ClientResponse {
        let response = try await client.execute(request.method, request.path ?? "/", headers: request.headerFields, body: body)
        return ClientResponse(status: response.status, headerFields: response.headers, body: response.body)
    }
}
