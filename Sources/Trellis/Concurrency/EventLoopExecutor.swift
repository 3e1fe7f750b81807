internal import NIOCore
internal import NIOPosix
import Synchronization

extension TrellisApplication {
    /// Makes SwiftNIO's event loops Swift's global executor, so that a request is read, handled
    /// and answered on one thread, with no hop between NIO's threads and Swift's cooperative
    /// pool (two or more per request otherwise). Call it once, first thing in `main.swift`,
    /// before any task starts; then ``run(gracefulShutdownSignals:onServerRunning:)`` and
    /// ``serve(onServerRunning:)`` serve on that group of `threads` event loops.
    ///
    /// ```swift
    /// TrellisApplication.runTasksOnEventLoops(threads: TrellisConfiguration.fromEnvironment().threads)
    /// let app = try TrellisApplication(configuration: .fromEnvironment(), services: MyService())
    /// try await app.run()
    /// ```
    ///
    /// Every task of the process then runs on an event loop, so code that blocks a thread
    /// (file I/O, CPU-heavy loops, synchronous drivers) stalls the connections of that loop:
    /// wrap it in ``runBlocking(_:)``, which runs on a thread pool of its own. This is what
    /// SwiftNIO's `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
    /// does, and it carries its caveats: it relies on a hook of the Swift runtime that is not
    /// formally guaranteed (it holds for Swift 6.x compilers), and it applies to the whole process.
    ///
    /// - Parameter threads: The number of event loops (nil: one per core). Only the first call
    ///   of a process counts.
    /// - Returns: Whether the event loops are Swift's global executor (false where the runtime
    ///   offers no hook; the server then runs as usual).
    @discardableResult
    public static func runTasksOnEventLoops(threads: Int?) -> Bool {
        EventLoopExecutorTakeover.install(threads: threads)
    }

    /// Whether ``runTasksOnEventLoops(threads:)`` made the event loops Swift's global executor.
    public static var tasksRunOnEventLoops: Bool { EventLoopExecutorTakeover.state.withLock { $0 ?? false } }
}

/// The once-per-process installation of NIO's event loops as Swift's global executor (the
/// hook is process-wide and NIO stops the process if it is installed twice, hence the flag).
enum EventLoopExecutorTakeover {
    /// nil until the first call; then whether it succeeded.
    static let state = Mutex<Bool?>(nil)

    static func install(threads: Int?) -> Bool {
        state.withLock { installed in
            if let installed { return installed }
            if let threads, threads > 0 { NIOSingletons.groupLoopCountSuggestion = threads }
            let result = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            installed = result
            return result
        }
    }
}
