import ArgumentParser
import Foundation
import TrellisJSON
import TrellisSchema

/// `trellis validate`: validate JSON files against a schema.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate JSON instance files against a JSON Schema.",
        discussion: """
            Prints every error of every invalid instance with its location. Exit status: 0 when \
            every instance is valid, 1 when one is not, 2 on a usage or schema error.
            Other .json files in the schema's folder are registered, so relative $refs between \
            schema files resolve.
            """)

    @Argument(help: "The schema file.")
    var schema: String?

    @Argument(help: "The instance files.")
    var instances: [String] = []

    @Flag(help: "Treat `format` as an assertion (an invalid date-time fails).")
    var formatAssertion = false

    @Option(help: "Dialect of schemas without $schema: 2020-12 (default), 2019-09, 7, 6 or 4.")
    var dialect: String?

    func run() throws {
        do {
            try execute()
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data(("trellis: " + failure.message + "\n").utf8))
            throw ExitCode(failure.status)
        }
    }

    private func execute() throws {
        var defaultDialect = Dialect.draft2020_12
        if let dialect {
            guard let parsed = Dialect(name: dialect) else {
                throw ValidationFailure(status: 2, message: "unknown dialect \"\(dialect)\"; use 2020-12, 2019-09, 7, 6 or 4")
            }
            defaultDialect = parsed
        }
        // The command runs on the main thread, whose 8 MiB stack allows deeper documents than a task's.
        let options = ValidatorOptions(formatAssertion: formatAssertion, defaultDialect: defaultDialect, maxDepth: 2000)
        guard let schema else { throw ValidationFailure(status: 2, message: "missing the schema file (trellis validate SCHEMA INSTANCE...)") }
        guard !instances.isEmpty else { throw ValidationFailure(status: 2, message: "missing instance files (trellis validate SCHEMA INSTANCE...)") }
        try validateFiles(schema: schema, instances: instances, options: options)
    }

    private func validateFiles(schema path: String, instances: [String], options: ValidatorOptions) throws {
        let schemaURL = URL(fileURLWithPath: path).standardizedFileURL
        let schemaJSON = try readJSON(path)
        var registry = SchemaRegistry()
        let folder = schemaURL.deletingLastPathComponent()
        let siblings = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        for sibling in siblings where sibling.pathExtension == "json" && sibling != schemaURL {
            if let data = try? Data(contentsOf: sibling), let json = try? JSON(parsing: [UInt8](data)) {
                registry.register(json, as: sibling.absoluteString)
            }
        }
        let validator: Validator
        do {
            validator = try Validator(schema: schemaJSON, baseURI: schemaURL.absoluteString, registry: registry, options: options)
        } catch {
            throw ValidationFailure(status: 2, message: "\(path): schema error: \(error)")
        }
        var allValid = true
        for instance in instances {
            let document: JSONDocument
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: instance))
                document = try JSONDocument(parsing: [UInt8](data), options: JSONParseOptions(maxDepth: 2048))
            } catch let error as JSONParseError {
                print("\(instance):\(error.line):\(error.column): error: \(error.reason)")
                allValid = false
                continue
            } catch {
                throw ValidationFailure(status: 2, message: "\(instance): cannot read: \(error.localizedDescription)")
            }
            let errors = validator.validate(document.root)
            if errors.isEmpty {
                print("\(instance): valid")
            } else {
                allValid = false
                print("\(instance): invalid (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
                for error in errors {
                    print("  \(error)  [\(error.keywordLocation)]")
                }
            }
        }
        if !allValid { throw ExitCode(1) }
    }

    private func readJSON(_ path: String) throws -> JSON {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationFailure(status: 2, message: "\(path): cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSON(parsing: [UInt8](data), options: JSONParseOptions(maxDepth: 2048))
        } catch {
            throw ValidationFailure(status: 2, message: "\(path):\(error.line):\(error.column): error: \(error.reason)")
        }
    }
}

/// A failure that ends the command with a message on standard error and a status.
struct ValidationFailure: Error, CustomStringConvertible {
    let status: Int32
    let message: String
    var description: String { message }
}
