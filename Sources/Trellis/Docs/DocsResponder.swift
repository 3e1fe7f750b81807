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

    init(configuration: TrellisConfiguration.DocsConfiguration, openAPI: String, asyncAPI: String?) {
        self.configuration = configuration
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

    /// The OpenAPI document.
    func openAPIResponse() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: openAPI)))
    }

    /// The AsyncAPI document; nil when the services have no channels.
    func asyncAPIResponse() -> Response? {
        asyncAPI.map { Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: $0))) }
    }

    /// Swagger UI's page, over the OpenAPI document at `openAPIPath`.
    func swaggerUIResponse(openAPIPath: String) -> Response { html(swaggerPage(openAPIPath: openAPIPath)) }

    /// ReDoc's page, over the OpenAPI document at `openAPIPath`.
    func redocResponse(openAPIPath: String) -> Response { html(redocPage(openAPIPath: openAPIPath)) }

    private func prefix(_ assets: TrellisConfiguration.DocsConfiguration.Assets) -> String {
        switch assets {
        case .url(let url): url.hasSuffix("/") ? String(url.dropLast()) : url
        case .folder: String(Self.assetsPath.dropLast())
        }
    }

    private func swaggerPage(openAPIPath: String) -> String {
        let assets = prefix(configuration.swaggerUIAssets)
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>\(title) - Swagger UI</title>
            <link type="text/css" rel="stylesheet" href="\(assets)/swagger-ui.css">
            </head>
            <body>
            \(channelsLink)
            <div id="swagger-ui"></div>
            <script src="\(assets)/swagger-ui-bundle.js"></script>
            <script>
            window.ui = SwaggerUIBundle({
              url: "\(openAPIPath)",
              dom_id: "#swagger-ui",
              deepLinking: true,
              layout: "BaseLayout",
              presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
              showExtensions: true,
              showCommonExtensions: true
            })
            </script>
            </body>
            </html>
            """
    }

    private func redocPage(openAPIPath: String) -> String {
        let assets = prefix(configuration.redocAssets)
        return """
            <!DOCTYPE html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>\(title) - ReDoc</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            </head>
            <body>
            \(channelsLink)
            <redoc spec-url="\(openAPIPath)"></redoc>
            <script src="\(assets)/redoc.standalone.js"></script>
            </body>
            </html>
            """
    }

    /// A line that links the AsyncAPI document, when there is one.
    private var channelsLink: String {
        guard asyncAPI != nil, let path = configuration.asyncAPIPath else { return "" }
        return #"<p style="font-family: sans-serif; margin: 8px 20px">WebSockets and server-sent events: <a href="\#(path)">the AsyncAPI document</a></p>"#
    }

    private func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
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
