import ArgumentParser
import Foundation
import TrellisGenerator

/// `trellis generate`: the service declaration and its models in, Swift source out.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate Swift models, operations and the service protocol from a service declaration.",
        discussion: """
            Reads DECLARATION and every .json file in its folder (the models), and writes the \
            generated Swift files into the output directory. A file is rewritten only when its \
            contents change. Problems are printed as path:line:column: error: message; the exit \
            status is 1 when there is an error.
            """)

    @Argument(help: "The service declaration (e.g. schemas/service.json).")
    var declaration: String

    @Option(name: .customLong("output-directory"), help: "Where to write the generated files.")
    var outputDirectory: String

    func run() throws {
        let declarationURL = URL(fileURLWithPath: declaration).standardizedFileURL
        let folder = declarationURL.deletingLastPathComponent()
        var files: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json", (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(folder.path.count).drop(while: { $0 == "/" }))
            files[relative] = [UInt8]((try? Data(contentsOf: url)) ?? Data())
        }
        let declarationPath = declarationURL.lastPathComponent
        let output = Generator.generate(GeneratorInput(declarationPath: declarationPath, files: files))
        let displayFolder = (declaration as NSString).deletingLastPathComponent
        for diagnostic in output.diagnostics {
            var shown = diagnostic
            shown.file = displayFolder.isEmpty ? diagnostic.file : displayFolder + "/" + diagnostic.file
            FileHandle.standardError.write(Data((shown.description + "\n").utf8))
        }
        if output.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }

        let outputURL = URL(fileURLWithPath: outputDirectory)
        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        for file in output.files {
            let url = outputURL.appendingPathComponent(file.name)
            let data = Data(file.contents.utf8)
            if let existing = try? Data(contentsOf: url), existing == data { continue }
            try data.write(to: url, options: .atomic)
        }
    }
}
