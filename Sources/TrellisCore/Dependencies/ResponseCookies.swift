internal import Synchronization

/// A cookie to set, with its attributes (RFC 6265 §4.1), written as one `Set-Cookie` field.
public struct Cookie: Sendable, Hashable {
    /// The cookie's name: an HTTP token.
    public var name: String
    /// The value: printable ASCII without spaces, quotes, commas, semicolons or backslashes.
    public var value: String
    /// Seconds until it expires (`Max-Age`; 0 deletes it); nil: a session cookie.
    public var maxAge: Int?
    /// The path it is sent for.
    public var path: String?
    /// The domain it is sent to (nil: this host only).
    public var domain: String?
    /// Sent over HTTPS only.
    public var secure: Bool
    /// Hidden from scripts.
    public var httpOnly: Bool
    /// Whether it is sent with cross-site requests.
    public var sameSite: SameSite?

    /// `SameSite`'s values.
    public enum SameSite: String, Sendable, Hashable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    /// A cookie; by default `Path=/; Secure; HttpOnly; SameSite=Lax`, what a session cookie
    /// should be.
    public init(
        name: String, value: String, maxAge: Int? = nil, path: String? = "/", domain: String? = nil, secure: Bool = true,
        httpOnly: Bool = true, sameSite: SameSite? = .lax
    ) {
        self.name = name
        self.value = value
        self.maxAge = maxAge
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// The `Set-Cookie` field's value.
    /// - Throws: ``CookieError`` for a name, value, path or domain that the field cannot carry.
    public func headerValue() throws(CookieError) -> String {
        func isTokenByte(_ byte: UInt8) -> Bool {
            byte > 0x20 && byte < 0x7F && !Array("()<>@,;:\\\"/[]?={}".utf8).contains(byte)
        }
        func isValueByte(_ byte: UInt8) -> Bool {
            byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte) || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
        }
        func isAttributeByte(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: ";") }
        guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else { throw CookieError("the cookie name \(name.debugDescription) is not an HTTP token") }
        guard value.utf8.allSatisfy(isValueByte) else { throw CookieError("the value of the cookie \(name) has a byte a cookie cannot carry") }
        var text = name + "=" + value
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if let path {
            guard path.utf8.allSatisfy(isAttributeByte) else { throw CookieError("the path of the cookie \(name) has a byte a cookie cannot carry") }
            text += "; Path=" + path
        }
        if let domain {
            guard domain.utf8.allSatisfy(isAttributeByte) else { throw CookieError("the domain of the cookie \(name) has a byte a cookie cannot carry") }
            text += "; Domain=" + domain
        }
        if secure || sameSite == SameSite.none { text += "; Secure" }  // SameSite=None requires Secure
        if httpOnly { text += "; HttpOnly" }
        if let sameSite { text += "; SameSite=" + sameSite.rawValue }
        return text
    }
}

/// A cookie that cannot be written as a `Set-Cookie` field.
public struct CookieError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Cookies a handler sets on its answer, whatever the declared response: FastAPI's
/// `response.set_cookie`. Declare it as a dependency (`"cookies": {"type": "ResponseCookies"}`)
/// and set cookies on the value the input carries:
///
/// ```swift
/// try input.cookies.set(Cookie(name: "session", value: token, maxAge: 3600))
/// input.cookies.delete("theme")
/// ```
///
/// Each becomes one `Set-Cookie` field of the handler's answer (whatever its status); when
/// the handler throws, none is sent.
public final class ResponseCookies: Sendable {
    private let cookies = Mutex<[String]>([])

    /// None yet.
    public init() {}

    /// Sets `cookie` on the response.
    /// - Throws: ``CookieError`` when it cannot be written (a name that is not a token, a
    ///   value with a space or a semicolon…).
    public func set(_ cookie: Cookie) throws(CookieError) {
        let value = try cookie.headerValue()
        cookies.withLock { $0.append(value) }
    }

    /// Tells the client to delete the cookie `name` (sent for `path`).
    public func delete(_ name: String, path: String? = "/") {
        let value = (try? Cookie(name: name, value: "", maxAge: 0, path: path).headerValue()) ?? "\(name)=; Max-Age=0"
        cookies.withLock { $0.append(value) }
    }

    /// The `Set-Cookie` values, in the order set.
    public var fieldValues: [String] { cookies.withLock { $0 } }
}

extension ResponseCookies: Dependency {
    /// A new, empty set for the request.
    public static func resolve(in scope: DependencyScope) async throws -> ResponseCookies { ResponseCookies() }
}
