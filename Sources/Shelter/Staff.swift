import Foundation
import Trellis
import TrellisCore

/// The `X-API-Key` header a staff member sends.
public enum StaffKey: APIKeyDependency {
    public static let keyName = "X-API-Key"
    public static let location = ParameterLocation.header
}

/// Someone who works at the shelter.
public struct Staff: Sendable, Hashable {
    /// Their name.
    public var name: String
}

/// The staff member whose key the request carries; 401 for an unknown key. The keys come
/// from `SHELTER_STAFF_KEYS` (`key:name,key:name`; default `staff-key:Alex`).
public enum StaffMember: Dependency {
    public static let dependencies: [any Dependency.Type] = [StaffKey.self, StaffKeys.self]

    public static func resolve(in scope: DependencyScope) async throws -> Staff {
        let key = try await scope.resolve(StaffKey.self)
        let keys = try await scope.resolve(StaffKeys.self)
        guard let name = keys[key] else { throw HTTPError(.unauthorized, detail: "Unknown staff key") }
        return Staff(name: name)
    }
}

/// The known staff keys, read once at start-up.
public enum StaffKeys: ApplicationDependency {
    public static func start(in application: ApplicationDependencies) async throws -> [String: String] {
        let text = ProcessInfo.processInfo.environment["SHELTER_STAFF_KEYS"] ?? "staff-key:Alex"
        var keys: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { keys[String(parts[0])] = String(parts[1]) }
        }
        return keys
    }
}
