internal import Synchronization

/// Work a handler schedules to run after its response has been sent: an e-mail, a cache
/// refresh, an audit record. FastAPI's `BackgroundTasks`.
///
/// Declare it as a dependency of the operation (`"backgroundTasks": {"type": "BackgroundTasks"}`
/// in the declaration's `dependencies`) and add work to the value the input carries:
///
/// ```swift
/// func createPet(_ input: Petstore.CreatePet.Input) async throws -> Petstore.CreatePet.Output {
///     let pet = try await store.insert(input.body)
///     input.backgroundTasks.add { try await mailer.announce(pet) }
///     return .created(pet)
/// }
/// ```
///
/// The tasks run one after the other, in the order added, once the response has been
/// written; an error is logged with the request id and does not stop the tasks after it.
/// Graceful shutdown waits for them (within the grace period). If the request fails, they
/// do not run.
public final class BackgroundTasks: Sendable {
    private let tasks = Mutex<[@Sendable () async throws -> Void]>([])

    /// No tasks yet.
    public init() {}

    /// Adds work to run after the response.
    public func add(_ work: @escaping @Sendable () async throws -> Void) {
        tasks.withLock { $0.append(work) }
    }

    /// The tasks added, removing them (the runtime calls this once, after the response).
    package func takeAll() -> [@Sendable () async throws -> Void] {
        tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
    }

    /// Whether no task was added.
    public var isEmpty: Bool { tasks.withLock { $0.isEmpty } }
}

extension BackgroundTasks: Dependency {
    /// A new, empty list for the request.
    public static func resolve(in scope: DependencyScope) async throws -> BackgroundTasks { BackgroundTasks() }
}
