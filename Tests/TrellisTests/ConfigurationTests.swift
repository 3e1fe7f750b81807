import Testing
import Trellis

/// Where the settings come from: code, the environment, the command line.
@Suite struct ConfigurationTests {
    @Test func defaultsAreSane() {
        let configuration = TrellisConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.threads == nil)
        #expect(configuration.backlog == 2048)
        #expect(configuration.maxBodySize == 1 << 20)
        #expect(configuration.maxHeaderSize == 16 * 1024)
        #expect(configuration.requestTimeout == nil)
        #expect(configuration.assertFormats)
        #expect(configuration.errorFormat == .fastAPI)
    }

    @Test func environmentThenFlags() {
        let configuration = TrellisConfiguration.fromEnvironment(
            ["HOST": "0.0.0.0", "PORT": "9000", "THREADS": "3", "TRELLIS_REQUEST_TIMEOUT": "2.5", "TRELLIS_DOCS_ASSETS": "/srv/swagger"],
            arguments: ["serve", "--port", "9100", "--threads", "2"])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9100)
        #expect(configuration.threads == 2)
        #expect(configuration.requestTimeout == .milliseconds(2500))
        #expect(configuration.docs.swaggerUIAssets == .folder("/srv/swagger"))
        #expect(TrellisConfiguration.fromEnvironment(["TRELLIS_REQUEST_TIMEOUT": "0"], arguments: []).requestTimeout == nil)
        let more = TrellisConfiguration.fromEnvironment(
            ["TRELLIS_WEBSOCKET_ORIGINS": "https://app.example, https://admin.example", "TRELLIS_MAX_UPLOAD_SIZE": "1048576"], arguments: [])
        #expect(more.webSocketOrigins == ["https://app.example", "https://admin.example"])
        #expect(more.maxUploadSize == 1 << 20)
        #expect(TrellisConfiguration.fromEnvironment([:], arguments: []).webSocketOrigins == nil)
        let connections = TrellisConfiguration.fromEnvironment(
            [
                "TRELLIS_IDLE_TIMEOUT": "0", "TRELLIS_HEAD_TIMEOUT": "10", "TRELLIS_WRITE_TIMEOUT": "0.5", "TRELLIS_MIN_BODY_RATE": "0",
                "TRELLIS_MAX_CONNECTIONS": "500",
            ],
            arguments: [])
        #expect(connections.idleTimeout == nil && connections.requestHeadTimeout == .seconds(10) && connections.writeTimeout == .milliseconds(500))
        #expect(connections.minimumBodyRate == 0 && connections.maxConnections == 500)
        let defaults = TrellisConfiguration()
        #expect(defaults.idleTimeout == .seconds(60) && defaults.requestHeadTimeout == .seconds(30) && defaults.writeTimeout == .seconds(30))
        #expect(defaults.minimumBodyRate == 240 && defaults.bodyGracePeriod == .seconds(5) && defaults.maxConnections >= 16)
    }

    /// A value the environment sets but that cannot be read stops the start, named: a server
    /// that silently ran with its defaults instead would be a surprise in production.
    @Test func nonsenseInTheEnvironmentRefusesToStart() throws {
        let nonsense = [
            ("PORT", "eighty"), ("PORT", "70000"), ("THREADS", "0"), ("TRELLIS_REQUEST_TIMEOUT", "-1"), ("TRELLIS_REQUEST_TIMEOUT", "inf"),
            ("TRELLIS_REQUEST_TIMEOUT", "nan"), ("TRELLIS_REQUEST_TIMEOUT", "1e300"), ("TRELLIS_MAX_UPLOAD_SIZE", "0"),
        ]
        for (name, value) in nonsense {
            let configuration = TrellisConfiguration.fromEnvironment([name: value], arguments: [])
            #expect(configuration.port == 8080 && configuration.threads == nil && configuration.requestTimeout == nil)
            let error = #expect(throws: TrellisStartupError.self) { try TrellisApplication(configuration: configuration, services: ParameterEchoService()) }
            #expect(error?.description.contains("\(name)=\(value)") == true, "\(name)=\(value)")
        }
        // Flags without a value, or with one that is not a number, are ignored.
        let flags = TrellisConfiguration.fromEnvironment([:], arguments: ["x", "--port", "--threads", "many"])
        #expect(flags.port == 8080 && flags.threads == nil)
        _ = try TrellisApplication(configuration: flags, services: ParameterEchoService())
    }
}
