internal import CPCRE2

/// A pattern compiled by PCRE2 (and JIT-compiled when the platform supports it).
///
/// `@unchecked Sendable`: after `init` the compiled code is never modified; PCRE2 documents
/// compiled patterns, JIT code included, as shareable between threads for matching. All the
/// per-match state lives in match data, which is per thread (`PCRE2MatchData`).
final class PCRE2Program: @unchecked Sendable {
    /// Why PCRE2 refused a pattern.
    struct CompileError: Error {
        /// PCRE2's error code.
        let code: Int32
        let message: String
        /// Byte offset in the PCRE2 pattern.
        let offset: Int
    }

    private let code: OpaquePointer
    private let jitCompiled: Bool

    /// Compiles `pattern` (PCRE2 syntax, UTF-8, Unicode code points; no UCP: `\b` is ASCII).
    init(pattern: String) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        var text = pattern
        let options = cpcre2_utf | cpcre2_never_ucp | cpcre2_match_unset_backref
        let compiled = text.withUTF8 { bytes in
            pcre2_compile_8(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(code: errorCode, message: Self.message(for: errorCode), offset: errorOffset)
        }
        code = compiled
        jitCompiled = pcre2_jit_compile_8(compiled, cpcre2_jit_complete) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// PCRE2's error code for a lookbehind whose alternatives do not each have a fixed length
    /// (PCRE2 10.43 lifted this; ECMA-262 allows any lookbehind).
    static let variableLookbehindError: Int32 = 125

    /// Whether the pattern matches anywhere in `subject` (valid UTF-8).
    /// A match that reaches one of ``PCRE2MatchData/Limits`` (catastrophic backtracking)
    /// counts as no match.
    func search(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = subject.baseAddress else {
            return withUnsafePointer(to: UInt8(0)) { search(UnsafeBufferPointer(start: $0, count: 0)) }
        }
        let result = PCRE2MatchData.withCurrent { data, context -> Int32 in
            if jitCompiled {
                let rc = pcre2_jit_match_8(code, start, subject.count, 0, 0, data, context)
                guard rc == cpcre2_error_jit_stacklimit else { return rc }
            }
            // Interpreter: without JIT, or when a deep JIT match ran out of its stack.
            return pcre2_match_8(code, start, subject.count, 0, cpcre2_no_utf_check | cpcre2_no_jit, data, context)
        }
        return (result ?? cpcre2_error_nomatch) >= 0
    }

    /// PCRE2's text for an error code.
    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer.prefix(Int(length)), as: UTF8.self) : "error \(errorCode)"
    }
}
