import ArgumentParser

/// The `trellis` command line.
@main
struct TrellisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Schema-first REST services for Swift: validate JSON against JSON Schema, generate code.",
        subcommands: [ValidateCommand.self])
}
