internal import CPCRE2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// PCRE2 match data for the calling thread.
///
/// `pcre2_match_data` is written by every match, so it cannot be shared between threads, and
/// creating one per match costs about as much as a JIT match itself (see Documentation/regex.md).
/// So each thread keeps one, in a pthread thread-specific slot whose destructor frees it when the
/// thread ends. This is safe: a slot is only ever read and written by its own thread, and a
/// match never runs another match on the same thread while it holds the data (no callouts).
/// A Swift task cannot change threads inside `ECMARegex.matches`, which does not suspend.
/// One pair of offsets is enough: a match that needs more still reports success (rc 0).
enum PCRE2MatchData {
    /// The thread-specific key (nil if the system refused to create one: then each match
    /// creates and frees its own data).
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { data in
            pcre2_match_data_free_8(OpaquePointer(data))
        }
        return status == 0 ? key : nil
    }()

    /// Runs `body` with match data owned by the current thread; nil if memory ran out.
    static func withCurrent<Result>(_ body: (OpaquePointer) -> Result) -> Result? {
        if let key {
            if let existing = pthread_getspecific(key) {
                return body(OpaquePointer(existing))
            }
            if let created = pcre2_match_data_create_8(1, nil) {
                if pthread_setspecific(key, UnsafeRawPointer(created)) == 0 {
                    return body(created)
                }
                pcre2_match_data_free_8(created)
            }
        }
        guard let data = pcre2_match_data_create_8(1, nil) else { return nil }
        defer { pcre2_match_data_free_8(data) }
        return body(data)
    }
}
