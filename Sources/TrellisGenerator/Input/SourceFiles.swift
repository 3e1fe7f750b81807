internal import TrellisJSON

/// The input files of one generation, parsed once, with positions found on demand.
final class SourceFiles {
    /// Relative path → bytes.
    let bytes: [String: [UInt8]]
    /// Relative path → parsed JSON (only files that parsed). A front end may replace a
    /// document with a normalized copy whose values keep their pointers (OpenAPI 3.0 schemas
    /// rewritten as JSON Schema 2020-12), so that positions still hold.
    var json: [String: JSON] = [:]
    private var maps: [String: JSONSourceMap] = [:]

    init(_ files: [String: [UInt8]]) {
        self.bytes = files
    }

    /// `file:///<path>`: the URI a file is known by in schemas and in the runtime's registry.
    static func uri(of path: String) -> String { "file:///" + path }

    /// The relative path of a `file:///` URI.
    static func path(of uri: String) -> String? {
        uri.hasPrefix("file:///") ? String(uri.dropFirst(8)) : nil
    }

    /// Whether a path names a YAML file (`.yaml` or `.yml`).
    static func isYAML(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// Parses every file (JSON, or YAML by its extension), reporting syntax errors with
    /// their positions.
    func parseAll(into diagnostics: inout Diagnostics) {
        for path in bytes.keys.sorted() {
            guard let data = bytes[path] else { continue }
            if Self.isYAML(path) {
                do {
                    let document = try YAMLDocument(utf8: data)
                    json[path] = document.json
                    maps[path] = document.positions
                } catch {
                    diagnostics.append(Diagnostic(.error, error.message, file: path, line: error.line, column: error.column))
                }
                continue
            }
            if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "\(path) is empty: every .json file beside the declaration is read, and a model file holds one JSON Schema (write {} for a schema that accepts anything, or delete the file)",
                        file: path, line: 1, column: 1))
                continue
            }
            do {
                // A schema's bounds may be beyond 64 bits (`"maximum": 18446744073709551615`):
                // read as the nearest double, which compares exactly with every 64-bit value.
                json[path] = try JSON(parsing: data, options: JSONParseOptions(maxDepth: 512, largeIntegers: .approximate))
            } catch {
                diagnostics.append(Diagnostic(.error, "malformed JSON: \(error.reason)", file: path, line: error.line, column: error.column))
            }
        }
    }

    /// A diagnostic at the value (or, with `key`, at the member name) `pointer` designates;
    /// at the nearest enclosing value when there is none.
    func diagnostic(_ severity: Diagnostic.Severity, _ message: String, file: String, at pointer: JSONPointer, key: Bool = false) -> Diagnostic {
        if maps[file] == nil { maps[file] = JSONSourceMap(utf8: bytes[file] ?? []) }
        let map = maps[file]
        let position = (key ? map?.keyPosition(of: pointer) : map?.position(of: pointer)) ?? map?.nearestPosition(of: pointer)
        return Diagnostic(severity, message, file: file, line: position?.line, column: position?.column)
    }
}
