import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// Errors, answered: by the application's handlers, by the error itself, or as a bare 500.
extension TrellisResponder {
    func errorResponse(_ error: any Error, request: Request, context: Context) async -> Response {
        for handler in errorHandlers {
            switch await handler.answer(error, request) {
            case .error(let answer)?: return answer.response(format: configuration.errorFormat)
            case .response(let response)?: return response
            case nil: continue
            }
        }
        return defaultErrorResponse(error, request: request, context: context)
    }

    /// The runtime's own answer to an error: the error's, when it knows it; a 503 for a
    /// cancelled request; a 500 that says nothing for anything else.
    func defaultErrorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        if let error = error as? RequestTimeoutError {
            context.logger.warning("request timed out", metadata: ["path": .string(request.uri.path), "timeout": .stringConvertible(error.timeout)])
        }
        // The 422 first, by its type: the commonest error, and a cast to a protocol costs more.
        if let error = error as? RequestValidationError { return error.response(format: configuration.errorFormat) }
        if let answering = error as? any AnsweringError { return answering.response(format: configuration.errorFormat) }
        if let error = error as? any HTTPResponseError, let response = try? error.response(from: request, context: context) { return response }
        switch error {
        case is CancellationError:
            // The client went away, or shutdown's grace period ran out: nobody may read this.
            context.logger.notice("request cancelled", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.serviceUnavailable, detail: "Request cancelled", format: configuration.errorFormat)
        case let error as HTTPParserError:
            // The body could not be read: cut short, a malformed chunk. The client's fault, and
            // the connection cannot go on.
            context.logger.info("malformed request body: \(error)", metadata: ["path": .string(request.uri.path)])
            var response = ErrorBody.response(.badRequest, detail: "Bad Request: the request body is malformed (\(error))", format: configuration.errorFormat)
            response.headers[.connection] = "close"
            return response
        case let error as DependencyCycleError:
            context.logger.error("\(error)", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.internalServerError, detail: "Internal Server Error", format: configuration.errorFormat)
        default:
            context.logger.error("unhandled error: \(String(reflecting: error))", metadata: ["path": .string(request.uri.path)])
            return ErrorBody.response(.internalServerError, detail: "Internal Server Error", format: configuration.errorFormat)
        }
    }
}
