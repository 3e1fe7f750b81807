import Foundation
import TrellisGenerator

/// A service declaration's folder, as `generate` and `scaffold` read it: the declaration
/// and every `.json` file beside it or below it (the models; for an OpenAPI document, the
/// `.yaml` and `.yml` files too), except in folders that hold a `service.json` of their own
/// (another service's declaration and models).
struct DeclarationFolder {
    /// The declaration's path as given on the command line.
    let declaration: String

    /// The generator's input: every `.json` file of the folder by relative path.
    func generatorInput() -> GeneratorInput {
        let declarationURL = URL(fileURLWithPath: declaration).standardizedFileURL
        let folder = declarationURL.deletingLastPathComponent()
        // An OpenAPI document may refer to YAML files beside it as well as JSON ones.
        let openAPI = Generator.isOpenAPIPath(declarationURL.lastPathComponent)
        var files: [String: [UInt8]] = [:]
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            let readable = url.pathExtension == "json" || (openAPI && ["yaml", "yml"].contains(url.pathExtension.lowercased()))
            guard readable, (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(folder.path.count).drop(while: { $0 == "/" })))
        }
        for relative in GeneratorInput.serviceFiles(paths) {
            files[relative] = [UInt8]((try? Data(contentsOf: folder.appendingPathComponent(relative))) ?? Data())
        }
        var input = GeneratorInput(declarationPath: declarationURL.lastPathComponent, files: files)
        let base = folder.path
        input.fileExists = { relative in FileManager.default.fileExists(atPath: relative.hasPrefix("/") ? relative : base + "/" + relative) }
        return input
    }

    /// Prints the diagnostics on standard error with paths as the user gave them; true
    /// when one is an error.
    func report(_ diagnostics: [Diagnostic]) -> Bool {
        let displayFolder = (declaration as NSString).deletingLastPathComponent
        for diagnostic in diagnostics {
            var shown = diagnostic
            shown.file = displayFolder.isEmpty ? diagnostic.file : displayFolder + "/" + diagnostic.file
            FileHandle.standardError.write(Data((shown.description + "\n").utf8))
        }
        return diagnostics.contains { $0.severity == .error }
    }
}
