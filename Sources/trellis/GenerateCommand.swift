import ArgumentParser
import Foundation
import TrellisGenerator

/// `trellis generate`: the service declaration and its models in, Swift source out.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate Swift models, operations and the service protocol from a service declaration or an OpenAPI document.",
        discussion: """
            Reads DECLARATION (service.json, or an OpenAPI 3.0/3.1 document: openapi.json or any \
            .yaml/.yml file) and every .json file in its folder (the models, or the files an OpenAPI \
            document's $refs reach, .yaml and .yml included), and writes the generated Swift files \
            into the output directory. A file is rewritten only when its \
            contents change. Problems are printed as path:line:column: error: message; the exit \
            status is 1 when there is an error.
            """)

    @Argument(help: "The service declaration (e.g. schemas/service.json) or an OpenAPI document (e.g. Sources/API/openapi.yaml).")
    var declaration: String

    @Option(name: .customLong("output-directory"), help: "Where to write the generated files.")
    var outputDirectory: String

    @Option(
        name: .customLong("planned-model"),
        help: "A model file (relative to the declaration's folder) that has an output file of its own; repeatable. Given by the build plugin: the types of other model files go to Models+Unplanned.swift.")
    var plannedModels: [String] = []

    @Flag(name: .customLong("client"), help: "Also write Client.swift: a typed client of the service (the target then depends on the TrellisClient library).")
    var client = false

    @Flag(name: .customLong("plan"), help: "Write Models+Unplanned.swift (with --planned-model; the build plugin passes it).")
    var plan = false

    func run() throws {
        let folder = DeclarationFolder(declaration: declaration)
        var input = folder.generatorInput()
        if plan { input.plannedModelFiles = Set(plannedModels) }
        input.generatesClient = client
        let output = Generator.generate(input)
        if folder.report(output.diagnostics) { throw ExitCode(1) }

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
