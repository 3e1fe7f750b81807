// swift-tools-version: 6.1
// Benchmarks live in a package of their own, so that users of Trellis do not inherit
// their dependencies. Run them with the scripts next to this file (e.g. validation/run).
import PackageDescription

let package = Package(
    name: "TrellisBenchmarks",
    dependencies: [
        .package(name: "Trellis", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ValidationBenchmark",
            dependencies: [
                .product(name: "TrellisJSON", package: "Trellis"),
                .product(name: "TrellisSchema", package: "Trellis"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
