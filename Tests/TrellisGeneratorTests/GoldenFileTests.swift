import Foundation
import Testing
import TrellisGenerator

/// Whole-file reference tests: the generated Swift for each fixture service must equal
/// the golden files under Tests/GeneratedCodeTests, which a separate test target compiles
/// and exercises.
///
/// To accept a change in the generated code: `TRELLIS_RECORD=1 swift test --filter GoldenFileTests`,
/// then review the diff of the golden files.
@Suite struct GoldenFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures: [(name: String, folder: String)] = [
        ("Petstore", "schemas"),
        ("KitchenSink", "Tests/TrellisGeneratorTests/Fixtures/KitchenSink"),
    ]

    static func input(folder: String) throws -> GeneratorInput {
        let base = root.appendingPathComponent(folder)
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json" else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1)))
        }
        var files: [String: [UInt8]] = [:]
        for relative in GeneratorInput.serviceFiles(paths) {  // as `trellis generate` reads a folder
            files[relative] = [UInt8](try Data(contentsOf: base.appendingPathComponent(relative)))
        }
        // With the client: its golden file is compiled with the rest.
        return GeneratorInput(declarationPath: "service.json", files: files, generatesClient: true)
    }

    @Test func aFolderWithItsOwnServiceBelongsToAnotherService() {
        #expect(
            GeneratorInput.serviceFiles(["service.json", "Pet.json", "common/Tag.json", "shelter/service.json", "shelter/Animal.json", "shelter/x/Deep.json"])
                == ["service.json", "Pet.json", "common/Tag.json"])
    }

    @Test(arguments: fixtures.map(\.name))
    func generatedCodeMatchesTheGoldenFiles(fixture: String) throws {
        let folder = try #require(Self.fixtures.first { $0.name == fixture }).folder
        let output = Generator.generate(try Self.input(folder: folder))
        #expect(!output.diagnostics.contains { $0.severity == .error }, "\(output.diagnostics)")
        let goldenFolder = Self.root.appendingPathComponent("Tests/GeneratedCodeTests/\(fixture)")
        let record = ProcessInfo.processInfo.environment["TRELLIS_RECORD"] == "1"
        var expectedNames: Set<String> = []
        for file in output.files {
            let name = "\(fixture)+\(file.name)"
            expectedNames.insert(name)
            let url = goldenFolder.appendingPathComponent(name)
            if record {
                try FileManager.default.createDirectory(at: goldenFolder, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
                continue
            }
            let golden = try String(contentsOf: url, encoding: .utf8)
            if golden != file.contents {
                let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
                let newLines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                let first = zip(goldenLines, newLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(goldenLines.count, newLines.count)
                Issue.record(
                    "\(name) differs from its golden file at line \(first + 1): golden \(first < goldenLines.count ? String(goldenLines[first]) : "<end>") | new \(first < newLines.count ? String(newLines[first]) : "<end>")"
                )
            }
        }
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: goldenFolder.path)) ?? []).filter { $0.hasSuffix(".swift") }
        if record {
            for stale in present.subtracting(expectedNames) { try FileManager.default.removeItem(at: goldenFolder.appendingPathComponent(stale)) }
        } else {
            #expect(present == expectedNames)
        }
    }

    @Test func generationIsDeterministic() throws {
        let input = try Self.input(folder: "Tests/TrellisGeneratorTests/Fixtures/KitchenSink")
        let first = Generator.generate(input)
        for _ in 0..<3 { #expect(Generator.generate(input).files == first.files) }
    }

    @Test func outputFileNamesAreKnownBeforehand() throws {
        let input = try Self.input(folder: "Tests/TrellisGeneratorTests/Fixtures/KitchenSink")
        let output = Generator.generate(input)
        #expect(
            Set(output.files.map(\.name))
                == Set(Generator.outputFileNames(declarationPath: input.declarationPath, inputPaths: Array(input.files.keys), client: true)))
        var serverOnly = input
        serverOnly.generatesClient = false
        let names = Set(Generator.generate(serverOnly).files.map(\.name))
        #expect(!names.contains("Client.swift"))
        #expect(names == Set(Generator.outputFileNames(declarationPath: input.declarationPath, inputPaths: Array(input.files.keys))))
    }

    @Test func shippedMetaSchemaFileMatchesTheEmbeddedCopy() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Sources/TrellisGenerator/trellis-service.schema.json"), encoding: .utf8)
        // The embedded copy is a multi-line literal, which drops the file's final newline.
        #expect(file == Generator.declarationMetaSchema + "\n")
    }
}
