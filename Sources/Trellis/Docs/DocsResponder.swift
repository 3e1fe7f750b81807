internal import Foundation
internal import Hummingbird
internal import NIOCore
internal import TrellisJSON

/// Serves `/openapi.json`, Swagger UI at `/docs`, ReDoc at `/redoc`, and their assets
/// from a local folder when configured so (the docs then work offline).
struct DocsResponder: Sendable {
    let configuration: TrellisConfiguration.DocsConfiguration
    let openAPI: [UInt8]
    /// The AsyncAPI document, if the services have channels.
    let asyncAPI: [UInt8]?
    let title: String
    /// The local assets' files, read once at start-up.
    private let assets: [String: Asset]

    /// A file of the assets folder, in memory.
    private struct Asset: Sendable {
        let contentType: String
        let bytes: ByteBuffer
    }

    /// The most an assets file may weigh (Swagger UI's bundle is about 1.5 MiB), and the most
    /// the folder's files may weigh together; what is beyond is not served.
    static let maxAssetSize = 16 << 20
    static let maxAssetsSize = 64 << 20

    /// The configured public URL, or nil when the server's root (or a proxy's
    /// `X-Forwarded-Prefix`) applies.
    private let publicURL: PublicURL?

    init(configuration: TrellisConfiguration.DocsConfiguration, openAPI: String, asyncAPI: String?) {
        self.configuration = configuration
        self.publicURL = configuration.publicURL.flatMap(PublicURL.init)
        var folders: [String] = []
        if case .folder(let path) = configuration.swaggerUIAssets { folders.append(path) }
        if case .folder(let path) = configuration.redocAssets, !folders.contains(path) { folders.append(path) }
        self.assets = Self.load(folders)
        self.openAPI = Array(openAPI.utf8)
        self.asyncAPI = asyncAPI.map { Array($0.utf8) }
        let title = (try? JSON(parsing: openAPI, options: .serviceDocuments))?["info"]?["title"]?.stringValue ?? "API"
        // The title goes into HTML: keep it to plain text.
        self.title = String(title.unicodeScalars.filter { !"<>&\"'".unicodeScalars.contains($0) })
    }

    static let assetsPath = "/docs/assets/"

    /// Where the request's client reaches the service: the configured public URL, else the
    /// prefix of the request's `X-Forwarded-Prefix`, else the server's root.
    func publicURL(forwardedPrefix: String?) -> PublicURL {
        publicURL ?? PublicURL.forwarded(forwardedPrefix) ?? .root
    }

    /// The OpenAPI document. Its first server (``OpenAPIAugmenter`` writes the configured
    /// public URL, or `/`) becomes `url`'s when a proxy's prefix applies.
    func openAPIResponse(for url: PublicURL) -> Response {
        var bytes = openAPI
        if publicURL == nil, url != .root, var document = (try? JSON(parsing: openAPI, options: .serviceDocuments))?.objectValue,
            var servers = document["servers"]?.arrayValue, var first = servers.first?.objectValue
        {
            first["url"] = .string(url.serverURL)
            servers[0] = .object(first)
            document["servers"] = .array(servers)
            var writer = JSONWriter(style: .pretty(indent: 2))
            writer.write(.object(document))
            bytes = writer.bytes
        }
        return Response(status: .ok, headers: varying([.contentType: "application/json"]), body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The AsyncAPI document; nil when the services have no channels.
    func asyncAPIResponse() -> Response? {
        asyncAPI.map { Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: $0))) }
    }

    /// Swagger UI's page, over the OpenAPI document at `openAPIPath`.
    func swaggerUIResponse(openAPIPath: String, for url: PublicURL) -> Response { html(swaggerPage(openAPIPath: openAPIPath, prefix: url.pathPrefix)) }

    /// ReDoc's page, over the OpenAPI document at `openAPIPath`.
    func redocResponse(openAPIPath: String, for url: PublicURL) -> Response { html(redocPage(openAPIPath: openAPIPath, prefix: url.pathPrefix)) }

    /// The files each page needs from a local assets folder.
    static let swaggerUIFiles = ["swagger-ui-bundle.js", "swagger-ui.css"]
    static let redocFiles = ["redoc.standalone.js"]

    /// What the configured local assets folders lack, one sentence for each page that will not
    /// render (logged as a warning at start-up; the page itself says so too).
    var missingAssets: [String] {
        var problems: [String] = []
        if configuration.swaggerUIPath != nil, case .folder(let folder) = configuration.swaggerUIAssets {
            let missing = Self.swaggerUIFiles.filter { assets[$0] == nil }
            if !missing.isEmpty {
                problems.append(
                    "Swagger UI (\(configuration.swaggerUIPath ?? "")) will not render: \(missing.joined(separator: " and ")) missing from \(folder)")
            }
        }
        if configuration.redocPath != nil, case .folder(let folder) = configuration.redocAssets {
            let missing = Self.redocFiles.filter { assets[$0] == nil }
            if !missing.isEmpty {
                problems.append("ReDoc (\(configuration.redocPath ?? "")) will not render: \(missing.joined(separator: " and ")) missing from \(folder)")
            }
        }
        return problems
    }

    private func prefix(_ assets: TrellisConfiguration.DocsConfiguration.Assets, pathPrefix: String) -> String {
        switch assets {
        case .url(let url): url.hasSuffix("/") ? String(url.dropLast()) : url
        case .folder: pathPrefix + String(Self.assetsPath.dropLast())
        }
    }

    /// A script that replaces a blank page by a message when `global` (the page's script) did
    /// not load: offline with the CDN default, or a local folder without the file.
    private func missingScriptNotice(global: String, file: String, source: String, setting: String) -> String {
        let message =
            "The docs page cannot render: its script \(file) did not load from \(source). "
            + "Without network access, serve it from a local folder: set \(setting) (or TRELLIS_DOCS_ASSETS) to a folder holding \(file) "
            + "(PyPI's drf-spectacular-sidecar ships Swagger UI's and ReDoc's files), or set TrellisConfiguration.docs in code."
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "<", with: "\\u003c")
        return """
            <script>
            window.addEventListener("load", function () {
              if (typeof \(global) !== "undefined") return;
              var notice = document.createElement("p");
              notice.id = "trellis-docs-missing-script";
              notice.setAttribute("style", "font-family: sans-serif; margin: 20px; padding: 12px; border: 2px solid #c00; color: #900");
              notice.textContent = "\(escaped)";
              document.body.insertBefore(notice, document.body.firstChild);
            });
            </script>
            """
    }

    private func swaggerPage(openAPIPath: String, prefix pathPrefix: String) -> String {
        let assets = prefix(configuration.swaggerUIAssets, pathPrefix: pathPrefix)
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>\(title) - Swagger UI</title>
            <link type="text/css" rel="stylesheet" href="\(assets)/swagger-ui.css">
            </head>
            <body>
            \(channelsLink(prefix: pathPrefix))
            <div id="swagger-ui"></div>
            <script src="\(assets)/swagger-ui-bundle.js"></script>
            \(missingScriptNotice(global: "SwaggerUIBundle", file: "swagger-ui-bundle.js", source: assets, setting: "TRELLIS_SWAGGER_UI_ASSETS"))
            <script>
            if (typeof SwaggerUIBundle !== "undefined") {
              window.ui = SwaggerUIBundle({
                url: "\(pathPrefix + openAPIPath)",
                dom_id: "#swagger-ui",
                deepLinking: true,
                layout: "BaseLayout",
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
                showExtensions: true,
                showCommonExtensions: true
              })
            }
            </script>
            </body>
            </html>
            """
    }

    private func redocPage(openAPIPath: String, prefix pathPrefix: String) -> String {
        let assets = prefix(configuration.redocAssets, pathPrefix: pathPrefix)
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>\(title) - ReDoc</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            </head>
            <body>
            \(channelsLink(prefix: pathPrefix))
            <redoc spec-url="\(pathPrefix + openAPIPath)"></redoc>
            <script src="\(assets)/redoc.standalone.js"></script>
            \(missingScriptNotice(global: "Redoc", file: "redoc.standalone.js", source: assets, setting: "TRELLIS_REDOC_ASSETS"))
            </body>
            </html>
            """
    }

    /// A line that links the AsyncAPI document, when there is one.
    private func channelsLink(prefix: String) -> String {
        guard asyncAPI != nil, let path = configuration.asyncAPIPath else { return "" }
        return
            #"<p style="font-family: sans-serif; margin: 8px 20px">WebSockets and server-sent events: <a href="\#(prefix + path)">the AsyncAPI document</a></p>"#
    }

    private func html(_ text: String) -> Response {
        Response(status: .ok, headers: varying([.contentType: "text/html; charset=utf-8"]), body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `headers`, with `Vary: X-Forwarded-Prefix` when that header shapes the answer (no
    /// public URL is configured): a cache in front keeps one answer per prefix.
    private func varying(_ headers: HTTPFields) -> HTTPFields {
        guard publicURL == nil else { return headers }
        var headers = headers
        headers[.vary] = "X-Forwarded-Prefix"
        return headers
    }

    /// A file of the local Swagger UI or ReDoc folder (only plain file names, never a path out
    /// of it); nil when there is no such file.
    func asset(_ name: String) -> Response? {
        guard let asset = assets[name] else { return nil }
        return Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"], body: ResponseBody(byteBuffer: asset.bytes))
    }

    /// The regular files of `folders` (the first folder's file wins a name), read once: a
    /// request never touches the disk, a symbolic link (which could lead out of the folder) is
    /// not followed, and a file over ``maxAssetSize`` — or past ``maxAssetsSize`` in all — is
    /// left out.
    private static func load(_ folders: [String]) -> [String: Asset] {
        var assets: [String: Asset] = [:]
        var total = 0
        let files = FileManager.default
        for folder in folders {
            for name in ((try? files.contentsOfDirectory(atPath: folder)) ?? []).sorted() where assets[name] == nil && !name.hasPrefix(".") {
                let path = folder + "/" + name
                // attributesOfItem does not follow a symbolic link: it describes the link.
                guard let attributes = try? files.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular,
                    let size = (attributes[.size] as? NSNumber)?.intValue, size <= maxAssetSize, total + size <= maxAssetsSize,
                    let handle = FileHandle(forReadingAtPath: path)
                else { continue }
                defer { try? handle.close() }
                guard let data = try? handle.read(upToCount: maxAssetSize + 1), data.count <= maxAssetSize else { continue }
                total += data.count
                assets[name] = Asset(contentType: contentType(of: name), bytes: ByteBuffer(bytes: data))
            }
        }
        return assets
    }

    private static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "js": "application/javascript"
        case "css": "text/css"
        case "html": "text/html; charset=utf-8"
        case "png": "image/png"
        case "map", "json": "application/json"
        default: "application/octet-stream"
        }
    }
}
