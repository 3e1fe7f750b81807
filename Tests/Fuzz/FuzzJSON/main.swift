import CFuzzDriver
import TrellisJSON

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer target: the JSON parser (jansson underneath) with the body limits, then the
/// writer: whatever parses must write back and parse again to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let document = try? JSONDocument(parsing: bytes, options: JSONParseOptions(maxDepth: 64)) else { return 0 }
    let value = document.root.json
    var writer = JSONWriter()
    writer.write(value)
    guard let again = try? JSON(parsing: String(decoding: writer.bytes, as: UTF8.self)) else {
        fatalError("written JSON does not parse: \(String(decoding: writer.bytes, as: UTF8.self))")
    }
    if again != value { fatalError("round trip changed the value: \(value) → \(again)") }
    return 0
}

exit(trellis_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in fuzzJSON(data, size) })
