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
    }

    @Test func nonsenseIsIgnored() {
        let configuration = TrellisConfiguration.fromEnvironment(
            ["PORT": "eighty", "THREADS": "0", "TRELLIS_REQUEST_TIMEOUT": "-1"], arguments: ["x", "--port", "--threads", "many"])
        #expect(configuration.port == 8080)
        #expect(configuration.threads == nil)
        #expect(configuration.requestTimeout == nil)
    }
}
