import ArgumentParser
import Foundation
import TrellisGenerator

/// `trellis scaffold`: appends handler stubs for the operations the target's code does not
/// implement yet.
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Append handler stubs for the operations a target does not implement yet.",
        discussion: """
            Reads DECLARATION and its models like `generate`, and the target's .swift files under \
            --sources (generated files excluded). Finds the type that conforms to the service \
            protocol and the handlers already written, and appends one stub per missing handler \
            (an extension of that type, or a new <Name>Implementation struct when no type \
            conforms) to the output file, which it creates if needed. Each stub throws \
            NotImplementedError, which the runtime answers with a 501. Existing content is never \
            rewritten: the command only appends. Exit status: 0 on success (stubs added or \
            nothing to add), 1 on a declaration error, 2 on a usage error.
            """)

    @Argument(help: "The service declaration (e.g. schemas/service.json).")
    var declaration: String

    @Option(help: "The folder of the target's Swift sources (e.g. Sources/Petstore).")
    var sources: String

    @Option(help: "The file the stubs are appended to (default: <sources>/<Name>Service+Stubs.swift).")
    var output: String?

    func run() throws {
        do {
            try execute()
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data(("trellis: " + failure.message + "\n").utf8))
            throw ExitCode(failure.status)
        }
    }

    private func execute() throws {
        let sourcesURL = URL(fileURLWithPath: sources).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sourcesURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationFailure(status: 2, message: "\(sources): not a folder; --sources takes the folder of the target's Swift files")
        }
        var texts = swiftFiles(under: sourcesURL)
        var stubsKey: String?
        if let output {
            let url = URL(fileURLWithPath: output).standardizedFileURL
            let key = relativePath(of: url, in: sourcesURL) ?? url.path
            if let data = FileManager.default.contents(atPath: url.path) { texts[key] = String(decoding: data, as: UTF8.self) }
            stubsKey = key
        }

        let folder = DeclarationFolder(declaration: declaration)
        let result = Scaffolder.scaffold(folder.generatorInput(), sources: texts, stubsPath: stubsKey)
        if folder.report(result.diagnostics) { throw ExitCode(1) }

        let fileURL = output.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? sourcesURL.appendingPathComponent(result.stubsPath)
        let shownPath = output ?? (sources as NSString).appendingPathComponent(result.stubsPath)
        guard !result.text.isEmpty else {
            print("every operation is implemented" + (result.typeName.map { " (by \($0))" } ?? "") + "; nothing added")
            return
        }
        try append(result.text, to: fileURL)
        let what = result.declaresType ? "declared \(result.typeName ?? "a type") with stubs for" : "added stubs for"
        print("\(what) \(result.stubbedMethods.joined(separator: ", ")) to \(shownPath)")
    }

    /// Appends `text` to the file, creating it (and its folder) if needed; never rewrites it.
    private func append(_ text: String, to url: URL) throws {
        let data = Data(text.utf8)
        do {
            if FileManager.default.fileExists(atPath: url.path) {
                let handle = try FileHandle(forWritingTo: url)
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: data)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .withoutOverwriting)
            }
        } catch {
            throw ValidationFailure(status: 2, message: "\(url.path): cannot write: \(error.localizedDescription)")
        }
    }

    /// The target's Swift files by path relative to `folder`, without Trellis-generated ones.
    private func swiftFiles(under folder: URL) -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let data = FileManager.default.contents(atPath: url.path), let key = relativePath(of: url.standardizedFileURL, in: folder)
            else { continue }
            let text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("// Generated by Trellis") { continue }
            result[key] = text
        }
        return result
    }

    private func relativePath(of url: URL, in folder: URL) -> String? {
        let prefix = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        return url.path.hasPrefix(prefix) ? String(url.path.dropFirst(prefix.count)) : nil
    }
}
