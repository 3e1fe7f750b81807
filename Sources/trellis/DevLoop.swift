import Dispatch
import Foundation
import Synchronization
import TrellisGenerator

/// `trellis dev`'s loop: build, run, watch, stop, and again — until SIGINT or SIGTERM.
final class DevLoop: Sendable {
    let toolchain: Toolchain
    let product: String
    let executable: URL
    let arguments: [String]
    let watched: [String]
    let pollInterval: Double
    let stopTimeout: Double

    /// The process running now (a build or the service), for the signal handlers; and whether
    /// the loop is stopping.
    private let state = Mutex<(running: Process?, stopping: Bool)>((nil, false))

    init(toolchain: Toolchain, product: String, executable: URL, arguments: [String], watched: [String], pollInterval: Double, stopTimeout: Double) {
        self.toolchain = toolchain
        self.product = product
        self.executable = executable
        self.arguments = arguments
        self.watched = watched
        self.pollInterval = pollInterval
        self.stopTimeout = stopTimeout
    }

    func run() -> Never {
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in shutDown() }
            source.resume()
            return source
        }
        defer { for source in signals { source.cancel() } }

        say("watching \(watched.joined(separator: ", ")) in \(toolchain.packageFolder.path); Ctrl-C stops")
        var snapshot = takeSnapshot()
        while true {
            if let service = buildAndStart() {
                say("\(product) started (pid \(service.processIdentifier))")
            }
            snapshot = waitForChange(after: snapshot)
            stopRunning()
        }
    }

    // MARK: - Steps

    /// Builds the product and starts it; nil when the build fails (its diagnostics are on the
    /// terminal already) or the loop is stopping.
    private func buildAndStart() -> Process? {
        say("building \(product)…")
        let started = ContinuousClock.now
        let build = toolchain.process(["build", "--product", product])
        guard let status = runToEnd(build) else { return nil }
        guard status == 0 else {
            say("the build failed (status \(status)): \(product) is stopped until the next change")
            return nil
        }
        say("built in \(seconds(since: started)); starting \(product)")
        let service = Process()
        service.executableURL = executable
        service.arguments = arguments
        service.currentDirectoryURL = toolchain.packageFolder
        return start(service) ? service : nil
    }

    /// Polls the watched files until one changes and the changes settle (an editor saving
    /// several files, a formatter rewriting them); reports a service that stops by itself.
    private func waitForChange(after snapshot: SourceSnapshot) -> SourceSnapshot {
        var reportedExit = false
        while true {
            Thread.sleep(forTimeInterval: pollInterval)
            if !reportedExit, let service = state.withLock({ $0.running }), !service.isRunning {
                reportedExit = true
                say("\(product) exited (\(describeExit(of: service))); waiting for a change")
            }
            var current = takeSnapshot()
            var changed = current.changes(since: snapshot)
            guard !changed.isEmpty else { continue }
            // Let the changes settle: look again until two looks agree (at most 2 s more).
            for _ in 0..<10 {
                Thread.sleep(forTimeInterval: 0.2)
                let later = takeSnapshot()
                if later == current { break }
                current = later
            }
            changed = current.changes(since: snapshot)
            if changed.isEmpty { continue }
            let shown = changed.prefix(3).joined(separator: ", ") + (changed.count > 3 ? " and \(changed.count - 3) more" : "")
            say("changed: \(shown)")
            return current
        }
    }

    // MARK: - Processes

    /// Starts `process` as the running one; false when it cannot start or the loop is stopping.
    private func start(_ process: Process) -> Bool {
        let started: Bool = state.withLock { state in
            guard !state.stopping else { return false }
            do {
                try process.run()
            } catch {
                return false
            }
            state.running = process
            return true
        }
        if !started, !state.withLock({ $0.stopping }) {
            say("cannot start \(process.executableURL?.path ?? "the process")")
        }
        return started
    }

    /// Runs `process` to its end; its exit status, or nil when it could not start or the loop
    /// is stopping.
    private func runToEnd(_ process: Process) -> Int32? {
        guard start(process) else { return nil }
        process.waitUntilExit()
        let stopping = state.withLock { state in
            if state.running === process { state.running = nil }
            return state.stopping
        }
        return stopping ? nil : process.terminationStatus
    }

    /// Stops the running process, if any: SIGTERM (a Trellis service drains and stops), then
    /// SIGKILL once `stopTimeout` has passed.
    private func stopRunning() {
        guard
            let process = state.withLock({ state in
                defer { state.running = nil }
                return state.running
            })
        else { return }
        guard process.isRunning else { return }
        say("stopping \(product)")
        process.terminate()
        let deadline = Date().addingTimeInterval(stopTimeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            say("\(product) did not stop within \(stopTimeout) s: killing it")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// SIGINT or SIGTERM: stop what runs, then exit.
    private func shutDown() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        stopRunning()
        say("stopped")
        exit(0)
    }

    // MARK: - Helpers

    private func takeSnapshot() -> SourceSnapshot {
        SourceSnapshot(root: toolchain.packageFolder, paths: watched)
    }

    private func describeExit(of process: Process) -> String {
        process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "status \(process.terminationStatus)"
    }

    private func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = start.duration(to: .now)
        let tenths = elapsed.components.seconds * 10 + elapsed.components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }

    private func say(_ message: String) {
        FileHandle.standardError.write(Data("trellis dev: \(message)\n".utf8))
    }
}
