import Testing
import TrellisGenerator

/// `trellis init`'s package: its declaration generates cleanly, its names follow the folder,
/// and its manifest names Trellis as SwiftPM will identify it. (Tests/PluginEndToEnd/run builds,
/// tests and serves one.)
@Suite struct StarterPackageTests {
    func file(_ path: String, of package: StarterPackage) throws -> String {
        try #require(package.files.first { $0.path == path }).contents
    }

    @Test func itsDeclarationGeneratesWithoutADiagnostic() throws {
        let package = StarterPackage(name: "Orders", dependency: .path("/src/trellis"))
        let input = GeneratorInput(
            declarationPath: "service.json",
            files: [
                "service.json": Array(try file("schemas/service.json", of: package).utf8),
                "Greeting.json": Array(try file("schemas/Greeting.json", of: package).utf8),
            ])
        let output = Generator.generate(input)
        #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
        let service = try #require(output.files.first { $0.name == "Service.swift" }).contents
        #expect(service.contains("internal protocol OrdersService"), "\(service.prefix(2000))")
        let operations = try #require(output.files.first { $0.name == "Operations.swift" }).contents
        #expect(operations.contains("internal enum Greet"))
        #expect(operations.contains("internal enum Echo"))
        // The handlers the package writes are the protocol's requirements.
        let handlers = try file("Sources/Orders/OrdersImplementation.swift", of: package)
        #expect(handlers.contains("func greet(_ input: Orders.Greet.Input) async throws -> Orders.Greet.Output"))
        #expect(handlers.contains("func echo(_ input: Orders.Echo.Input) async throws -> Orders.Echo.Output"))
    }

    @Test func everyFileHasItsPlace() {
        let package = StarterPackage(name: "MyOrders", dependency: .release(url: StarterPackage.releaseURL, from: StarterPackage.releaseVersion))
        #expect(
            package.files.map(\.path) == [
                "Package.swift", ".gitignore", "README.md", "schemas/service.json", "schemas/Greeting.json",
                "Sources/MyOrders/MyOrdersImplementation.swift", "Sources/MyOrders/main.swift", "Tests/MyOrdersTests/MyOrdersTests.swift",
            ])
    }

    @Test func theManifestNamesTrellisAsSwiftPMIdentifiesIt() throws {
        let local = StarterPackage(name: "Orders", dependency: .path("/home/ann/src/Trellis-main"))
        #expect(local.trellisIdentity == "trellis-main")
        let manifest = try file("Package.swift", of: local)
        #expect(manifest.contains(#".package(path: "/home/ann/src/Trellis-main")"#))
        #expect(manifest.contains(#".product(name: "TrellisTesting", package: "trellis-main")"#))
        #expect(manifest.contains(#"plugins: [.plugin(name: "TrellisPlugin", package: "trellis-main")]"#))

        let released = StarterPackage(name: "Orders", dependency: .release(url: "https://github.com/trellis-swift/trellis.git", from: "0.1.0"))
        #expect(released.trellisIdentity == "trellis")
        #expect(try file("Package.swift", of: released).contains(#".package(url: "https://github.com/trellis-swift/trellis.git", from: "0.1.0")"#))
        #expect(
            try file("schemas/service.json", of: released).contains(
                #""$schema": "../.build/checkouts/trellis/Sources/TrellisGenerator/trellis-service.schema.json""#))
    }

    @Test func namesComeFromTheFolder() {
        #expect(StarterPackage.name(fromFolder: "orders") == "Orders")
        #expect(StarterPackage.name(fromFolder: "my-orders_service") == "MyOrdersService")
        #expect(StarterPackage.name(fromFolder: "2fast") == "Fast")
        #expect(StarterPackage.name(fromFolder: "---") == nil)
        #expect(StarterPackage.problem(withName: "Orders") == nil)
        #expect(StarterPackage.problem(withName: "orders") != nil)
        #expect(StarterPackage.problem(withName: "Or ders") != nil)
        #expect(StarterPackage.problem(withName: "Trellis") != nil)
    }
}
