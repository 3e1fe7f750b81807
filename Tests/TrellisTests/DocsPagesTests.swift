import Foundation
import HTTPTypes
import Testing
import TrellisJSON
import TrellisTesting

@testable import Petstore
@testable import Trellis

/// What the docs pages need to render as a person sees them: a document Swagger UI takes
/// without a warning, a first server that is the one serving it (or the public URL behind a
/// proxy), and a visible message where a script is missing. (`.ci/docs-check` opens the pages
/// in Chromium.)
@Suite struct DocsPagesTests {
    private func client(_ configure: (inout TrellisConfiguration) -> Void = { _ in }) throws -> TrellisTestClient {
        var configuration = TrellisConfiguration()
        configure(&configuration)
        return TrellisTestClient(try TrellisApplication(configuration: configuration, services: PetstoreImplementation()))
    }

    private static let forwardedPrefix = HTTPField.Name("X-Forwarded-Prefix")!

    /// Swagger UI shows a warning box for any `jsonSchemaDialect` but the OpenAPI base
    /// dialect's: the served document leaves it to that default (2020-12 with OpenAPI's
    /// annotations, which is what its converted schemas mean).
    @Test func theDocumentLeavesTheSchemaDialectToItsDefault() async throws {
        let document = try await client().get("/openapi.json").json()
        #expect(document["openapi"] == "3.1.0")
        #expect(document["jsonSchemaDialect"] == nil)
    }

    /// The first server is the one that served the document, `/` (as FastAPI's), so "Try it
    /// out" reaches it on any host and port; the declared server is kept as an alternative.
    @Test func theFirstServerIsTheOneThatServes() async throws {
        let response = try await client().get("/openapi.json")
        let servers = try #require(try response.json()["servers"]?.arrayValue)
        #expect(servers.count == 2)
        #expect(servers.first?["url"] == "/")
        #expect(servers.last == ["url": "http://127.0.0.1:8080", "description": "Local"])
        #expect(response.headers[.vary] == "X-Forwarded-Prefix")
    }

    /// Behind a proxy: a configured public URL is the first server and the pages load the
    /// document and their assets under its path; the declared server is not repeated.
    @Test func aPublicURLIsTheFirstServerAndThePagesPrefix() async throws {
        let client = try client {
            $0.docs.publicURL = "https://api.example.com/petstore/"
            $0.docs.swaggerUIAssets = .folder("/nonexistent")
        }
        let response = try await client.get("/openapi.json", headers: [Self.forwardedPrefix: "/other"])
        let servers = try #require(try response.json()["servers"]?.arrayValue)
        #expect(servers.first?["url"] == "https://api.example.com/petstore/")
        #expect(servers.count == 2)
        #expect(response.headers[.vary] == nil)
        let page = try await client.get("/docs").text
        #expect(page.contains(#"url: "/petstore/openapi.json""#))
        #expect(page.contains(#"src="/petstore/docs/assets/swagger-ui-bundle.js""#))
        #expect(try await self.client { $0.docs.publicURL = "http://127.0.0.1:8080" }.get("/openapi.json").json()["servers"]?.arrayValue?.count == 1)
    }

    /// A proxy that strips a prefix says so in `X-Forwarded-Prefix`: the document's first
    /// server and the pages' paths follow it; a value that is not a plain path (another host,
    /// markup, a climb out) is ignored.
    @Test func aForwardedPrefixIsFollowedWhenItIsAPlainPath() async throws {
        let client = try client()
        let forwarded = try await client.get("/openapi.json", headers: [Self.forwardedPrefix: "/api/v1/"])
        #expect(try forwarded.json()["servers"]?.arrayValue?.first?["url"] == "/api/v1")
        #expect(try forwarded.json()["servers"]?.arrayValue?.count == 2)
        #expect(try await client.get("/docs", headers: [Self.forwardedPrefix: "/api/v1"]).text.contains(#"url: "/api/v1/openapi.json""#))
        #expect(try await client.get("/redoc", headers: [Self.forwardedPrefix: "/api/v1"]).text.contains(#"spec-url="/api/v1/openapi.json""#))
        for hostile in ["//evil.example", "https://evil.example", "/a\"><script>alert(1)</script>", "/a/../../b", "api", "/a b", "/"] {
            let document = try await client.get("/openapi.json", headers: [Self.forwardedPrefix: hostile])
            #expect(try document.json()["servers"]?.arrayValue?.first?["url"] == "/", "\(hostile)")
            let page = try await client.get("/docs", headers: [Self.forwardedPrefix: hostile]).text
            #expect(page.contains(#"url: "/openapi.json""#), "\(hostile)")
            #expect(!page.contains("evil") && !page.contains("alert"), "\(hostile)")
        }
    }

    /// A public URL that is neither an http(s) URL nor a path stops the start, naming it.
    @Test func aMalformedPublicURLIsAStartupError() {
        for bad in ["ftp://example.com", "example.com/api", "//evil.example", "https://", "/a\"b", "https://exa mple.com"] {
            #expect(throws: TrellisStartupError.self, "\(bad)") { try self.client { $0.docs.publicURL = bad } }
            #expect(!TrellisConfiguration.fromEnvironment(["TRELLIS_PUBLIC_URL": bad], arguments: []).environmentProblems.isEmpty, "\(bad)")
        }
        let good = TrellisConfiguration.fromEnvironment(["TRELLIS_PUBLIC_URL": "/petstore"], arguments: [])
        #expect(good.docs.publicURL == "/petstore" && good.environmentProblems.isEmpty)
    }

    /// Each page says, on the page, when its script did not load (offline with the CDN
    /// default, or a folder without the file), instead of staying blank; and a local folder
    /// without the files is named at start-up.
    @Test func aMissingScriptIsAMessageNotABlankPage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-docs-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("window.SwaggerUIBundle = 1".utf8).write(to: URL(fileURLWithPath: folder + "/swagger-ui-bundle.js"))
        var configuration = TrellisConfiguration()
        configuration.docs.swaggerUIAssets = .folder(folder)
        configuration.docs.redocAssets = .folder(folder)
        let application = try TrellisApplication(configuration: configuration, services: PetstoreImplementation())
        #expect(
            application.docsAssetProblems == [
                "Swagger UI (/docs) will not render: swagger-ui.css missing from \(folder)",
                "ReDoc (/redoc) will not render: redoc.standalone.js missing from \(folder)",
            ])
        let client = TrellisTestClient(application)
        let swagger = try await client.get("/docs").text
        #expect(swagger.contains(#"if (typeof SwaggerUIBundle !== "undefined") return;"#))
        #expect(swagger.contains("its script swagger-ui-bundle.js did not load from /docs/assets"))
        let redoc = try await client.get("/redoc").text
        #expect(redoc.contains(#"if (typeof Redoc !== "undefined") return;"#))
        #expect(redoc.contains("set TRELLIS_REDOC_ASSETS (or TRELLIS_DOCS_ASSETS) to a folder holding redoc.standalone.js"))
        #expect(try await self.client().get("/docs").text.contains("did not load from https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"))
        let withFiles = TrellisConfiguration.fromEnvironment(
            ["TRELLIS_DOCS_ASSETS": folder, "TRELLIS_REDOC_ASSETS": "/srv/redoc"], arguments: [])
        #expect(withFiles.docs.swaggerUIAssets == .folder(folder) && withFiles.docs.redocAssets == .folder("/srv/redoc"))
        #expect(try TrellisApplication(configuration: TrellisConfiguration(), services: PetstoreImplementation()).docsAssetProblems.isEmpty)
    }
}
