import Foundation
public import HTTPTypes
public import Trellis
public import TrellisCore
import TrellisTesting

/// A service written by hand for the request-path fuzzers: a parameter of every location and
/// most styles, and one body in JSON, form and multipart. It answers 200 with nothing: what
/// is fuzzed is the runtime's reading, never a handler.
public struct FuzzService: GeneratedService {
    static let schemas = #"""
        {"$defs": {
          "id": {"type": "integer", "minimum": 1},
          "limit": {"type": "integer", "minimum": 1, "maximum": 100},
          "ratio": {"type": "number", "exclusiveMinimum": 0},
          "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": true, "maxItems": 5},
          "ids": {"type": "array", "items": {"type": "integer"}},
          "filter": {"type": "object", "properties": {"role": {"type": "string"}, "age": {"type": "integer"}}, "additionalProperties": false},
          "flag": {"type": "boolean"},
          "trace": {"type": "string", "pattern": "^[a-f0-9]{4,32}$"},
          "session": {"type": "string", "minLength": 3, "format": "uuid"},
          "when": {"type": "string", "format": "date-time"},
          "item": {
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": {
              "name": {"type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[A-Za-z ]+$"},
              "count": {"type": "integer", "minimum": 0},
              "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
              "email": {"type": "string", "format": "email"},
              "nested": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "number"}}},
              "photo": {"type": "string", "contentMediaType": "image/png"}
            }
          }
        }}
        """#

    public static let serviceDescription = ServiceDescription(
        name: "Fuzz",
        openAPIDocument: #"{"openapi": "3.1.0", "info": {"title": "Fuzz", "version": "1"}, "paths": {}}"#,
        schemaDocuments: ["file:///fuzz.json": schemas])

    static func schema(_ name: String) -> String { "file:///fuzz.json#/$defs/" + name }

    static let operations: [OperationDescription] = [
        OperationDescription(
            id: "read", method: .get, path: "/items/{id}/{ids}",
            parameters: [
                ParameterDescription(name: "id", location: .path, required: true, schema: schema("id"), type: .integer),
                ParameterDescription(
                    name: "ids", location: .path, required: true, schema: schema("ids"), style: .label, type: .array, itemType: .integer, explode: true),
                ParameterDescription(name: "limit", location: .query, required: false, schema: schema("limit"), type: .integer, defaultValue: "10"),
                ParameterDescription(name: "ratio", location: .query, required: false, schema: schema("ratio"), type: .number),
                ParameterDescription(name: "tag", location: .query, required: false, schema: schema("tags"), style: .form, type: .array, itemType: .string),
                ParameterDescription(
                    name: "pipe", location: .query, required: false, schema: schema("ids"), style: .pipeDelimited, type: .array, itemType: .integer),
                ParameterDescription(
                    name: "filter", location: .query, required: false, schema: schema("filter"), style: .deepObject, type: .object,
                    propertyTypes: ["role": .string, "age": .integer]),
                ParameterDescription(name: "flag", location: .query, required: false, schema: schema("flag"), type: .boolean),
                ParameterDescription(name: "when", location: .query, required: false, schema: schema("when"), type: .string),
                ParameterDescription(name: "X-Trace", location: .header, required: false, schema: schema("trace"), type: .string),
                ParameterDescription(
                    name: "X-Ids", location: .header, required: false, schema: schema("ids"), style: .simple, type: .array, itemType: .integer),
                ParameterDescription(name: "session", location: .cookie, required: false, schema: schema("session"), type: .string),
            ],
            body: nil, responses: [ResponseDescription(status: .code(200), contentType: nil, schema: nil)], dependencies: []),
        OperationDescription(
            id: "write", method: .post, path: "/items",
            parameters: [],
            body: BodyDescription(
                contentTypes: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"], required: true, schema: schema("item"),
                fields: [
                    ParameterDescription(name: "count", location: .query, required: false, schema: schema("limit"), type: .integer),
                    ParameterDescription(
                        name: "tags", location: .query, required: false, schema: schema("tags"), style: .form, type: .array, itemType: .string),
                ],
                files: [FilePartDescription(name: "photo", required: false, contentTypes: ["image/png"], maxBytes: 4096)],
                limits: BodyLimits(maxBytes: 64 * 1024, maxParts: 16, maxFieldBytes: 4096)),
            responses: [ResponseDescription(status: .code(200), contentType: nil, schema: nil)], dependencies: []),
    ]

    public var operationHandlers: [OperationHandler] {
        Self.operations.map { description in
            OperationHandler(description) { _ in Empty() }
        }
    }

    public init() {}

    struct Empty: OperationOutput {
        var response: OutputResponse { OutputResponse(status: 200, contentType: nil, body: .empty) }
    }
}

/// Runs one request through the application in process, waiting for its answer (libFuzzer's
/// entry point is synchronous), and stops the process when the runtime answers 500: a request
/// the runtime cannot read is the client's fault (400, 413, 415, 422), never a server fault.
public final class FuzzClient: @unchecked Sendable {
    // Safety: used by libFuzzer's single thread, one request at a time.
    let client: TrellisTestClient

    public init() {
        var configuration = TrellisConfiguration()
        configuration.validateResponses = false
        configuration.stallThreshold = nil
        configuration.maxBodySize = 64 * 1024
        do {
            client = TrellisTestClient(try TrellisApplication(configuration: configuration, services: FuzzService()))
        } catch {
            fatalError("the fuzz service does not start: \(error)")
        }
    }

    /// Sends the request and checks its answer.
    public func send(_ method: HTTPRequest.Method, _ target: String, headers: HTTPFields, body: [UInt8]?) {
        let done = DispatchSemaphore(value: 0)
        let client = client
        nonisolated(unsafe) var status: Int = 0
        Task {
            let response = try? await client.execute(method, target, headers: headers, body: body)
            status = response?.status.code ?? -1
            done.signal()
        }
        done.wait()
        if status == 500 || status < 0 { fatalError("\(method) \(target.debugDescription) \(headers) answered \(status)") }
    }
}

extension Array where Element == UInt8 {
    /// The pieces of these bytes split at 0xFF (a byte that never appears in UTF-8), at most `count`.
    public func fuzzPieces(_ count: Int) -> [ArraySlice<UInt8>] {
        split(separator: 0xFF, maxSplits: count - 1, omittingEmptySubsequences: false)
    }
}
