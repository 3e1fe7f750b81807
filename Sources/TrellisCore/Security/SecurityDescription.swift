/// A security scheme a service declares (OpenAPI's `securitySchemes`): what the runtime
/// reads a credential from, before the scheme's ``SecurityVerifier`` checks it.
public struct SecuritySchemeDescription: Sendable, Hashable {
    /// The scheme's name in the declaration (`staffKey`).
    public var name: String
    /// Where its credential is sent.
    public var kind: Kind

    /// A scheme; generated code makes one per declared scheme.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The kinds of security scheme OpenAPI defines.
    public enum Kind: Sendable, Hashable {
        /// A key in a header, query parameter or cookie (`name` is the header's, parameter's or cookie's).
        case apiKey(name: String, location: ParameterLocation)
        /// HTTP authentication with `scheme` (`basic`, `bearer`, or another), lowercased.
        case http(scheme: String)
        /// OAuth2: a bearer token whose scopes the verifier reports.
        case oauth2
        /// OpenID Connect: a bearer token.
        case openIdConnect
        /// Mutual TLS: the verifier reads the request (a terminating proxy's header).
        case mutualTLS
    }
}

/// One way of meeting an operation's security (an element of OpenAPI's `security`): every
/// scheme in it must be met, each with its scopes. An empty requirement (`{}`) is met by
/// every request: it makes the operation's security optional.
public struct SecurityRequirement: Sendable, Hashable {
    /// A scheme and the scopes it must grant.
    public struct Scheme: Sendable, Hashable {
        /// The scheme's name.
        public var name: String
        /// The scopes the credential must grant (OAuth2's; empty for most schemes).
        public var scopes: [String]

        /// A scheme with its scopes.
        public init(name: String, scopes: [String] = []) {
            self.name = name
            self.scopes = scopes
        }
    }

    /// The schemes, all of which must be met.
    public var schemes: [Scheme]

    /// A requirement; generated code writes one per element of an operation's `security`.
    public init(_ schemes: [Scheme]) { self.schemes = schemes }
}
