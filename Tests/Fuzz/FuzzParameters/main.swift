import CFuzzDriver
import FuzzSupport
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#endif

let client = FuzzClient()

/// libFuzzer target: parameter reading (path, query, header, cookie, every style) through the
/// request path in process. The input's pieces (split at 0xFF) are the path and query, a
/// header value, a second header value and the cookie header.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzParameters(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let pieces = Array(UnsafeBufferPointer(start: data, count: size)).fuzzPieces(4)
    let target = "/items/" + String(decoding: pieces[0], as: UTF8.self)
    var headers = HTTPFields()
    let values = pieces.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    // Header values a client could send (HTTPTypes refuses the others before any server sees them).
    if values.count > 0, let name = HTTPField.Name("X-Trace") { headers[name] = values[0] }
    if values.count > 1, let name = HTTPField.Name("X-Ids") { headers[name] = values[1] }
    if values.count > 2 { headers[.cookie] = values[2] }
    client.send(.get, target, headers: headers, body: nil)
    return 0
}

exit(trellis_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in fuzzParameters(data, size) })
