internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import TrellisCore
internal import TrellisJSON

/// `multipart/form-data` bodies: read as they arrive, bounded, validated, decoded.
extension TrellisResponder {
    /// Reads an operation's `multipart/form-data` body: the document its typed body reads (files
    /// as ``UploadedFile`` values, stored through `uploads`), nil with `issues` added when it
    /// does not validate, or the answer that refuses it (400 malformed, 413 too large, 415 a
    /// part in a media type its field does not take).
    func multipart(
        _ request: Request, contentType: String, declared: CompiledService.Body, operation: CompiledService.Operation,
        uploads: MultipartBody.Uploads, context: Context, issues: inout [ValidationIssue]
    ) async -> Result<JSONDocument?, RefusedBody> {
        let format = configuration.errorFormat
        guard let boundary = MultipartBody.boundary(of: contentType) else {
            return .failure(
                RefusedBody(
                    ErrorBody.response(
                        .badRequest, detail: "Malformed multipart/form-data body: the Content-Type names no boundary (1 to 70 characters)", format: format)))
        }
        let description = declared.description
        let limits = MultipartBody.Limits(
            maxBytes: description.limits.maxBytes ?? configuration.maxUploadSize,
            maxParts: description.limits.maxParts ?? configuration.maxMultipartParts,
            maxFieldBytes: description.limits.maxFieldBytes ?? configuration.maxBodySize)
        if let length = Self.declaredLength(of: request), length > limits.maxBytes { return .failure(RefusedBody(tooLarge(limits.maxBytes))) }
        continueIfExpected(request, context: context)
        let contents: MultipartBody.Contents
        do {
            contents = try await MultipartBody.read(
                request.body, boundary: boundary, description: description, limits: limits,
                directory: configuration.uploadDirectory ?? Self.temporaryDirectory, uploads: uploads)
        } catch MultipartBody.Failure.tooLarge(let detail) {
            var response = ErrorBody.response(.contentTooLarge, detail: detail, format: format)
            response.headers[.connection] = "close"
            return .failure(RefusedBody(response))
        } catch MultipartBody.Failure.unsupportedPart(let detail) {
            return .failure(RefusedBody(ErrorBody.response(.unsupportedMediaType, detail: detail, format: format)))
        } catch MultipartBody.Failure.malformed(let detail) {
            return .failure(RefusedBody(ErrorBody.response(.badRequest, detail: "Malformed multipart/form-data body: \(detail)", format: format)))
        } catch {
            // The client went away mid-body, or a file could not be written.
            return .failure(RefusedBody(error))
        }
        var objects = MultipartBody.objects(contents, description: description)
        // The parts' declared header fields, each read and validated as a header parameter.
        for (part, headers) in contents.heads {
            guard let declared = declared.partHeaders[part] else { continue }
            var fields = HTTPFields()
            for (name, value) in headers { if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) } }
            do {
                objects.issues += try Self.readParameters(
                    declared, pathValues: [], query: [], headers: fields, cookies: [], templates: operation.issueTemplates,
                    validates: !configuration.skipsRequestValidation
                ).issues
            } catch {
                objects.issues.append(
                    ValidationIssue(type: "value_error", loc: [.string("body"), .string(part)], msg: "Value error, \(error)", input: nil, ctx: nil))
            }
        }
        if !objects.issues.isEmpty {
            issues += objects.issues
            return .success(nil)
        }
        do {
            guard validated(try JSONDocument(objects.validated), against: declared, operation: operation, issues: &issues) != nil else {
                return .success(nil)
            }
            return .success(try JSONDocument(objects.decoded))
        } catch {
            issues.append(ValidationIssue(type: "value_error", loc: [.string("body")], msg: "Value error, \(error.reason)", input: nil, ctx: nil))
            return .success(nil)
        }
    }

    /// The system's folder for temporary files (`TMPDIR`, else `/tmp`).
    static var temporaryDirectory: String {
        var folder = ProcessEnvironment.variables["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return folder
    }
}

/// A body refused before its handler: the answer to write, or the error to throw.
struct RefusedBody: Error {
    let answer: Response?
    let error: (any Error)?

    init(_ answer: Response) {
        self.answer = answer
        self.error = nil
    }

    init(_ error: any Error) {
        self.answer = nil
        self.error = error
    }
}
