internal import CPCRE2

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// PCRE2's per-match state for the calling thread: match data, and a match context that
/// bounds every match (``Limits``) and gives JIT code a stack of its own.
///
/// `pcre2_match_data` is written by every match, so it cannot be shared between threads, and
/// creating one per match costs about as much as a JIT match itself (see Documentation/regex.md).
/// So each thread keeps one, in a pthread thread-specific slot whose destructor frees it when the
/// thread ends. This is safe: a slot is only ever read and written by its own thread, and a
/// match never runs another match on the same thread while it holds the data (no callouts).
/// A Swift task cannot change threads inside `ECMARegex.matches`, which does not suspend.
/// One pair of offsets is enough: a match that needs more still reports success (rc 0).
enum PCRE2MatchData {
    /// What one match may spend. PCRE2's defaults (ten million steps, a depth as deep, a heap
    /// of 20 GB) let one pathological pattern take about 12 ms a string; a request may carry
    /// thousands of strings. A match that reaches a limit counts as no match: the value fails
    /// its pattern, as it would in a validator that gave up.
    enum Limits {
        /// Backtracking steps (PCRE2's match limit; JIT and interpreter alike): about a
        /// millisecond of the worst pattern's time.
        static let steps: UInt32 = 1_000_000
        /// Nested backtracking points (the interpreter's depth limit).
        static let depth: UInt32 = 50_000
        /// The interpreter's backtracking memory, in KiB.
        static let heapKiB: UInt32 = 16 * 1024
        /// The JIT stack: 32 KiB at first, 1 MiB at the most (PCRE2's default is 32 KiB on the
        /// machine stack, after which a match fell back to the interpreter).
        static let jitStackStart = 32 * 1024
        static let jitStackMax = 1024 * 1024
    }

    /// One thread's match data, match context and JIT stack.
    final class ThreadState {
        let data: OpaquePointer
        let context: OpaquePointer
        let jitStack: OpaquePointer?

        init?() {
            guard let data = pcre2_match_data_create_8(1, nil) else { return nil }
            guard let context = pcre2_match_context_create_8(nil) else {
                pcre2_match_data_free_8(data)
                return nil
            }
            pcre2_set_match_limit_8(context, Limits.steps)
            pcre2_set_depth_limit_8(context, Limits.depth)
            pcre2_set_heap_limit_8(context, Limits.heapKiB)
            let jitStack = pcre2_jit_stack_create_8(Limits.jitStackStart, Limits.jitStackMax, nil)
            if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
            self.data = data
            self.context = context
            self.jitStack = jitStack
        }

        deinit {
            pcre2_match_data_free_8(data)
            pcre2_match_context_free_8(context)
            if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        }
    }

    /// The thread-specific key (nil if the system refused to create one: then each match
    /// creates and frees its own state).
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { state in
            if let state = state as UnsafeMutableRawPointer? { Unmanaged<ThreadState>.fromOpaque(state).release() }
        }
        return status == 0 ? key : nil
    }()

    /// Runs `body` with the match data and match context owned by the current thread; nil if
    /// memory ran out.
    static func withCurrent<Result>(_ body: (_ data: OpaquePointer, _ context: OpaquePointer) -> Result) -> Result? {
        if let key {
            if let existing = pthread_getspecific(key) {
                let state = Unmanaged<ThreadState>.fromOpaque(existing).takeUnretainedValue()
                return body(state.data, state.context)
            }
            if let created = ThreadState() {
                let retained = Unmanaged.passRetained(created)
                if pthread_setspecific(key, retained.toOpaque()) == 0 {
                    return body(created.data, created.context)
                }
                retained.release()
            }
        }
        guard let state = ThreadState() else { return nil }
        return body(state.data, state.context)
    }
}
