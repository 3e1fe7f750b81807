import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory trellis-scaffold [--target NAME]...`:
/// appends `async` handler stubs for the operations a target does not implement yet, by
/// running `trellis scaffold` for each target that uses a service declaration.
///
/// A target uses a declaration when it has a `trellis.json` file
/// (`{"declaration": "path/to/service.json"}`, relative to that file), or when its entry in
/// `Package.swift` lists the `TrellisPlugin` among its plugins and the package has
/// `schemas/<target>/service.json` or `schemas/service.json` — the same rules as the build
/// plugin; `--target` picks some of
/// those targets. The stubs go to `<Name>Service+Stubs.swift` in the
/// target's folder; nothing the user wrote is ever rewritten.
@main
struct TrellisScaffold: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        if let unknown = extractor.remainingArguments.first {
            throw ScaffoldPluginError("Unknown argument '\(unknown)': use --target NAME (repeatable) to choose targets, or nothing to scaffold every target that uses Trellis.")
        }
        let package = context.package
        let manifest = (try? String(contentsOf: package.directoryURL.appending(component: "Package.swift"), encoding: .utf8)) ?? ""
        let usingPlugin = Set(package.targets.map(\.name).filter { ManifestScan.usesTrellisPlugin(target: $0, manifest: manifest) })

        var jobs: [(target: SwiftSourceModuleTarget, declaration: URL)] = []
        if names.isEmpty {
            for case let target as SwiftSourceModuleTarget in package.targets {
                let hasConfig = target.sourceFiles.contains { $0.url.lastPathComponent == "trellis.json" }
                guard hasConfig || usingPlugin.contains(target.name) else { continue }
                jobs.append((target, try declaration(for: target, package: package)))
            }
            if jobs.isEmpty {
                throw ScaffoldPluginError(
                    "No target uses a Trellis service declaration: add plugins: [\"TrellisPlugin\"] to the target in Package.swift (with schemas/service.json at the package's top level), or a trellis.json file with {\"declaration\": \"path/to/service.json\"} to the target's folder.")
            }
        } else {
            for target in try package.targets(named: names) {
                guard let source = target as? SwiftSourceModuleTarget else {
                    throw ScaffoldPluginError("Target '\(target.name)' is not a Swift target: name a Swift target that implements the service with --target.")
                }
                guard source.sourceFiles.contains(where: { $0.url.lastPathComponent == "trellis.json" }) || usingPlugin.contains(source.name) else {
                    throw ScaffoldPluginError(
                        "Target '\(source.name)' does not use a Trellis service declaration: add plugins: [\"TrellisPlugin\"] to it in Package.swift, or a trellis.json file with {\"declaration\": \"path/to/service.json\"} to its folder.")
                }
                jobs.append((source, try declaration(for: source, package: package)))
            }
        }

        let tool = try context.tool(named: "trellis")
        for job in jobs {
            let process = Process()
            process.executableURL = tool.url
            process.arguments = [
                "scaffold", job.declaration.path(percentEncoded: false), "--sources", job.target.directoryURL.path(percentEncoded: false),
            ]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ScaffoldPluginError("trellis scaffold failed for target '\(job.target.name)' (see the messages above): fix the declaration, then run the command again.")
            }
        }
    }

    /// The target's declaration: its `trellis.json`'s, else an OpenAPI document in its folder
    /// (`openapi.yaml`, `openapi.yml`, `openapi.json`), else the package's
    /// `schemas/<target>/service.json`, else `schemas/service.json` (as the build plugin finds it).
    private func declaration(for target: SwiftSourceModuleTarget, package: Package) throws -> URL {
        let configs = target.sourceFiles.map(\.url).filter { $0.lastPathComponent == "trellis.json" }
        if configs.count > 1 {
            throw ScaffoldPluginError("Target '\(target.name)' has \(configs.count) trellis.json files; keep one.")
        }
        if let config = configs.first {
            guard let data = try? Data(contentsOf: config),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let path = object["declaration"] as? String
            else {
                throw ScaffoldPluginError("\(config.path): expected {\"declaration\": \"path/to/service.json\"} (a path relative to this file).")
            }
            let url = config.deletingLastPathComponent().appending(path: path).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path(percentEncoded: false)) else {
                throw ScaffoldPluginError("\(config.path): the declaration \(url.path) does not exist; fix the path in trellis.json.")
            }
            return url
        }
        // An OpenAPI document in the target's folder (as the build plugin finds it).
        let documents = target.sourceFiles.map(\.url).filter { ["openapi.yaml", "openapi.yml", "openapi.json"].contains($0.lastPathComponent) }
        if documents.count > 1 {
            throw ScaffoldPluginError("Target '\(target.name)' has \(documents.count) OpenAPI documents; keep one.")
        }
        if let document = documents.first { return document.standardizedFileURL }
        for name in [target.name, target.name.lowercased()] {
            let own = package.directoryURL.appending(components: "schemas", name, "service.json")
            if FileManager.default.fileExists(atPath: own.path(percentEncoded: false)) { return own }
        }
        let url = package.directoryURL.appending(components: "schemas", "service.json")
        guard FileManager.default.fileExists(atPath: url.path(percentEncoded: false)) else {
            throw ScaffoldPluginError(
                "Target '\(target.name)' has no service declaration: add schemas/service.json at the package's top level, or a trellis.json file to the target's folder with {\"declaration\": \"path/to/service.json\"}.")
        }
        return url
    }
}

/// A plugin error: a sentence that says what to do.
struct ScaffoldPluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
