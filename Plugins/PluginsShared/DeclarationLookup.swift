import Foundation
import PackagePlugin

// Shared by the build plugin and the scaffold command (each plugin's folder links this one,
// as swift-openapi-generator's plugins share PluginsShared): both find a target's settings and
// declaration by the same rules.

/// A plugin error: a sentence that says what to do.
struct PluginProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A target's `trellis.json` and service declaration.
enum DeclarationLookup {
    /// The keys a `trellis.json` may hold (the generator reads `client` and `accessModifier`
    /// itself, on every run).
    static let settingsKeys = ["declaration", "client", "accessModifier"]
    static let expectedSettings =
        "expected {\"declaration\": \"path/to/service.json\", \"client\": true, \"accessModifier\": \"public\"} (each optional; the path relative to this file)"

    /// A target's `trellis.json`: where its declaration is (nil: found as usual), and the file
    /// itself (nil: the target has none).
    /// - Throws: ``PluginProblem`` for several files, a file that is not a JSON object, an
    ///   unknown key, a value of the wrong kind, or a declaration that does not exist.
    static func settings(of target: SwiftSourceModuleTarget) throws -> (declaration: URL?, file: URL?) {
        let configs = target.sourceFiles.map(\.url).filter { $0.lastPathComponent == "trellis.json" }
        if configs.count > 1 {
            throw PluginProblem("Target '\(target.name)' has \(configs.count) trellis.json files; keep one.")
        }
        guard let config = configs.first else { return (nil, nil) }
        guard let data = try? Data(contentsOf: config), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PluginProblem("\(config.path): not a JSON object; \(expectedSettings).")
        }
        if let unknown = object.keys.filter({ !settingsKeys.contains($0) }).sorted().first {
            throw PluginProblem("\(config.path): unknown key '\(unknown)'; \(expectedSettings).")
        }
        switch object["client"] {
        case nil, is Bool: break
        default: throw PluginProblem("\(config.path): \"client\" is true or false; \(expectedSettings).")
        }
        switch object["accessModifier"] {
        case nil: break
        case let level as String where ["public", "package", "internal"].contains(level): break
        default: throw PluginProblem("\(config.path): \"accessModifier\" is \"public\", \"package\" or \"internal\".")
        }
        guard let value = object["declaration"] else { return (nil, config) }
        guard let path = value as? String else { throw PluginProblem("\(config.path): \"declaration\" is a path; \(expectedSettings).") }
        let url = config.deletingLastPathComponent().appending(path: path).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path(percentEncoded: false)) else {
            throw PluginProblem("\(config.path): the declaration \(url.path) does not exist; fix the path in trellis.json.")
        }
        return (url, config)
    }

    /// The target's declaration: its `trellis.json`'s, else an OpenAPI document in its folder
    /// (`openapi.yaml`, `openapi.yml`, `openapi.json`, where swift-openapi-generator users keep
    /// it), else the package's `schemas/<target>/service.json` (also with the name in lower
    /// case: a package with several services), else `schemas/service.json`.
    static func declaration(of target: SwiftSourceModuleTarget, in package: Package) throws -> URL {
        if let declaration = try settings(of: target).declaration { return declaration }
        let documents = target.sourceFiles.map(\.url).filter { ["openapi.yaml", "openapi.yml", "openapi.json"].contains($0.lastPathComponent) }
        if documents.count > 1 {
            throw PluginProblem(
                "Target '\(target.name)' has \(documents.count) OpenAPI documents (\(documents.map(\.lastPathComponent).sorted().joined(separator: ", "))); keep one."
            )
        }
        if let document = documents.first { return document.standardizedFileURL }
        for name in [target.name, target.name.lowercased()] {
            let own = package.directoryURL.appending(components: "schemas", name, "service.json")
            if FileManager.default.fileExists(atPath: own.path(percentEncoded: false)) { return own }
        }
        let url = package.directoryURL.appending(components: "schemas", "service.json")
        guard FileManager.default.fileExists(atPath: url.path(percentEncoded: false)) else {
            throw PluginProblem(
                "Target '\(target.name)' uses Trellis but has no service declaration: add schemas/service.json at the package's top level, or a trellis.json file to the target's folder with {\"declaration\": \"path/to/service.json\"}."
            )
        }
        return url
    }
}
