internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
internal import NIOHTTPTypes

/// What reading a request's body begins with: its declared length against the limit, and the
/// `100 Continue` a client that asked for one waits for.
extension TrellisResponder {
    /// The body's declared length (`Content-Length`), if it has one.
    static func declaredLength(of request: Request) -> Int? {
        request.headers[.contentLength].flatMap { Int($0) }
    }

    /// `413 Content Too Large`, closing the connection: the rest of the body is not read (a
    /// connection kept open would first have to take in whatever length the client declared).
    func tooLarge(_ limit: Int) -> Response {
        var response = ErrorBody.response(.contentTooLarge, detail: "Request body larger than \(limit) bytes", format: configuration.errorFormat)
        response.headers[.connection] = "close"
        return response
    }

    /// Sends `100 Continue` when the request asks for it (`Expect: 100-continue`, RFC 9110
    /// §10.1.1) and its body is about to be read: its client waits for it before sending the
    /// body. (Hummingbird sends none; a body over the limit is answered 413 before this.)
    func continueIfExpected(_ request: Request, context: Context) {
        guard let channel = context.channel, let expect = request.headers[.expect], expect.lowercased() == "100-continue" else { return }
        channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue)), promise: nil)
    }
}
