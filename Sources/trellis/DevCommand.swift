import ArgumentParser
import Foundation
import TrellisGenerator
import TrellisJSON

/// `trellis dev`: builds the service, runs it, and on every change of its schemas or sources
/// stops it, rebuilds and starts it again — FastAPI's `fastapi dev`.
struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Build and serve the package's service; rebuild and restart it on every change.",
        discussion: """
            Builds the service's executable with `swift build` (its diagnostics as they come), runs \
            it, and watches Package.swift, schemas/ and Sources/: on a change it stops the service \
            (SIGTERM, then SIGKILL after --stop-timeout seconds), builds again and, when the build \
            succeeds, starts it again. A failed build leaves the service stopped until the next \
            change. Arguments after -- go to the service (e.g. -- --port 9000). Ctrl-C stops both. \
            Run it from the package's folder, as `swift run trellis dev` (it must not share that \
            folder's build with another SwiftPM command).
            """)

    @Option(help: "The package's folder.")
    var packagePath = "."

    @Option(help: "The executable product to serve (default: the package's one executable that depends on Trellis).")
    var product: String?

    @Option(help: "Seconds between two looks at the watched files.")
    var pollInterval = 0.5

    @Option(help: "Seconds the service has to stop before it is killed.")
    var stopTimeout = 10.0

    @Argument(parsing: .postTerminator, help: "Arguments for the service.")
    var serviceArguments: [String] = []

    func validate() throws {
        guard pollInterval > 0, pollInterval <= 60 else { throw ValidationError("--poll-interval must be between 0 and 60 seconds") }
        guard stopTimeout >= 0 else { throw ValidationError("--stop-timeout must not be negative") }
    }

    func run() throws {
        do {
            try serve()
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data(("trellis: " + failure.message + "\n").utf8))
            throw ExitCode(failure.status)
        }
    }

    private func serve() throws {
        let root = URL(fileURLWithPath: packagePath).standardizedFileURL
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            throw ValidationFailure(
                status: 2, message: "\(packagePath) holds no Package.swift: run trellis dev in a service's package (or give --package-path)")
        }
        let toolchain = Toolchain(packageFolder: root)
        let product = try self.product ?? toolchain.serviceProduct()
        let binFolder = try toolchain.binPath()
        let loop = DevLoop(
            toolchain: toolchain, product: product, executable: binFolder.appendingPathComponent(product),
            arguments: serviceArguments, watched: ["Package.swift", "schemas", "Sources"],
            pollInterval: pollInterval, stopTimeout: stopTimeout)
        loop.run()
    }
}

/// The `swift` command, run on one package.
struct Toolchain: Sendable {
    let packageFolder: URL

    /// `swift ARGUMENTS --package-path FOLDER` as a process (not started), its output the terminal's
    /// unless `capturing`.
    func process(_ arguments: [String], capturing output: Pipe? = nil) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // `swift package` takes the path before its subcommand; `swift build` anywhere.
        process.arguments = ["swift", arguments[0], "--package-path", packageFolder.path] + arguments.dropFirst()
        if let output {
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
        }
        return process
    }

    /// What `swift ARGUMENTS` prints; a failure naming the command when it fails.
    func output(of arguments: [String]) throws -> [UInt8] {
        let pipe = Pipe()
        let process = process(arguments, capturing: pipe)
        do { try process.run() } catch { throw ValidationFailure(status: 1, message: "cannot run swift: \(error.localizedDescription)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationFailure(
                status: 1, message: "`swift \(arguments.joined(separator: " "))` failed in \(packageFolder.path) (status \(process.terminationStatus))")
        }
        return [UInt8](data)
    }

    /// The build's binary folder (debug).
    func binPath() throws -> URL {
        let text = String(decoding: try output(of: ["build", "--show-bin-path"]), as: UTF8.self)
        return URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The package's executable product that serves a Trellis service: the one whose target
    /// depends on Trellis, or the only executable.
    func serviceProduct() throws -> String {
        let description = try JSON(parsing: try output(of: ["package", "describe", "--type", "json"]))
        var targets: [String: JSON] = [:]
        for target in description["targets"]?.arrayValue ?? [] {
            if let name = target["name"]?.stringValue { targets[name] = target }
        }
        let executables = (description["products"]?.arrayValue ?? []).filter { $0["type"]?["executable"] != nil }
        let names = executables.compactMap { $0["name"]?.stringValue }
        let services = executables.filter { product in
            (product["targets"]?.arrayValue ?? []).contains { name in
                guard let target = name.stringValue.flatMap({ targets[$0] }) else { return false }
                let dependencies = (target["product_dependencies"]?.arrayValue ?? []) + (target["target_dependencies"]?.arrayValue ?? [])
                return dependencies.contains { $0.stringValue == "Trellis" }
            }
        }.compactMap { $0["name"]?.stringValue }
        if services.count == 1 { return services[0] }
        if services.isEmpty, names.count == 1 { return names[0] }
        if names.isEmpty { throw ValidationFailure(status: 2, message: "the package has no executable product to serve") }
        throw ValidationFailure(
            status: 2,
            message: "the package has several executables (\((services.isEmpty ? names : services).joined(separator: ", "))): choose one with --product")
    }
}
