import Foundation
import Testing
import TrellisGenerator

/// Handler stubs: a declaration and the target's Swift files in, the exact text to append out.
@Suite struct ScaffoldTests {
    static let declaration = #"""
        {
          "name": "Shop",
          "info": {"title": "Shop", "version": "1"},
          "operations": {
            "getItem": {
              "method": "GET", "path": "/items/{id}", "summary": "One item",
              "parameters": {"path": {"id": {"type": "integer"}}},
              "responses": {"200": {"description": "The item", "schema": {"type": "string"}}}
            },
            "listItems": {
              "method": "GET", "path": "/items", "description": "Every item.\nIn order.",
              "responses": {"200": {"description": "The items", "schema": {"type": "array", "items": {"type": "string"}}}}
            },
            "deleteItem": {
              "method": "DELETE", "path": "/items/{id}", "deprecated": true,
              "parameters": {"path": {"id": {"type": "integer"}}},
              "responses": {"204": {"description": "Gone"}}
            }
          }
        }
        """#

    static let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])

    static func scaffold(_ sources: [String: String], stubsPath: String? = nil) -> ScaffoldOutput {
        let output = Scaffolder.scaffold(input, sources: sources, stubsPath: stubsPath)
        #expect(!output.diagnostics.contains { $0.severity == .error }, "\(output.diagnostics)")
        return output
    }

    static let getItem = """
            /// `GET /items/{id}`: One item
            func getItem(_ input: Shop.GetItem.Input) async throws -> Shop.GetItem.Output {
                throw NotImplementedError(operation: "getItem")
            }
        """
    static let listItems = """
            /// `GET /items`
            ///
            /// Every item.
            /// In order.
            func listItems(_ input: Shop.ListItems.Input) async throws -> Shop.ListItems.Output {
                throw NotImplementedError(operation: "listItems")
            }
        """
    static let deleteItem = """
            /// `DELETE /items/{id}`
            ///
            /// - Warning: deprecated.
            func deleteItem(_ input: Shop.DeleteItem.Input) async throws -> Shop.DeleteItem.Output {
                throw NotImplementedError(operation: "deleteItem")
            }
        """

    @Test func nothingImplementedDeclaresTheWholeStruct() {
        let output = Self.scaffold(["main.swift": "print(\"hello\")\n"])
        #expect(output.stubsPath == "ShopService+Stubs.swift")
        #expect(output.declaresType)
        #expect(output.typeName == "ShopImplementation")
        #expect(output.stubbedMethods == ["getItem", "listItems", "deleteItem"])
        #expect(
            output.text == """
                // Handler stubs for ShopService, written by `trellis scaffold` from service.json.
                // This file is yours: replace each stub's body with the operation's code. `trellis scaffold`
                // never rewrites it; it only appends stubs for operations that have no handler yet.

                import TrellisCore

                /// Shop: one handler per operation of `ShopService`.
                struct ShopImplementation: ShopService {
                \(Self.getItem)

                \(Self.listItems)

                \(Self.deleteItem)
                }

                """)
    }

    @Test func someImplementedStubsOnlyTheRestInAnExtension() {
        let handlers = """
            import TrellisCore

            struct Handlers: Sendable, ShopService {
                func listItems(_ input: Shop.ListItems.Input) async throws -> Shop.ListItems.Output { .ok([]) }
            }
            """
        let output = Self.scaffold(["Handlers.swift": handlers])
        #expect(!output.declaresType)
        #expect(output.typeName == "Handlers")
        #expect(output.stubbedMethods == ["getItem", "deleteItem"])
        #expect(
            output.text.hasSuffix(
                """
                import TrellisCore

                extension Handlers {
                \(Self.getItem)

                \(Self.deleteItem)
                }

                """))
    }

    @Test func appendingToAnExistingFileKeepsItAndAddsTheImportItLacks() {
        let existing = "extension Handlers {\n    func helper() {}\n}"  // no final newline, no import
        let sources = ["Handlers.swift": "struct Handlers: ShopService {}\n", "Stubs.swift": existing]
        let output = Self.scaffold(sources, stubsPath: "Stubs.swift")
        #expect(output.stubsPath == "Stubs.swift")
        #expect(
            output.text.hasPrefix(
                """


                import TrellisCore

                // Added by `trellis scaffold`: stubs for the operations that had no handler.
                extension Handlers {

                """))
        // After appending, a second run finds everything implemented and adds nothing.
        let again = Self.scaffold(sources.merging(["Stubs.swift": existing + output.text]) { $1 }, stubsPath: "Stubs.swift")
        #expect(again.text.isEmpty)
        #expect(again.stubbedMethods.isEmpty)
    }

    @Test func everythingImplementedAddsNothing() {
        let sources = [
            "A.swift": """
            public struct API: ShopService {
                public func getItem(_ input: Shop.GetItem.Input) async throws -> Shop.GetItem.Output { .ok("a") }
            }
            """,
            "B.swift": """
            extension API {
                public func listItems(_: Shop.ListItems.Input) async throws -> Shop.ListItems.Output { .ok([]) }
            }
            extension ShopService {
                func deleteItem(_ input: borrowing Shop.DeleteItem.Input) async throws -> Shop.DeleteItem.Output { .noContent }
            }
            """,
        ]
        let output = Self.scaffold(sources)
        #expect(output.text.isEmpty)
        #expect(output.stubbedMethods.isEmpty)
        #expect(output.typeName == "API")
    }

    @Test func mentionsInCommentsAndStringsDoNotCount() {
        let handlers = #"""
            struct Handlers: ShopService {
                // func getItem(_ input: Shop.GetItem.Input) async throws -> Shop.GetItem.Output
                /* outer /* nested */ func listItems(_ input: Shop.ListItems.Input) */
                let a = "func deleteItem(_ input: Shop.DeleteItem.Input) { }"
                let b = """
                    func getItem(_ input: Shop.GetItem.Input) { \(")") }
                    """
                let c = #"func listItems(_ input: Shop.ListItems.Input) \"#
                let d = "\(a.map { "}" + String($0) })"
                let e = #/func deleteItem\(/#
                // After every literal, braces still balance: this one is real.
                func deleteItem(_ input: Shop.DeleteItem.Input) async throws -> Shop.DeleteItem.Output { .noContent }
            }
            """#
        let output = Self.scaffold(["Handlers.swift": handlers])
        #expect(output.stubbedMethods == ["getItem", "listItems"])
        #expect(output.typeName == "Handlers")
        #expect(!output.declaresType)
    }

    @Test func onlyAWitnessCounts() {
        let handlers = """
            struct Handlers: ShopService {
                func getItem(_ input: Shop.ListItems.Input) async throws -> Shop.GetItem.Output { fatalError() }
                func listItems(input: Shop.ListItems.Input) async throws -> Shop.ListItems.Output { .ok([]) }
                static func deleteItem(_ input: Shop.DeleteItem.Input) async throws -> Shop.DeleteItem.Output { .noContent }
                func run() {
                    func getItem(_ input: Shop.GetItem.Input) {}
                }
            }
            struct Other {
                func listItems(_ input: Shop.ListItems.Input) async throws -> Shop.ListItems.Output { .ok([]) }
            }
            """
        #expect(Self.scaffold(["Handlers.swift": handlers]).stubbedMethods == ["getItem", "listItems", "deleteItem"])
    }

    @Test func inheritedHandlersCount() {
        let sources = [
            "Base.swift": """
            class Base {
                func getItem(_ input: Shop.GetItem.Input) async throws -> Shop.GetItem.Output { .ok("") }
            }
            protocol Listing {}
            extension Listing {
                func listItems(_ input: Shop.ListItems.Input) async throws -> Shop.ListItems.Output { .ok([]) }
            }
            """,
            "Impl.swift": "final class Impl: Base, Listing, ShopService, @unchecked Sendable {}\n",
        ]
        let output = Self.scaffold(sources)
        #expect(output.typeName == "Impl")
        #expect(output.stubbedMethods == ["deleteItem"])
    }

    @Test func conformanceByExtensionNestedTypesAndAccess() {
        let sources = [
            "Outer.swift": """
            public enum Outer {
                public final class Impl: @unchecked Sendable {}
            }
            """,
            "Conformance.swift": "extension Outer.Impl: ShopService {}\n",
        ]
        let output = Self.scaffold(sources)
        #expect(output.typeName == "Outer.Impl")
        #expect(output.text.contains("extension Outer.Impl {\n    /// `GET /items/{id}`: One item\n    public func getItem("))
    }

    @Test func aTypeNamedLikeTheDefaultGetsTheConformance() {
        let output = Self.scaffold(["Impl.swift": "import TrellisCore\n\nstruct ShopImplementation {}\n"], stubsPath: "Impl.swift")
        #expect(output.typeName == "ShopImplementation")
        #expect(!output.declaresType)
        #expect(output.text.contains("extension ShopImplementation: ShopService {"))
        #expect(!output.text.contains("import TrellisCore"))
    }

    @Test func severalConformingTypesPickTheFirstWithANote() {
        let sources = ["B.swift": "actor Second: ShopService {}\n", "A.swift": "class First: ShopService {}\n"]
        let output = Self.scaffold(sources)
        #expect(output.typeName == "First")
        #expect(output.diagnostics.contains { $0.severity == .note && $0.message.contains("Second also conforms to ShopService") })
    }

    @Test func outputIsDeterministic() {
        var sources: [String: String] = [:]
        for index in 0..<20 { sources["File\(index).swift"] = "struct T\(index) {}\n" }
        sources["Z.swift"] = "struct Z: ShopService { func getItem(_ input: Shop.GetItem.Input) async throws -> Shop.GetItem.Output { .ok(\"\") } }"
        sources["Y.swift"] = "struct Y: ShopService {}"
        let first = Self.scaffold(sources)
        for _ in 0..<5 {
            let shuffled = Dictionary(uniqueKeysWithValues: sources.shuffled())
            let output = Self.scaffold(shuffled)
            #expect(output.text == first.text)
            #expect(output.stubbedMethods == first.stubbedMethods)
            #expect(output.typeName == "Y")
        }
    }

    @Test func declarationErrorsGiveDiagnosticsAndNoStubs() {
        let broken = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(#"{"info": {"title": "X"}}"#.utf8)])
        let output = Scaffolder.scaffold(broken, sources: [:])
        #expect(output.diagnostics.contains { $0.severity == .error })
        #expect(output.text.isEmpty)
        #expect(output.typeName == nil)
    }

    @Test func webSocketHandlersAreStubbedToo() {
        let declaration = #"""
            {
              "name": "Feed", "info": {"title": "Feed", "version": "1"}, "operations": {},
              "webSockets": {"ticks": {"path": "/ticks", "summary": "Ticks", "receive": {"type": "object"}, "send": {"type": "integer"}}}
            }
            """#
        let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])
        let missing = Scaffolder.scaffold(input, sources: ["Feed.swift": "struct Ticker: FeedService {}\n"])
        #expect(missing.stubbedMethods == ["ticks"])
        #expect(
            missing.text.contains(
                """
                    /// `WebSocket /ticks`: Ticks
                    func ticks(_ session: WebSocketSession<Feed.Ticks.Receive, Feed.Ticks.Send>) async throws {
                        throw NotImplementedError(operation: "ticks")
                    }
                """))
        let written = """
            struct Ticker: FeedService {
                func ticks(_ session: WebSocketSession<Feed.Ticks.Receive,Feed.Ticks.Send>) async throws {}
            }
            """
        #expect(Scaffolder.scaffold(input, sources: ["Feed.swift": written]).stubbedMethods.isEmpty)
    }

    @Test func requiredSchemesGetVerifierStubsThatRefuseEverything() {
        let declaration = #"""
            {
              "name": "Vault", "info": {"title": "Vault", "version": "1"},
              "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "token": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"read": "Read"}}}},
                "unused": {"type": "http", "scheme": "basic"}
              },
              "operations": {
                "open": {"method": "GET", "path": "/open", "responses": {"204": {"description": "ok"}}},
                "secret": {"method": "GET", "path": "/secret", "security": [{"key": []}, {"token": ["read"]}], "responses": {"204": {"description": "ok"}}}
              }
            }
            """#
        let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])
        let handlers = """
            public struct Vault: VaultService {
                public func open(_ input: Vault.Open.Input) async throws -> Vault.Open.Output { .noContent }
                public func secret(_ input: Vault.Secret.Input) async throws -> Vault.Secret.Output { .noContent }
            }
            struct KeyVerifier {}
            """
        let output = Scaffolder.scaffold(input, sources: ["Vault.swift": handlers])
        #expect(output.stubbedMethods.isEmpty)
        #expect(
            output.text.contains(
                """
                extension Vault {
                    /// The verifier of each security scheme the operations require: the application does not start without them.
                    public var securityVerifiers: [String: any SecurityVerifier.Type] { ["key": KeyVerifierStub.self, "token": TokenVerifier.self] }
                }

                /// Verifies the credential of the security scheme `key`: an API key in the header `X-Key`: `.apiKey(key)`.
                /// A stub: it refuses every credential (401) until it checks them.
                enum KeyVerifierStub: SecurityVerifier {
                    static func verify(_ credential: SecurityCredential, in scope: DependencyScope) async throws -> String? {
                        // Return the caller's identity (any type) for a valid credential, nil to refuse it.
                        nil
                    }
                }
                """))
        #expect(output.text.contains("enum TokenVerifier: SecurityVerifier"))
        #expect(output.text.contains("a bearer token: `.bearer(token)`"))
        #expect(!output.text.contains("Unused"))
        // Once the verifiers are bound, nothing more is added.
        let bound = handlers + "\nextension Vault { public var securityVerifiers: [String: any SecurityVerifier.Type] { [:] } }\n"
        #expect(Scaffolder.scaffold(input, sources: ["Vault.swift": bound]).text.isEmpty)
    }

    @Test func declaredVerifiersAreStubbedUnderTheirNamesAndBoundByGeneratedCode() {
        let declaration = #"""
            {
              "name": "Vault", "info": {"title": "Vault", "version": "1"},
              "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key", "verifier": "Keys"},
                "token": {"type": "http", "scheme": "bearer"}
              },
              "operations": {
                "secret": {"method": "GET", "path": "/secret", "security": [{"key": []}], "responses": {"204": {"description": "ok"}}},
                "other": {"method": "GET", "path": "/other", "security": [{"token": []}], "responses": {"204": {"description": "ok"}}}
              }
            }
            """#
        let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])
        // Generated code binds the declared verifier: the implementation need not.
        let generated = Generator.generate(input)
        #expect(generated.diagnostics.isEmpty, "\(generated.diagnostics)")
        let code = generated.files.filter { $0.name != "OpenAPI.swift" }.map(\.contents).joined()
        #expect(code.contains(#"var securityVerifiers: [String: any SecurityVerifier.Type] { ["key": Keys.self] }"#))
        // The served document is OpenAPI: the Swift name stays out of it.
        let openAPI = generated.files.first { $0.name == "OpenAPI.swift" }?.contents ?? ""
        let document = openAPI.components(separatedBy: "openAPIDocument: String {").dropFirst().first?.components(separatedBy: "\"\"\"#").first ?? ""
        #expect(document.contains("X-Key"))
        #expect(!document.contains("verifier"))

        let handlers = """
            public struct Vault: VaultService {
                public func secret(_ input: Vault.Secret.Input) async throws -> Vault.Secret.Output { .noContent }
                public func other(_ input: Vault.Other.Input) async throws -> Vault.Other.Output { .noContent }
            }
            """
        // `token` names no verifier: the stubs bind both schemes (the implementation's
        // securityVerifiers replaces the generated one), and stub `Keys` under its own name.
        let both = Scaffolder.scaffold(input, sources: ["Vault.swift": handlers]).text
        #expect(both.contains(#"public var securityVerifiers: [String: any SecurityVerifier.Type] { ["key": Keys.self, "token": TokenVerifier.self] }"#))
        #expect(both.contains("enum Keys: SecurityVerifier {"))
        #expect(both.contains("enum TokenVerifier: SecurityVerifier {"))

        // Once `Keys` exists and `token` is bound by the declaration too, nothing is added.
        let named =
            input.files["service.json"].map { String(decoding: $0, as: UTF8.self) }?
            .replacingOccurrences(of: #""scheme": "bearer""#, with: #""scheme": "bearer", "verifier": "Tokens""#) ?? ""
        let allNamed = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(named.utf8)])
        let onlyTokens = Scaffolder.scaffold(allNamed, sources: ["Vault.swift": handlers + "\nenum Keys {}\n"]).text
        #expect(!onlyTokens.contains("securityVerifiers"))
        #expect(onlyTokens.contains("enum Tokens: SecurityVerifier {"))
        #expect(!onlyTokens.contains("enum Keys"))
        #expect(Scaffolder.scaffold(allNamed, sources: ["Vault.swift": handlers + "\nenum Keys {}\nenum Tokens {}\n"]).text.isEmpty)
    }

    @Test func stubsAnswerTheDeclaredExample() {
        let declaration = #"""
            {
              "name": "Orders", "info": {"title": "Orders", "version": "1"},
              "operations": {
                "getOrder": {"method": "GET", "path": "/orders/{id}", "parameters": {"path": {"id": {"type": "integer"}}}, "responses": {"200": "Order.json", "404": {"description": "none"}}},
                "listOrders": {"method": "GET", "path": "/orders", "responses": {"200": {"description": "all", "schema": {"type": "array", "items": {"$ref": "Order.json"}}}}},
                "countOrders": {"method": "GET", "path": "/orders/count", "responses": {"200": {"description": "how many", "schema": {"type": "integer", "example": 3}}}},
                "quote": {"method": "GET", "path": "/quote", "responses": {"200": {"description": "a text", "schema": {"type": "string", "examples": ["say \"#hi\""]}}}},
                "cancelOrder": {"method": "DELETE", "path": "/orders/{id}", "parameters": {"path": {"id": {"type": "integer"}}}, "responses": {"204": {"description": "gone"}}},
                "newOrder": {"method": "POST", "path": "/orders", "body": "Order.json", "responses": {"201": {"description": "made", "schema": {"type": "object"}}}}
              }
            }
            """#
        let order = #"""
            {"type": "object", "required": ["id", "item"], "properties": {"id": {"type": "integer"}, "item": {"type": "string"}},
             "examples": [{"id": 1, "item": "tea"}]}
            """#
        let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8), "Order.json": Array(order.utf8)])
        let output = Scaffolder.scaffold(input, sources: [:])
        #expect(!output.diagnostics.contains { $0.severity == .error }, "\(output.diagnostics)")
        let text = output.text
        #expect(text.contains("import TrellisCore\nimport TrellisJSON\n"))
        #expect(
            text.contains(
                """
                    func getOrder(_ input: Orders.GetOrder.Input) async throws -> Orders.GetOrder.Output {
                        // The declared example, until the operation is written.
                        .ok(try Order(json: JSONDocument(parsing: #"{"id":1,"item":"tea"}"#).root))
                    }
                """), "\(text)")
        #expect(text.contains(##".ok(try [Order](json: JSONDocument(parsing: #"[{"id":1,"item":"tea"}]"#).root))"##))
        #expect(text.contains(##".ok(try Int(json: JSONDocument(parsing: #"3"#).root))"##))
        // A text with `"#` in it takes one more `#`.
        #expect(text.contains(###".ok(try String(json: JSONDocument(parsing: ##""say \"#hi\"""##).root))"###))
        // No example (an empty answer, an object without one): 501 as before.
        #expect(text.contains(#"throw NotImplementedError(operation: "cancelOrder")"#))
        #expect(text.contains(#"throw NotImplementedError(operation: "newOrder")"#))
    }

    @Test func aWebSocketWithParametersTakesItsInputFirst() {
        let declaration = #"""
            {
              "name": "Feed", "info": {"title": "Feed", "version": "1"}, "operations": {},
              "webSockets": {"ticks": {"path": "/ticks/{market}", "parameters": {"path": {"market": {"type": "string"}}}, "receive": {"type": "object"}, "send": {"type": "integer"}}}
            }
            """#
        let input = GeneratorInput(declarationPath: "service.json", files: ["service.json": Array(declaration.utf8)])
        let missing = Scaffolder.scaffold(input, sources: ["Feed.swift": "struct Ticker: FeedService {}\n"])
        #expect(missing.stubbedMethods == ["ticks"])
        #expect(missing.text.contains("func ticks(_ input: Feed.Ticks.Input, _ session: WebSocketSession<Feed.Ticks.Receive, Feed.Ticks.Send>) async throws {"))
        let written = """
            struct Ticker: FeedService {
                func ticks(_ input: Feed.Ticks.Input, _ session: WebSocketSession<Feed.Ticks.Receive, Feed.Ticks.Send>) async throws {}
            }
            """
        #expect(Scaffolder.scaffold(input, sources: ["Feed.swift": written]).stubbedMethods.isEmpty)
        // The session alone is no longer the handler.
        let old = "struct Ticker: FeedService {\n    func ticks(_ session: WebSocketSession<Feed.Ticks.Receive, Feed.Ticks.Send>) async throws {}\n}\n"
        #expect(Scaffolder.scaffold(input, sources: ["Feed.swift": old]).stubbedMethods == ["ticks"])
    }
}
