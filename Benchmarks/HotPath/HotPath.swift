// The parts of the request path, each next to the obvious alternative, measured by
// package-benchmark (wall clock, allocations per iteration):
//
//     cd Benchmarks && swift package benchmark --target HotPath
//
// - a NewPet body: jansson parse + schema validation + the generated reader, as the runtime
//   does it, against Foundation's JSONDecoder merely decoding it (no constraint checked);
// - writing a Pet and a list of 100 pets: the generated writers (what the runtime uses),
//   Trellis's Codable encoders, and Foundation's JSONEncoder;
// - routing GET /pets/{petId} among 50 routes: Trellis's RouteTrie and Hummingbird's RouterTrie.
import Benchmark
import BenchmarkModels
import Foundation
@_spi(Internal) import Hummingbird
@_spi(Benchmarks) import Trellis
import TrellisJSON
import TrellisSchema

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000)

    // MARK: Request bodies

    let body = Array(#"{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}"#.utf8)
    let bodyData = Data(body)
    let validator = newPetValidator()

    Benchmark("NewPet: parse + validate + read (Trellis, as the runtime does)") { benchmark in
        for _ in benchmark.scaledIterations {
            let document = try body.withUnsafeBytes { try JSONDocument(parsing: $0, options: JSONParseOptions(maxDepth: 64)) }
            guard validator.validate(document.root).isEmpty else { fatalError("the body is valid") }
            blackHole(try JSONBody.read(NewPet.self, from: document.root))
        }
    }
    Benchmark("NewPet: parse + validate + decode with Codable (Trellis JSONValueDecoder)") { benchmark in
        for _ in benchmark.scaledIterations {
            let document = try body.withUnsafeBytes { try JSONDocument(parsing: $0, options: JSONParseOptions(maxDepth: 64)) }
            guard validator.validate(document.root).isEmpty else { fatalError("the body is valid") }
            blackHole(try JSONValueDecoder().decode(NewPet.self, from: document.root))
        }
    }
    Benchmark("NewPet: parse only (jansson)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try body.withUnsafeBytes { try JSONDocument(parsing: $0, options: JSONParseOptions(maxDepth: 64)) })
        }
    }
    Benchmark("NewPet: decode, nothing checked (Foundation JSONDecoder)") { benchmark in
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations {
            blackHole(try decoder.decode(NewPet.self, from: bodyData))
        }
    }

    // MARK: Response bodies

    let pet = Pet(id: 7, name: "pet-7", tag: "tag-0", age: 7, status: .sold, tags: ["t2", "u7"], weight: 1.75, code: "ABC-0007")
    let pets = (1...100).map { n in
        Pet(id: n, name: "pet-\(n)", tag: "tag-\(n % 7)", age: n % 20, status: [.available, .pending, .sold][n % 3],
            tags: ["t\(n % 5)", "u\(n % 11)"], weight: Double(n) / 4, code: "ABC-" + String(1000 + n))
    }
    for (name, value) in [("a Pet", [pet]), ("100 pets", pets)] {
        let encodable: [Pet] = value
        func write(_ value: [Pet]) throws -> [UInt8] { name == "a Pet" ? try JSONBody.bytes(of: value[0]) : try JSONBody.bytes(of: value) }
        Benchmark("Write \(name): generated writer (Trellis)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try write(encodable)) }
        }
        Benchmark("Write \(name): Codable, straight to bytes (Trellis JSONStreamEncoder)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(name == "a Pet" ? try JSONStreamEncoder.encode(encodable[0]) : try JSONStreamEncoder.encode(encodable))
            }
        }
        Benchmark("Write \(name): Foundation JSONEncoder") { benchmark in
            let encoder = JSONEncoder()
            for _ in benchmark.scaledIterations {
                blackHole(name == "a Pet" ? try encoder.encode(encodable[0]) : try encoder.encode(encodable))
            }
        }
    }

    // MARK: Whole requests

    wholeRequestBenchmarks()

    // MARK: Routing

    let templates = routeTemplates()
    let trellisRoutes = try! RouteTrie(routes: templates.enumerated().map { (method: "GET", path: $1.openAPI, index: $0) })
    let builder = RouterPathTrieBuilder<Int>()
    for (index, template) in templates.enumerated() { builder.addEntry(RouterPath(template.hummingbird), value: index) }
    let hummingbirdRoutes = RouterTrie(base: builder)
    let petRoute = templates.firstIndex { $0.openAPI == "/pets/{petId}" }

    Benchmark("Route GET /pets/7 among \(templates.count) routes (Trellis RouteTrie)") { benchmark in
        for _ in benchmark.scaledIterations {
            guard let match = trellisRoutes.match("/pets/7"), match.operations["GET"] == petRoute, match.values == ["7"] else { fatalError("no match") }
            blackHole(match)
        }
    }
    Benchmark("Route GET /pets/7 among \(templates.count) routes (Hummingbird RouterTrie)") { benchmark in
        for _ in benchmark.scaledIterations {
            guard let match = hummingbirdRoutes.resolve("/pets/7"), match.value == petRoute, match.parameters.get("petId") == "7" else { fatalError("no match") }
            blackHole(match)
        }
    }
}

/// The validator the runtime compiles for POST /pets's body.
func newPetValidator() -> Validator {
    var registry = SchemaRegistry()
    for (uri, text) in Petstore.serviceDescription.schemaDocuments {
        registry.register(try! JSON(parsing: text), as: uri)
    }
    let body = Petstore.CreatePet.operationDescription.body!
    return try! Validator(reference: body.schema, registry: registry, options: ValidatorOptions(formatAssertion: true))
}

/// 50 templates of a typical API (collections, items, sub-resources), `/pets/{petId}` among
/// them, in OpenAPI's and Hummingbird's spelling.
func routeTemplates() -> [(openAPI: String, hummingbird: String)] {
    var templates: [String] = ["/pets", "/pets/{petId}"]
    let resources = ["users", "orders", "invoices", "products", "carts", "reviews", "shipments", "stores", "tags", "teams", "projects", "tickets"]
    for resource in resources {
        templates += ["/\(resource)", "/\(resource)/{id}", "/\(resource)/{id}/history", "/\(resource)/{id}/owners/{ownerId}"]
    }
    return templates.prefix(50).map { template in
        (template, template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/"))
    }
}
