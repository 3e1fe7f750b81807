/// The files of a new service package (`trellis init`): a package that builds, tests and
/// serves with no edit — a declaration with one model and two operations, their handlers,
/// an entry point, and a test through the in-process test client.
public struct StarterPackage: Sendable {
    /// Where the new package gets Trellis from.
    public enum Dependency: Sendable, Hashable {
        /// A published release: `.package(url:from:)`.
        case release(url: String, from: String)
        /// A local copy (a clone, or a checkout being worked on): `.package(path:)`. `path` as
        /// written into the manifest; `identity` the package identity SwiftPM derives from it
        /// (its last path component, in lower case).
        case path(String)
    }

    /// Where Trellis is published, and the release a new package starts from.
    public static let releaseURL = "https://github.com/trellis-swift/trellis.git"
    public static let releaseVersion = "0.1.0"

    /// The service's name: the executable target, the generated namespace (`Orders`), the
    /// protocol (`OrdersService`) and the test target (`OrdersTests`).
    public let name: String
    public let dependency: Dependency
    /// The declaration's `"$schema"`, relative to `schemas/`: the format's meta-schema inside
    /// the Trellis the package uses, for editors' completion and checks.
    public let metaSchemaPath: String

    /// A package named `name`, depending on Trellis through `dependency`.
    /// - Parameter metaSchemaPath: where `schemas/service.json` finds the declaration format's
    ///   meta-schema (nil: inside SwiftPM's checkout of the release,
    ///   `../.build/checkouts/trellis/…`).
    public init(name: String, dependency: Dependency, metaSchemaPath: String? = nil) {
        self.name = name
        self.dependency = dependency
        self.metaSchemaPath = metaSchemaPath ?? "../.build/checkouts/trellis/Sources/TrellisGenerator/trellis-service.schema.json"
    }

    /// Why `name` cannot name a service (nil: it can): it must be a Swift identifier that
    /// starts with a capital letter, and not a name the package's modules already use.
    public static func problem(withName name: String) -> String? {
        guard let first = name.unicodeScalars.first, ("A"..."Z").contains(first),
            name.unicodeScalars.allSatisfy({ $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_") })
        else { return "\"\(name)\" is not a service name: use letters, digits and _, starting with a capital letter (say --name Orders)" }
        if ["Trellis", "TrellisCore", "TrellisJSON", "TrellisSchema", "TrellisClient", "TrellisTesting", "Foundation", "Swift", "Testing"].contains(name) {
            return "\"\(name)\" is the name of a module the package imports; choose another --name"
        }
        return nil
    }

    /// A service name from a folder's name: `my-orders` → `MyOrders`; nil when nothing usable
    /// is left.
    public static func name(fromFolder folder: String) -> String? {
        let words = folder.drop { !($0.isASCII && $0.isLetter) }.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? nil : name
    }

    /// The identity SwiftPM gives the Trellis package: the last component of its URL or path,
    /// without `.git`, in lower case.
    public var trellisIdentity: String {
        let location: String
        switch dependency {
        case .release(let url, _): location = url
        case .path(let path): location = path
        }
        var last = location.split(separator: "/").last.map(String.init) ?? "trellis"
        if last.hasSuffix(".git") { last.removeLast(4) }
        return last.lowercased()
    }

    /// Every file, by path relative to the package's folder.
    public var files: [(path: String, contents: String)] {
        [
            ("Package.swift", manifest),
            (".gitignore", ".build/\n.swiftpm/\n"),
            ("README.md", readme),
            ("schemas/service.json", declaration),
            ("schemas/Greeting.json", greetingModel),
            ("Sources/\(name)/\(name)Implementation.swift", implementation),
            ("Sources/\(name)/main.swift", entryPoint),
            ("Tests/\(name)Tests/\(name)Tests.swift", tests),
        ]
    }

    /// What to run next, from the folder `trellis init` was run in (`folder` as the user typed it).
    public func nextSteps(folder: String) -> String {
        """
        Created the \(name) service in \(folder). Next:

          cd \(folder.contains(" ") ? "'\(folder)'" : folder)
          swift test        # builds (the plugin generates the code from schemas/) and runs the tests
          swift run \(name)     # serves on http://127.0.0.1:8080; the docs at /docs

        Then declare operations in schemas/service.json and write their handlers in
        Sources/\(name)/\(name)Implementation.swift: the build says which are missing.
        `swift run trellis dev` serves, and rebuilds and restarts on every change.
        """
    }

    // MARK: - Files

    var dependencyLine: String {
        switch dependency {
        case .release(let url, let version): return ".package(url: \(literal(url)), from: \(literal(version)))"
        case .path(let path): return ".package(path: \(literal(path)))"
        }
    }

    var manifest: String {
        let package = literal(trellisIdentity)
        return """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: \(literal(name)),
                platforms: [.macOS(.v15)],
                dependencies: [
                    \(dependencyLine),
                ],
                targets: [
                    // The service: the build plugin generates its models, operations and protocol
                    // from schemas/ on every build; the handlers are in \(name)Implementation.swift.
                    .executableTarget(
                        name: \(literal(name)),
                        dependencies: [
                            .product(name: "Trellis", package: \(package)),
                            .product(name: "TrellisCore", package: \(package)),
                            .product(name: "TrellisJSON", package: \(package)),
                        ],
                        plugins: [.plugin(name: "TrellisPlugin", package: \(package))]),
                    .testTarget(
                        name: \(literal(name + "Tests")),
                        dependencies: [
                            \(literal(name)),
                            .product(name: "Trellis", package: \(package)),
                            .product(name: "TrellisTesting", package: \(package)),
                        ]),
                ]
            )

            """
    }

    var declaration: String {
        """
        {
          "$schema": \(literal(metaSchemaPath)),
          "name": \(literal(name)),
          "info": {"title": \(literal(name)), "version": "0.1.0", "description": "A Trellis service."},
          "models": ["Greeting.json"],
          "operations": {
            "greet": {
              "method": "GET",
              "path": "/hello/{name}",
              "summary": "Greet someone by name",
              "parameters": {
                "path": {"name": {"type": "string", "minLength": 1, "maxLength": 40}},
                "query": {"excited": {"type": "boolean", "default": false, "description": "End with an exclamation mark"}}
              },
              "responses": {"200": "Greeting.json"}
            },
            "echo": {
              "method": "POST",
              "path": "/echo",
              "summary": "Send a greeting back",
              "body": "Greeting.json",
              "responses": {"200": {"description": "The same greeting", "schema": "Greeting.json"}}
            }
          }
        }

        """
    }

    var greetingModel: String {
        """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Greeting",
          "description": "A message for someone.",
          "type": "object",
          "additionalProperties": false,
          "required": ["message"],
          "properties": {
            "message": {"type": "string", "minLength": 1, "maxLength": 200}
          }
        }

        """
    }

    var implementation: String {
        """
        import TrellisCore

        /// The handlers: one method per operation of schemas/service.json. Each receives its
        /// input validated and typed, and returns one of the statuses the operation declares.
        struct \(name)Implementation: \(name)Service {
            func greet(_ input: \(name).Greet.Input) async throws -> \(name).Greet.Output {
                .ok(Greeting(message: "Hello, \\(input.name)" + (input.excited ? "!" : ".")))
            }

            func echo(_ input: \(name).Echo.Input) async throws -> \(name).Echo.Output {
                .ok(input.body)
            }
        }

        """
    }

    var entryPoint: String {
        """
        import Trellis

        // Serves on 127.0.0.1:8080 (HOST and PORT, or --host and --port, say otherwise), with the
        // OpenAPI document at /openapi.json and the docs at /docs; stops on SIGINT or SIGTERM.
        await TrellisApplication.main(services: \(name)Implementation())

        """
    }

    var tests: String {
        """
        import Testing
        import Trellis
        import TrellisTesting
        @testable import \(name)

        /// The service in process, through the test client: no socket, the server's own responder.
        @Suite struct \(name)Tests {
            let client: TrellisTestClient

            init() throws {
                client = TrellisTestClient(try TrellisApplication(services: \(name)Implementation()))
            }

            @Test func greetsByName() async throws {
                let response = try await client.get("/hello/Ann?excited=true")
                #expect(response.status == .ok)
                #expect(try response.decode(Greeting.self) == Greeting(message: "Hello, Ann!"))
            }

            @Test func refusesAnEmptyMessage() async throws {
                let response = try await client.post("/echo", json: ["message": ""])
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("message"))
            }
        }

        """
    }

    var readme: String {
        """
        # \(name)

        A [Trellis](\(Self.releaseURL.hasSuffix(".git") ? String(Self.releaseURL.dropLast(4)) : Self.releaseURL)) service: declared in `schemas/`, handled in
        `Sources/\(name)/\(name)Implementation.swift`.

        ```sh
        swift test          # builds (code generated from schemas/ by the plugin) and tests
        swift run \(name)   # serves on http://127.0.0.1:8080; docs at /docs, the document at /openapi.json
        swift run trellis dev   # serves, and rebuilds and restarts on every change of schemas/ or Sources/
        ```

        """
    }

    /// `text` as a Swift string literal, which is also a JSON string for the texts written
    /// here (names, paths, versions: no control characters).
    private func literal(_ text: String) -> String { SwiftNaming.stringLiteral(text) }
}
