import CFuzzDriver
import FuzzSupport
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#endif

let client = FuzzClient()

/// libFuzzer target: request bodies through the request path in process — JSON, a form
/// (`application/x-www-form-urlencoded`) and `multipart/form-data` (the streaming parser, parts
/// and their headers, files to disk). The first byte chooses the media type (and, for
/// multipart, the boundary is `B`); the rest is the body.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzBodies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let contentType: String
    switch bytes[0] % 4 {
    case 0: contentType = "application/json"
    case 1: contentType = "application/x-www-form-urlencoded"
    case 2: contentType = "multipart/form-data; boundary=B"
    default: contentType = "multipart/form-data; boundary=\"a b:c\""
    }
    client.send(.post, "/items", headers: [.contentType: contentType], body: Array(bytes.dropFirst()))
    return 0
}

exit(trellis_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in fuzzBodies(data, size) })
