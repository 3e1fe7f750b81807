/// Where clients reach the service: the served document's first server, and the path the docs
/// pages put in front of the document's and the assets' paths.
///
/// It comes from ``TrellisConfiguration/DocsConfiguration/publicURL`` (an absolute `http` or
/// `https` URL, or a path prefix), from a proxy's `X-Forwarded-Prefix` header, or is the
/// server's own root, `/`.
struct PublicURL: Sendable, Hashable {
    /// The server URL written in the document: the configured URL as given, a prefix, or `/`.
    let serverURL: String
    /// The path before the service's own paths: `""` at the root, else `/petstore` (no
    /// trailing slash).
    let pathPrefix: String

    /// The server that served the document.
    static let root = PublicURL(serverURL: "/", pathPrefix: "")

    private init(serverURL: String, pathPrefix: String) {
        self.serverURL = serverURL
        self.pathPrefix = pathPrefix
    }

    /// Reads a configured public URL: `http://` or `https://` with a host, or a path that
    /// starts with `/` (not `//`, which a browser reads as another host); nil for anything
    /// else, or for characters that have no place in a URL's path (quotes, angle brackets, `&`,
    /// spaces, controls: it goes into HTML and JavaScript).
    init?(_ text: String) {
        let lowered = text.lowercased()
        var path = Substring(text)
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let afterScheme = text.dropFirst(lowered.hasPrefix("https://") ? 8 : 7)
            let host = afterScheme.prefix { $0 != "/" }
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }) else { return nil }
            path = afterScheme.dropFirst(host.count)
        } else if !text.hasPrefix("/") || text.hasPrefix("//") {
            return nil
        }
        guard let prefix = Self.pathPrefix(path) else { return nil }
        self.init(serverURL: text, pathPrefix: prefix)
    }

    /// The prefix a proxy announces in `X-Forwarded-Prefix` (a path that starts with one `/`,
    /// at most 256 characters of a URL path's safe set); nil when the header is absent,
    /// empty, `/` or not such a path, and the root applies.
    static func forwarded(_ header: String?) -> PublicURL? {
        guard let header, header.utf8.count <= 256, header.hasPrefix("/"), !header.hasPrefix("//"),
            let prefix = pathPrefix(Substring(header)), !prefix.isEmpty
        else { return nil }
        return PublicURL(serverURL: prefix, pathPrefix: prefix)
    }

    /// `path` without its trailing slashes, if every character of it is one a URL's path may
    /// hold unescaped (or a `%` escape's); nil otherwise.
    private static func pathPrefix(_ path: Substring) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%!$()*+,;=:@")
        guard path.allSatisfy({ allowed.contains($0) }), !path.contains("/../"), !path.hasSuffix("/..") else { return nil }
        var trimmed = path
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
