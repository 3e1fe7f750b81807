import Foundation
import PackagePlugin

/// Regenerates a target's Swift code from its service declaration on every build.
///
/// The declaration is found, in order: a `trellis.json` file among the target's sources
/// (`{"declaration": "path/to/service.json"}`, relative to that file; an OpenAPI document
/// works there too; `"client": true` there also generates a typed client, `Client.swift`,
/// for a target that depends on the TrellisClient library, and `"accessModifier": "public"`
/// makes the generated declarations public, for a library), an OpenAPI document in the target's folder (`openapi.yaml`,
/// `openapi.yml` or `openapi.json`, where swift-openapi-generator users keep it), the package's
/// `schemas/<target name>/service.json` (also with the name in lower case: a package with
/// several services), or the package's top-level `schemas/service.json`. Every `.json` file in the declaration's folder is
/// an input, so editing or adding a model regenerates — except in subfolders that hold a
/// `service.json` of their own: another service, served by another target.
@main
struct TrellisPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let sourceTarget = target as? SwiftSourceModuleTarget else {
            throw PluginProblem("The Trellis plugin generates Swift code, but target '\(target.name)' is not a Swift target. Remove the plugin from it.")
        }
        let settings = try DeclarationLookup.settings(of: sourceTarget)
        let declaration = try DeclarationLookup.declaration(of: sourceTarget, in: context.package)
        // SwiftPM plans the commands once (until the manifest or the target's file list
        // changes), so `client` is read by the generator itself on every run, from the
        // settings file (an input: editing it reruns the generator), and Client.swift is always
        // planned when there is one (without code when no client is asked for). The plugin
        // reads the file too, to find the declaration and to fail the plan on a bad file.
        let client = settings.file.map { ["--settings", $0.path(percentEncoded: false)] } ?? []
        let clientOutput = settings.file == nil ? [] : ["Client.swift"]
        let settingsFile = settings.file.map { [$0] } ?? []
        let folder = declaration.deletingLastPathComponent()
        let output = context.pluginWorkDirectoryURL.appending(component: "GeneratedSources")
        let tool = try context.tool(named: "trellis")
        if isOpenAPI(declaration) {
            // An OpenAPI document: every JSON and YAML file beside it may be a `$ref` target;
            // the models are its components, spread over Models1.swift to Models8.swift.
            let inputs = declarationFiles(in: folder, yaml: true)
            return [
                .buildCommand(
                    displayName: "Generating Swift code from \(declaration.lastPathComponent) for \(target.name)",
                    executable: tool.url,
                    arguments: ["generate", declaration.path(percentEncoded: false), "--output-directory", output.path(percentEncoded: false)] + client,
                    inputFiles: inputs + settingsFile + [tool.url],
                    outputFiles: (openAPIOutputFileNames + clientOutput).map { output.appending(component: $0) })
            ]
        }
        let inputs = declarationFiles(in: folder, yaml: false)
        let names = outputFileNames(declaration: declaration, folder: folder, inputs: inputs) + ["Models+Unplanned.swift"] + clientOutput
        // SwiftPM plans the outputs once (until the manifest or the target's own files change):
        // a model file added to schemas/ afterwards has no planned output, so the generator
        // puts its types in Models+Unplanned.swift, which is always planned.
        let prefix = folder.standardizedFileURL.path(percentEncoded: false)
        let planned = inputs.filter { $0.standardizedFileURL != declaration.standardizedFileURL }.flatMap { input -> [String] in
            var relative = String(input.path(percentEncoded: false).dropFirst(prefix.count))
            while relative.hasPrefix("/") { relative.removeFirst() }
            return ["--planned-model", relative]
        }
        return [
            .buildCommand(
                displayName: "Generating Swift code from \(declaration.lastPathComponent) for \(target.name)",
                executable: tool.url,
                arguments: ["generate", declaration.path(percentEncoded: false), "--output-directory", output.path(percentEncoded: false), "--plan"] + planned
                    + client,
                inputFiles: inputs + settingsFile + [tool.url],
                outputFiles: names.map { output.appending(component: $0) })
        ]
    }

    /// The files generated from an OpenAPI document: must match
    /// `Generator.openAPIOutputFileNames` in TrellisGenerator.
    private var openAPIOutputFileNames: [String] {
        ["OpenAPI.swift", "Operations.swift", "Service.swift"] + (1...8).map { "Models\($0).swift" } + (1...4).map { "Operations\($0).swift" }
    }

    /// Whether the generator reads a declaration as an OpenAPI document (as
    /// `Generator.isOpenAPIPath` in TrellisGenerator decides).
    private func isOpenAPI(_ declaration: URL) -> Bool {
        let name = declaration.lastPathComponent.lowercased()
        return name == "openapi.json" || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    private func declarationFiles(in folder: URL, yaml: Bool) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else {
            return []
        }
        var result: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if FileManager.default.fileExists(atPath: url.appending(component: "service.json").path(percentEncoded: false)) { enumerator.skipDescendants() }
                continue
            }
            let pathExtension = url.pathExtension.lowercased()
            if pathExtension == "json" || (yaml && (pathExtension == "yaml" || pathExtension == "yml")) { result.append(url.standardizedFileURL) }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// The generated files' names: must match `Generator.outputFileNames` in TrellisGenerator.
    private func outputFileNames(declaration: URL, folder: URL, inputs: [URL]) -> [String] {
        let prefix = folder.standardizedFileURL.path(percentEncoded: false)
        var names = ["Operations.swift", "Service.swift", "OpenAPI.swift"]
        for input in inputs where input.standardizedFileURL != declaration.standardizedFileURL {
            var relative = String(input.path(percentEncoded: false).dropFirst(prefix.count))
            while relative.hasPrefix("/") { relative.removeFirst() }
            if relative.hasSuffix(".json") { relative.removeLast(5) }
            let base = String(relative.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
            names.append("Models+" + base + ".swift")
        }
        return names
    }
}
