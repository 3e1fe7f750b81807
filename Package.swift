// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Trellis",
    // Hummingbird 2 and swift-otel need macOS 15 (Linux: any with Swift 6.1 or later).
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TrellisJSON", targets: ["TrellisJSON"]),
        .library(name: "TrellisSchema", targets: ["TrellisSchema"]),
        .library(name: "TrellisCore", targets: ["TrellisCore"]),
        .library(name: "TrellisClient", targets: ["TrellisClient"]),
        .library(name: "TrellisAsyncHTTPClient", targets: ["TrellisAsyncHTTPClient"]),
        .library(name: "TrellisGenerator", targets: ["TrellisGenerator"]),
        .library(name: "Trellis", targets: ["Trellis"]),
        .library(name: "TrellisJWT", targets: ["TrellisJWT"]),
        .library(name: "TrellisTesting", targets: ["TrellisTesting"]),
        .executable(name: "trellis", targets: ["trellis"]),
        .executable(name: "petstore-client", targets: ["PetstoreClientCheck"]),
        .plugin(name: "TrellisPlugin", targets: ["TrellisPlugin"]),
        .plugin(name: "TrellisScaffold", targets: ["TrellisScaffold"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Request and database spans (the API; a backend such as swift-otel exports them).
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // The example exports its traces over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set
        // (gRPC left out: it would double the example's build).
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // The example's second service keeps its animals in SQLite.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        // ... or in PostgreSQL when DATABASE_URL names one (replicas share it).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // OpenAPI documents written in YAML (libyaml underneath).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // JWT bearer tokens (TrellisJWT, an option of its own): signatures and claims.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        // Generated clients' transport for servers (TrellisAsyncHTTPClient, an option of its own).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // `swift package generate-documentation`: the DocC catalogs (no code of it is linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries from the system (Debian: libjansson-dev, libpcre2-dev).
        .systemLibrary(
            name: "CJansson", path: "Sources/CJansson", pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"]), .brew(["jansson"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),

        .target(name: "TrellisJSON", dependencies: ["CJansson"], swiftSettings: swiftSettings),
        .target(
            name: "TrellisSchema", dependencies: ["TrellisJSON", "CJansson", "CPCRE2"],
            swiftSettings: swiftSettings),
        // What generated code needs at run time, without any HTTP: models' coding helpers,
        // service descriptions, operation input and output protocols.
        .target(name: "TrellisCore", dependencies: ["TrellisJSON"], swiftSettings: swiftSettings),
        // What generated clients need: requests written as the runtime reads them, answers read
        // into the operations' outputs, transports and middleware; no server.
        .target(
            name: "TrellisClient",
            dependencies: ["TrellisCore", "TrellisJSON", "TrellisSchema", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: swiftSettings),
        // A client transport over AsyncHTTPClient: a library of its own, so that clients that
        // use URLSession (or only the in-process transport) do not build it.
        .target(
            name: "TrellisAsyncHTTPClient",
            dependencies: [
                "TrellisClient", "TrellisCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        // The runtime: serves generated services over Hummingbird 2 (routing, parameters,
        // validation, errors, OpenAPI and docs).
        .target(
            name: "Trellis",
            dependencies: [
                "TrellisCore", "TrellisClient", "TrellisJSON", "TrellisSchema", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings),
        // The test client (in process, or over a socket to a live server) and the in-process
        // client transport: a library of its own, as HummingbirdTesting, so that services'
        // binaries do not link what only their tests use (NIOEmbedded among it).
        .target(
            name: "TrellisTesting",
            dependencies: [
                "Trellis", "TrellisClient", "TrellisJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings),
        // A security verifier of JWT bearer tokens, on jwt-kit: a library of its own, so that
        // services without JWTs do not build it.
        .target(
            name: "TrellisJWT",
            dependencies: ["TrellisCore", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: swiftSettings),
        // A service declaration (service.json or an OpenAPI document) and its schemas in,
        // Swift source and an OpenAPI document out.
        .target(
            name: "TrellisGenerator", dependencies: ["TrellisJSON", "TrellisSchema", .product(name: "Yams", package: "Yams")],
            exclude: ["trellis-service.schema.json"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "trellis",
            dependencies: [
                "TrellisJSON", "TrellisSchema", "TrellisGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // The JSON Schema Test Suite runner's line protocol, for .ci/conformance: a test utility,
        // not a product (the shipped `trellis` command does not carry it).
        .executableTarget(
            name: "trellis-suite-runner", dependencies: ["TrellisJSON", "TrellisSchema"], path: "Tests/SuiteRunner",
            swiftSettings: swiftSettings),

        .plugin(name: "TrellisPlugin", capability: .buildTool(), dependencies: ["trellis"]),
        // `swift package trellis-scaffold`: appends handler stubs for unimplemented operations.
        .plugin(
            name: "TrellisScaffold",
            capability: .command(
                intent: .custom(
                    verb: "trellis-scaffold",
                    description: "Append async handler stubs for the operations a target does not implement yet."),
                permissions: [.writeToPackageDirectory(reason: "Appends handler stubs to <Name>Service+Stubs.swift in the target's folder.")]),
            dependencies: ["trellis"]),

        // The example: the bench API of ../shared/bench/API.md, generated from ./schemas.
        .executableTarget(
            name: "Petstore",
            dependencies: [
                // TrellisTesting: the in-process transport of the typed-client benchmark (--bench-client).
                "Trellis", "TrellisCore", "TrellisClient", "TrellisJSON", "TrellisTesting", "Shelter",
                .product(name: "OTel", package: "swift-otel"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: ["TrellisPlugin"]),
        // `swift run petstore-client http://127.0.0.1:8080`: the example's API called through
        // its generated typed client (a client of its own, from the same declaration).
        .executableTarget(
            name: "PetstoreClientCheck", dependencies: ["TrellisCore", "TrellisClient", "TrellisAsyncHTTPClient", "TrellisJSON"],
            plugins: ["TrellisPlugin"]),
        // The example's second service, generated from ./schemas/shelter: SQLite behind a pool
        // and a transaction dependency, staff API keys, background tasks, a blocking export,
        // server-sent events.
        .target(
            name: "Shelter",
            dependencies: [
                "Trellis", "TrellisCore", "TrellisJSON", "TrellisJWT",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            plugins: ["TrellisPlugin"]),

        // Services declared by OpenAPI documents (3.1 in YAML across several files; 3.0 in
        // JSON), generated by the build plugin and served by OpenAPIServiceTests.
        .target(
            name: "OpenAPIFixture31", dependencies: ["TrellisCore", "TrellisClient", "TrellisJSON"], path: "Tests/Fixtures/OpenAPI31",
            plugins: ["TrellisPlugin"]),
        .target(
            name: "OpenAPIFixture30", dependencies: ["TrellisCore", "TrellisJSON", "CZlib"], path: "Tests/Fixtures/OpenAPI30",
            plugins: ["TrellisPlugin"]),

        .testTarget(name: "TrellisJSONTests", dependencies: ["TrellisJSON", "CJansson"], swiftSettings: swiftSettings),
        .testTarget(name: "TrellisSchemaTests", dependencies: ["TrellisSchema", "TrellisJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TrellisGeneratorTests", dependencies: ["TrellisGenerator", "TrellisJSON"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TrellisTests",
            dependencies: [
                "Trellis", "TrellisTesting", "Petstore", "Shelter", "TrellisCore", "TrellisClient", "TrellisAsyncHTTPClient", "TrellisJSON", "TrellisSchema",
                "CZlib",
                "TrellisJWT",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"), .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "OpenAPIServiceTests",
            dependencies: [
                "Trellis", "TrellisTesting", "TrellisCore", "TrellisClient", "TrellisAsyncHTTPClient", "TrellisJSON", "OpenAPIFixture31", "OpenAPIFixture30",
                "CZlib",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings),
        // Compiles the golden files of TrellisGeneratorTests and exercises them.
        // Warnings are errors here: generated code compiles without a single one.
        .testTarget(
            name: "GeneratedCodeTests", dependencies: ["TrellisCore", "TrellisClient", "TrellisJSON"],
            swiftSettings: [.unsafeFlags(["-warnings-as-errors"])]),
    ],
    swiftLanguageModes: [.v6]
)

// The AddressSanitizer run of .ci/test checks the C-facing modules only (jansson and PCRE2 under
// TrellisJSON and TrellisSchema): with TRELLIS_ASAN_SUBSET set, the package is those and their
// tests, so that the sanitized build does not compile the servers, clients and drivers too.
if Context.environment["TRELLIS_ASAN_SUBSET"] != nil {
    let kept: Set<String> = ["CJansson", "CPCRE2", "TrellisJSON", "TrellisSchema", "TrellisJSONTests", "TrellisSchemaTests"]
    package.targets.removeAll { !kept.contains($0.name) }
    package.products.removeAll { product in !["TrellisJSON", "TrellisSchema"].contains(product.name) }
}

// libFuzzer targets (Tests/Fuzz, run by scripts/fuzz): declared only when TRELLIS_FUZZ is set,
// for a build with `-sanitize=fuzzer,address` in a folder of its own.
if Context.environment["TRELLIS_FUZZ"] != nil {
    // Every executable of the build gets libFuzzer's main: the command line, its plugins and
    // the targets they generate are left out.
    let generated: Set<String> = [
        "trellis", "trellis-suite-runner", "TrellisPlugin", "TrellisScaffold", "Petstore", "PetstoreClientCheck", "Shelter", "OpenAPIFixture31",
        "OpenAPIFixture30",
    ]
    package.targets.removeAll { generated.contains($0.name) || $0.type == .test }
    package.products.removeAll { ["trellis", "TrellisPlugin", "TrellisScaffold", "petstore-client"].contains($0.name) }
    package.targets += [
        .target(
            name: "FuzzSupport", dependencies: ["Trellis", "TrellisCore", "TrellisTesting", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/Fuzz/FuzzSupport", swiftSettings: swiftSettings),
        .target(name: "CFuzzDriver", path: "Tests/Fuzz/CFuzzDriver"),
        .executableTarget(name: "FuzzJSON", dependencies: ["CFuzzDriver", "TrellisJSON"], path: "Tests/Fuzz/FuzzJSON"),
        .executableTarget(name: "FuzzSchema", dependencies: ["CFuzzDriver", "TrellisJSON", "TrellisSchema"], path: "Tests/Fuzz/FuzzSchema"),
        .executableTarget(
            name: "FuzzParameters", dependencies: ["CFuzzDriver", "FuzzSupport", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/Fuzz/FuzzParameters"),
        .executableTarget(
            name: "FuzzBodies", dependencies: ["CFuzzDriver", "FuzzSupport", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/Fuzz/FuzzBodies"),
    ]
}
