import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import Prometheus
internal import TrellisCore
internal import TrellisJSON
internal import TrellisSchema

/// One operation: security, negotiation, parameters, body, the handler and its dependencies.
extension TrellisResponder {
    @inline(__always)  // one async frame and executor check fewer per request
    func serve(
        _ operation: CompiledService.Operation, request: Request, pathValues: [String], context: Context
    ) async throws -> Response {
        let (query, malformedQuery) = request.uri.query.map { PercentDecoding.query($0[...]) } ?? ([], [])
        let cookies = operation.needsCookies ? Self.cookies(request.headers[values: .cookie]) : []
        // Security first: a request without credentials is refused before anything of it is read.
        var scope: DependencyScope?
        if let gate = operation.security {
            let early = makeScope(operation, request: request, query: query, cookies: cookies, parameter: nil)
            do {
                try await gate.check(.init(headers: request.headers, query: query, cookies: { cookies }), in: early)
            } catch {
                _ = await tearDown(early, after: error, context: context)
                throw error
            }
            scope = early
        }
        // The answer's media type, for an operation that answers in several.
        var negotiated: String?
        if !operation.offers.isEmpty {
            negotiated = ContentNegotiation.choose(operation.offers, accept: request.headers[values: .accept])
            if negotiated == nil { return notAcceptable(operation.offers) }
        }
        let (parameterValues, parameterIssues) = try Self.readParameters(
            operation.parameters, pathValues: pathValues, query: query, headers: request.headers, cookies: cookies, templates: operation.issueTemplates,
            validates: !configuration.skipsRequestValidation, malformedQuery: malformedQuery)
        var issues = parameterIssues

        var body: JSONDocument?
        var raw: [UInt8]?
        var uploads: MultipartBody.Uploads?
        if let declared = operation.body, declared.streams, request.headers[.contentLength] != "0",
            let contentType = Self.contentType(of: request.headers), declared.reading(of: Self.mediaType(contentType)) == .multipart
        {
            // Read as it arrives: files go to disk, never whole into memory.
            let files = MultipartBody.Uploads()
            uploads = files
            switch await multipart(
                request, contentType: contentType, declared: declared, operation: operation, uploads: files, context: context, issues: &issues)
            {
            case .success(let document): body = document
            case .failure(let refused):
                files.removeAll()
                if let answer = refused.answer { return answer }
                throw refused.error ?? CancellationError()
            }
        } else if let declared = operation.body {
            var request = request
            if let length = Self.declaredLength(of: request), length > configuration.maxBodySize { return tooLarge(configuration.maxBodySize) }
            continueIfExpected(request, context: context)
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: configuration.maxBodySize)
            } catch is NIOTooManyBytesError {
                return tooLarge(configuration.maxBodySize)
            }
            if buffer.readableBytes == 0 {
                if declared.description.required { issues.append(.missing([.string("body")], input: nil)) }
            } else {
                let contentType = Self.contentType(of: request.headers).map(Self.mediaType) ?? ""
                guard let reading = declared.reading(of: contentType) else {
                    return unsupportedMediaType(contentType, accepted: declared.description.contentTypes, method: request.method)
                }
                switch reading {
                case .json:
                    do {
                        let document = try buffer.withUnsafeReadableBytes { bytes in
                            try JSONDocument(parsing: bytes, options: JSONParseOptions(maxDepth: configuration.maxBodyDepth))
                        }
                        body = validated(document, against: declared, operation: operation, issues: &issues)
                    } catch let error as JSONParseError {
                        issues.append(
                            ValidationIssue(
                                type: "json_invalid", loc: [.string("body"), .integer(Int64(error.offset))], msg: "JSON decode error",
                                input: nil,
                                ctx: JSONObject([
                                    ("error", .string(error.reason)), ("line", .integer(Int64(error.line))), ("column", .integer(Int64(error.column))),
                                ])))
                    }
                case .form:
                    let form = FormBody.read(buffer.readableBytesView, fields: declared.description.fields)
                    if form.issues.isEmpty {
                        do {
                            body = validated(try JSONDocument(form.object), against: declared, operation: operation, issues: &issues)
                        } catch {
                            issues.append(
                                ValidationIssue(type: "value_error", loc: [.string("body")], msg: "Value error, \(error.reason)", input: nil, ctx: nil))
                        }
                    } else {
                        issues += form.issues
                    }
                case .multipart:
                    // Streamed above; here only with `Content-Length: 0`, and then empty.
                    break
                case .raw:
                    let bytes = Array(buffer.readableBytesView)
                    if contentType.hasPrefix("text/"), !configuration.skipsRequestValidation {
                        // Text is checked against the body's schema as a string (its maxLength, pattern, enum…).
                        if let text = String(validating: bytes, as: UTF8.self) {
                            let errors = declared.validator.validate(JSON.string(text))
                            issues += errors.map { ValidationIssue($0, prefix: [.string("body")], templates: operation.issueTemplates) }
                        } else {
                            issues.append(
                                ValidationIssue(
                                    type: "string_unicode", loc: [.string("body")],
                                    msg: "Input should be a valid string, unable to parse raw data as a unicode string",
                                    input: nil, ctx: nil))
                        }
                    }
                    raw = bytes
                }
            }
        }
        // A request's uploaded files outlive its handler until the answer has been written.
        var handedOver = false
        defer { if !handedOver { uploads?.removeAll() } }
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }

        let parameters = ParameterValues(parameters: operation.parameters, values: parameterValues)
        if let scope {
            scope.provideParameters { key in parameters[key] }
        } else if !operation.description.dependencies.isEmpty {
            scope = makeScope(operation, request: request, query: query, cookies: cookies, parameter: { key in parameters[key] })
        }
        let source = RequestInputSource(parameters: parameters, body: body?.root, raw: raw, scope: scope, responseContentType: negotiated)
        let output: any OperationOutput
        let inFlight = stallDetector?.begin(operation.description.id)
        let gauge = metrics?.inFlight(operation.description.id)
        gauge?.increment()
        defer {
            if let inFlight { stallDetector?.end(inFlight) }
            gauge?.decrement()
        }
        do {
            output = try await operation.handler(source)
        } catch {
            if let scope { _ = await tearDown(scope, after: error, context: context) }
            throw error
        }
        if let scope, let failure = await tearDown(scope, after: nil, context: context) { throw failure }
        var response = try response(for: output, operation: operation, context: context)
        if let cookies = scope?.resolvedValue(of: ResponseCookies.self)?.fieldValues {
            for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        }
        if let uploads {
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer { uploads.removeAll() }
                try await body.write(writer)
            }
            handedOver = true
        }
        if let work = scope?.resolvedValue(of: BackgroundTasks.self)?.takeAll(), !work.isEmpty {
            // Once the body has been written: then the tasks start, counted for shutdown.
            let body = response.body
            let background = backgroundWork
            let logger = context.logger
            let id = operation.description.id
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                try await body.write(writer)
                background.launch(work, logger: logger, operation: id)
            }
        }
        return response
    }

    /// The values of `parameters` in a request (coerced, defaulted, validated together in one
    /// document), by position (empty when the request carries none), and their issues in
    /// declaration order.
    @inline(__always)
    static func readParameters(
        _ parameters: [CompiledService.Parameter], pathValues: [String], query: [(name: String, value: String)], headers: HTTPFields,
        cookies: [(name: String, value: String)], templates: IssueTemplates, validates: Bool,
        malformedQuery: [(name: String, value: String)] = []
    ) throws -> (values: [JSONValue?], issues: [ValidationIssue]) {
        // Each parameter's issues, by its position (reported in declaration order).
        var parameterIssues: [(position: Int, issues: [ValidationIssue])] = []
        // Coerced and default values, each under its parameter's slot; validated together, in
        // one document.
        var values: [(String, JSON)] = []
        var toValidate: [(position: Int, parameter: CompiledService.Parameter)] = []
        for (position, parameter) in parameters.enumerated() {
            let description = parameter.description
            var texts: [String]
            switch description.location {
            case .path: texts = parameter.pathIndex.map { $0 < pathValues.count ? [pathValues[$0]] : [] } ?? []
            case .query:
                // A parameter sent with bytes that do not decode is not read as absent.
                let undecodable = malformedQuery.isEmpty ? [] : ParameterCoercion.queryTexts(malformedQuery, for: description)
                if !undecodable.isEmpty {
                    parameterIssues.append((position, [.undecodable(parameter.loc, input: undecodable.last)]))
                    continue
                }
                texts = ParameterCoercion.queryTexts(query, for: description)
            case .header: texts = parameter.headerName.map { headers[values: $0] } ?? []
            case .cookie: texts = cookies.filter { $0.name == description.name }.map(\.value)
            }
            if texts.isEmpty {
                if let value = parameter.defaultValue {
                    values.append((parameter.slot, value))
                } else if description.required {
                    parameterIssues.append((position, [.missing(parameter.loc, input: nil)]))
                }
                continue
            }
            switch ParameterCoercion.coerce(texts, as: description, loc: parameter.loc) {
            case .failure(let issue):
                parameterIssues.append((position, [issue]))
            case .success(let value):
                toValidate.append((position, parameter))
                values.append((parameter.slot, value))
            }
        }
        var parameterValues: [JSONValue?] = []
        if !values.isEmpty {
            let root = try JSONDocument(.object(JSONObject(values))).root
            for (position, parameter) in toValidate where validates {
                guard let value = root[parameter.slot] else { continue }
                let errors = parameter.validator.validate(value)
                if !errors.isEmpty {
                    parameterIssues.append((position, errors.map { ValidationIssue($0, prefix: parameter.loc, templates: templates) }))
                }
            }
            parameterValues.reserveCapacity(parameters.count)
            for parameter in parameters { parameterValues.append(root[parameter.slot]) }
        }
        return (parameterValues, parameterIssues.isEmpty ? [] : parameterIssues.sorted { $0.position < $1.position }.flatMap(\.issues))
    }

    /// The dependency scope of one request; `parameter` reads its validated parameters (nil:
    /// they come later, through ``DependencyScope/provideParameters(_:)``).
    func makeScope(
        _ operation: CompiledService.Operation, request: Request, query: [(name: String, value: String)], cookies: [(name: String, value: String)],
        parameter: (@Sendable (ParameterKey) -> JSONValue?)?
    ) -> DependencyScope {
        Self.scope(
            operationID: operation.description.id, method: request.method.rawValue, path: request.uri.path, headers: request.headers,
            query: query, cookies: cookies, application: applicationDependencies, overrides: dependencyOverrides, parameter: parameter)
    }

    /// The dependency scope of a request with these headers, query items and cookies (an
    /// operation's, or a WebSocket upgrade's).
    static func scope(
        operationID: String, method: String, path: String, headers: HTTPFields, query: [(name: String, value: String)],
        cookies: [(name: String, value: String)], application: ApplicationDependencies, overrides: DependencyOverrides,
        parameter: (@Sendable (ParameterKey) -> JSONValue?)?
    ) -> DependencyScope {
        DependencyScope(
            operationID: operationID, method: method, path: path, application: application, overrides: overrides,
            request: .init(
                headers: { name in HTTPField.Name(name).map { headers[values: $0] } ?? [] },
                query: { name in query.filter { $0.name == name }.map(\.value) },
                cookie: { name in cookies.first { $0.name == name }?.value },
                parameter: parameter ?? { _ in nil }))
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
    }

    /// `document` when the body's schema accepts it; else nil, with its issues added to `issues`.
    @inline(__always)
    func validated(
        _ document: JSONDocument, against declared: CompiledService.Body, operation: CompiledService.Operation, issues: inout [ValidationIssue]
    ) -> JSONDocument? {
        let errors = configuration.skipsRequestValidation ? [] : declared.validator.validate(document.root)
        if errors.isEmpty { return document }
        let prefix: [JSON] = [.string("body")]
        issues.reserveCapacity(issues.count + errors.count)
        errors.withUnsafeBufferPointer { errors in
            // Through the buffer: iterating the array would copy each error.
            for index in errors.indices {
                issues.append(ValidationIssue(errors[index], prefix: prefix, templates: operation.issueTemplates))
            }
        }
        return nil
    }

    /// 415, listing the media types the operation accepts (also as `Accept-Post` or
    /// `Accept-Patch` for those methods).
    func unsupportedMediaType(_ contentType: String, accepted: [String], method: HTTPRequest.Method) -> Response {
        let list = Self.alternatives(accepted)
        var response = ErrorBody.response(
            .unsupportedMediaType, detail: "Unsupported Media Type: send \(list)" + (contentType.isEmpty ? "" : ", not \(contentType)"),
            format: configuration.errorFormat)
        if method == .post, let name = HTTPField.Name("Accept-Post") { response.headers[name] = accepted.joined(separator: ", ") }
        if method == .patch, let name = HTTPField.Name("Accept-Patch") { response.headers[name] = accepted.joined(separator: ", ") }
        return response
    }

    /// 406, listing the media types the operation answers in.
    func notAcceptable(_ offers: [String]) -> Response {
        let list = Self.alternatives(offers)
        return ErrorBody.response(.notAcceptable, detail: "Not Acceptable: this operation answers in \(list)", format: configuration.errorFormat)
    }

    /// Runs a request's teardowns; logs what they throw and returns the first.
    func tearDown(_ scope: DependencyScope, after error: (any Error)?, context: Context) async -> (any Error)? {
        let failures = await scope.tearDown(after: error)
        for failure in failures {
            context.logger.error("dependency teardown failed: \(String(reflecting: failure))", metadata: ["operation": .string(scope.operationID)])
        }
        return failures.first
    }

    /// The media type of a `Content-Type` value, lowercased, without parameters or spaces
    /// (`Application/JSON; charset=utf-8` → `application/json`).
    static func mediaType(_ header: String) -> String {
        var bytes = header.utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        guard bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return String(Substring(bytes)) }
        return String(Substring(bytes)).lowercased()
    }

    /// The `Content-Type` header as `headers[.contentType]` reads it (several joined with
    /// commas), without the sequence machinery of that subscript.
    static func contentType(of headers: HTTPFields) -> String? {
        var value: String?
        for field in headers where field.name == .contentType {
            value = value.map { $0 + ", " + field.value } ?? field.value
        }
        return value
    }

    static func cookies(_ headers: [String]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                var value = parts[1].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                result.append((name, value))
            }
        }
        return result
    }
}
