import ArgumentParser
import Foundation

/// The `trellis` command line.
@main
struct TrellisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Schema-first REST services for Swift: validate JSON against JSON Schema, generate code.",
        subcommands: [InitCommand.self, DevCommand.self, GenerateCommand.self, ScaffoldCommand.self, ValidateCommand.self])

    /// Runs the command; usage errors exit with status 2 (not ArgumentParser's 64), as
    /// the commands document.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
