import Foundation
public import TrellisCore

extension TrellisApplication {
    /// Serves `services` as a program's whole entry point: the configuration from the
    /// environment and the command line (``TrellisConfiguration/fromEnvironment(_:arguments:)``:
    /// `HOST`, `PORT`, `--port` …), ``run(gracefulShutdownSignals:onServerRunning:)`` until
    /// SIGTERM or SIGINT, then exit with status 0. An error — a setting that cannot be read, a
    /// schema that does not compile, a verifier that is missing, a port in use — is printed to
    /// standard error, and the process exits with status 1.
    ///
    /// A service's `main.swift`:
    ///
    /// ```swift
    /// import Trellis
    ///
    /// await TrellisApplication.main(services: OrdersImplementation())
    /// ```
    ///
    /// To add middleware, services or hooks first, create the application yourself and call
    /// ``run(gracefulShutdownSignals:onServerRunning:)``.
    public static func main(services: any GeneratedService...) async -> Never {
        do {
            let application = try TrellisApplication(configuration: .fromEnvironment(), services: services)
            try await application.run()
            exit(0)
        } catch {
            let program = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "trellis"
            FileHandle.standardError.write(Data("\(program): \(error)\n".utf8))
            exit(1)
        }
    }
}
