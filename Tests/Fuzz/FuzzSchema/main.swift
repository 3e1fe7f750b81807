import CFuzzDriver
import TrellisJSON
import TrellisSchema

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer target: schema compilation with hostile schemas (cycles, huge bounds, patterns),
/// then validation of a few instances (the schema itself among them) by whatever compiled.
/// Compilation may refuse a schema; it must never crash, hang or exhaust the stack.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSchema(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let schema = try? JSONDocument(parsing: bytes, options: JSONParseOptions(maxDepth: 64)).root.json else { return 0 }
    guard let validator = try? Validator(schema: schema) else { return 0 }
    for instance: JSON in [schema, .null, .integer(0), .string(""), .string("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), [:], [], ["a": [1, 2.5, "x"]]] {
        let valid = validator.isValid(instance)
        let errors = validator.validate(instance)
        if valid != errors.isEmpty { fatalError("isValid and validate disagree on \(instance) under \(schema)") }
    }
    return 0
}

exit(trellis_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in fuzzSchema(data, size) })
