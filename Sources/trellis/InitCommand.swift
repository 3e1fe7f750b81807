import ArgumentParser
import Foundation
import TrellisGenerator

/// `trellis init`: a new service package that builds, tests and serves with no edit.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new service package: a declaration, its handlers, an entry point and a test.",
        discussion: """
            Writes into DIRECTORY (created if needed; refused if it holds anything): Package.swift \
            (Trellis by its release URL and version, or by path with --trellis-path), schemas/ with \
            a declaration (service.json) and one model, the handlers, main.swift and a Swift Testing \
            test through the test client. Then prints the next commands. Exit status: 0 on success, \
            1 when a file cannot be written, 2 on a usage error (a non-empty directory, a bad name).
            """)

    @Argument(help: "The new package's folder (e.g. Orders).")
    var directory: String

    @Option(help: "The service's name: its target, namespace and protocol (default: from the folder's name, e.g. my-orders → MyOrders).")
    var name: String?

    @Option(
        name: .customLong("trellis-path"),
        help: "Depend on the Trellis package at this path (a clone) rather than on its release.")
    var trellisPath: String?

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ValidationError("\(directory) is a file; trellis init writes a new package into an empty folder") }
            let entries = (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            guard entries.isEmpty else {
                throw ValidationError(
                    "\(directory) is not empty (it holds \(entries.sorted().prefix(3).joined(separator: ", "))\(entries.count > 3 ? ", …" : "")); trellis init writes a new package into an empty or new folder, and changes nothing here"
                )
            }
        }
        guard let serviceName = name ?? StarterPackage.name(fromFolder: folder.lastPathComponent) else {
            throw ValidationError("no service name can be made from the folder's name \"\(folder.lastPathComponent)\"; give one with --name")
        }
        if let problem = StarterPackage.problem(withName: serviceName) { throw ValidationError(problem) }

        let package: StarterPackage
        if let trellisPath {
            let trellis = URL(fileURLWithPath: trellisPath).standardizedFileURL
            let metaSchema = trellis.appendingPathComponent("Sources/TrellisGenerator/trellis-service.schema.json")
            guard fileManager.fileExists(atPath: trellis.appendingPathComponent("Package.swift").path),
                fileManager.fileExists(atPath: metaSchema.path)
            else { throw ValidationError("\(trellisPath) is not the Trellis package (no Package.swift and Sources/TrellisGenerator there)") }
            package = StarterPackage(
                name: serviceName, dependency: .path(trellis.path),
                metaSchemaPath: Self.relativePath(from: folder.appendingPathComponent("schemas"), to: metaSchema))
        } else {
            package = StarterPackage(name: serviceName, dependency: .release(url: StarterPackage.releaseURL, from: StarterPackage.releaseVersion))
        }

        do {
            for file in package.files {
                let url = folder.appendingPathComponent(file.path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            }
        } catch {
            FileHandle.standardError.write(Data("trellis: cannot write the package into \(directory): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        print(package.nextSteps(folder: directory))
    }

    /// `target`'s path relative to the folder `base` (both absolute, standardized).
    static func relativePath(from base: URL, to target: URL) -> String {
        let from = base.pathComponents
        let to = target.pathComponents
        var common = 0
        while common < min(from.count, to.count), from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
    }
}
