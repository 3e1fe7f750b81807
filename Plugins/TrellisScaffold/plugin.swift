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
            throw PluginProblem(
                "Unknown argument '\(unknown)': use --target NAME (repeatable) to choose targets, or nothing to scaffold every target that uses Trellis.")
        }
        let package = context.package
        let manifest = (try? String(contentsOf: package.directoryURL.appending(component: "Package.swift"), encoding: .utf8)) ?? ""
        let usingPlugin = Set(package.targets.map(\.name).filter { ManifestScan.usesTrellisPlugin(target: $0, manifest: manifest) })

        var jobs: [(target: SwiftSourceModuleTarget, declaration: URL)] = []
        if names.isEmpty {
            for case let target as SwiftSourceModuleTarget in package.targets {
                let hasConfig = target.sourceFiles.contains { $0.url.lastPathComponent == "trellis.json" }
                guard hasConfig || usingPlugin.contains(target.name) else { continue }
                jobs.append((target, try DeclarationLookup.declaration(of: target, in: package)))
            }
            if jobs.isEmpty {
                throw PluginProblem(
                    "No target uses a Trellis service declaration: add plugins: [\"TrellisPlugin\"] to the target in Package.swift (with schemas/service.json at the package's top level), or a trellis.json file with {\"declaration\": \"path/to/service.json\"} to the target's folder."
                )
            }
        } else {
            for target in try package.targets(named: names) {
                guard let source = target as? SwiftSourceModuleTarget else {
                    throw PluginProblem("Target '\(target.name)' is not a Swift target: name a Swift target that implements the service with --target.")
                }
                guard source.sourceFiles.contains(where: { $0.url.lastPathComponent == "trellis.json" }) || usingPlugin.contains(source.name) else {
                    throw PluginProblem(
                        "Target '\(source.name)' does not use a Trellis service declaration: add plugins: [\"TrellisPlugin\"] to it in Package.swift, or a trellis.json file with {\"declaration\": \"path/to/service.json\"} to its folder."
                    )
                }
                jobs.append((source, try DeclarationLookup.declaration(of: source, in: package)))
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
                throw PluginProblem(
                    "trellis scaffold failed for target '\(job.target.name)' (see the messages above): fix the declaration, then run the command again.")
            }
        }
    }
}
