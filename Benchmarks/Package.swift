// swift-tools-version: 6.1
// Benchmarks live in a package of their own, so that users of Trellis do not inherit
// their dependencies. Run them with the scripts next to this file (e.g. validation/run).
import PackageDescription

let package = Package(
    name: "TrellisBenchmarks",
    dependencies: [
        .package(name: "Trellis", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        // Micro-benchmarks of the request path's parts (package-benchmark): `swift package benchmark`.
        .executableTarget(
            name: "HotPath",
            dependencies: [
                "BenchmarkModels",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisJSON", package: "Trellis"),
                .product(name: "TrellisSchema", package: "Trellis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "HotPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
        // The example's service, generated from ../schemas by the Trellis plugin.
        .target(
            name: "BenchmarkModels",
            dependencies: [
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "TrellisCore", package: "Trellis"),
                .product(name: "TrellisJSON", package: "Trellis"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            plugins: [.plugin(name: "TrellisPlugin", package: "Trellis")]),
        // One request of the bench API, in process, many times: for perf (see its main.swift).
        .executableTarget(
            name: "RequestProfile",
            dependencies: [
                "BenchmarkModels",
                .product(name: "Trellis", package: "Trellis"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "ValidationBenchmark",
            dependencies: [
                .product(name: "TrellisJSON", package: "Trellis"),
                .product(name: "TrellisSchema", package: "Trellis"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
