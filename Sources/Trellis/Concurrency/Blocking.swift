internal import NIOCore
internal import NIOPosix

/// Runs blocking or CPU-heavy work — a synchronous database driver, file I/O, image
/// processing, a C library — on a bounded pool of threads of its own, and waits for it
/// without holding a thread: FastAPI's `run_in_threadpool`.
///
/// Handlers run on Swift's cooperative thread pool, which has one thread per core: a handler
/// that blocks one of them (`sleep`, a synchronous read, a long computation) takes it from
/// every other request, and a few such handlers stop the server. Wrap such work:
///
/// ```swift
/// func resizeImage(_ input: Images.Resize.Input) async throws -> Images.Resize.Output {
///     let thumbnail = try await runBlocking { try Thumbnailer.resize(input.body, to: 128) }
///     return .ok(thumbnail)
/// }
/// ```
///
/// The pool has `max(8, 4 × cores)` threads; work beyond that waits its turn. Do not use it
/// for `async` code (that never blocks a thread) nor for very short work (a hop costs a few
/// microseconds). In debug builds the stall detector (``TrellisConfiguration/stallThreshold``)
/// tells you when a handler blocks without it.
@discardableResult
public func runBlocking<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await BlockingPool.shared.runIfActive(work)
}

/// The pool of ``runBlocking(_:)``: started on first use, lives as long as the process.
enum BlockingPool {
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(8, 4 * System.coreCount))
        pool.start()
        return pool
    }()
}
