internal import TrellisJSON
internal import TrellisSchema

/// A value in one of the input files: which file (by `file:///` URI) and where in it.
/// Schemas, parameters, bodies and responses are all known by their location, so that
/// diagnostics and the runtime's schema registry point at the same place.
struct SchemaSite: Hashable {
    /// `file:///<relative path>` of the document.
    var document: String
    var pointer: JSONPointer

    /// `document#pointer`, for the runtime's registry.
    var reference: String { document + "#" + pointer.description }

    /// The site of a member or item below this one.
    func appending(_ token: String) -> SchemaSite { SchemaSite(document: document, pointer: pointer.appending(token)) }
}

/// Follows `$ref`s between the input files: the one resolver that front ends use for
/// every kind of reference object (schemas, parameters, responses, bodies, headers, path items).
struct ReferenceResolver {
    let files: SourceFiles
    /// Document URIs declared by a file's root `$id` → the file's own `file:///` URI.
    private let aliases: [String: String]

    init(files: SourceFiles) {
        self.files = files
        var aliases: [String: String] = [:]
        for (path, json) in files.json {
            guard case .string(let id)? = json["$id"] else { continue }
            let uri = SourceFiles.uri(of: path)
            let canonical = URIReference(parsing: uri).resolving(id).withoutFragment.description
            if canonical != uri { aliases[canonical] = uri }
        }
        self.aliases = aliases
    }

    /// Why a reference leads nowhere.
    enum Failure: Error {
        case noFile(String)
        case nothingAt(path: String, fragment: String)
        case notAPointer(String)
        case noAnchor(path: String, name: String)
        case cycle
    }

    /// The site `reference` designates, written in the document `base`. With `anchors`, a
    /// plain-name fragment (`#node`) finds its `$anchor` (as JSON Schema allows); without,
    /// only JSON pointer fragments are followed (as in an OpenAPI document's own objects).
    func target(of reference: String, from base: String, anchors: Bool = false) -> Result<SchemaSite, Failure> {
        let target = URIReference(parsing: base).resolving(reference)
        var document = target.withoutFragment.description
        if let alias = aliases[document] { document = alias }
        let fragment = (target.fragment ?? "").removingPercentEncoding
        guard let path = SourceFiles.path(of: document), let root = files.json[path] else {
            return .failure(.noFile(SourceFiles.path(of: document) ?? document))
        }
        if fragment.isEmpty { return .success(SchemaSite(document: document, pointer: .root)) }
        if !fragment.hasPrefix("/") {
            guard anchors else { return .failure(.notAPointer(fragment)) }
            guard let pointer = Self.findAnchor(fragment, in: root, at: .root) else { return .failure(.noAnchor(path: path, name: fragment)) }
            return .success(SchemaSite(document: document, pointer: pointer))
        }
        guard let pointer = JSONPointer(parsing: fragment) else { return .failure(.notAPointer(fragment)) }
        guard pointer.resolve(in: root) != nil else { return .failure(.nothingAt(path: path, fragment: fragment)) }
        return .success(SchemaSite(document: document, pointer: pointer))
    }

    private static func findAnchor(_ name: String, in value: JSON, at pointer: JSONPointer) -> JSONPointer? {
        switch value {
        case .object(let object):
            if object["$anchor"] == .string(name) || object["$dynamicAnchor"] == .string(name) || object["$id"] == .string("#" + name) {
                return pointer
            }
            for (key, child) in object where key != "enum" && key != "const" && key != "default" && key != "examples" {
                if let found = findAnchor(name, in: child, at: pointer.appending(key)) { return found }
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = findAnchor(name, in: item, at: pointer.appending(index)) { return found }
            }
        default: break
        }
        return nil
    }

    /// The value at a site.
    func value(at site: SchemaSite) -> JSON? {
        guard let path = SourceFiles.path(of: site.document), let document = files.json[path] else { return nil }
        return site.pointer.resolve(in: document)
    }

    /// The object a reference object (`{"$ref": ...}`, possibly a chain of them) stands
    /// for, with its site; the site itself when it is not a reference.
    func dereference(_ site: SchemaSite) -> Result<(SchemaSite, JSON), Failure> {
        var current = site
        var seen: Set<SchemaSite> = []
        while true {
            guard let value = value(at: current) else {
                return .failure(.nothingAt(path: SourceFiles.path(of: current.document) ?? current.document, fragment: current.pointer.description))
            }
            guard case .string(let reference)? = value["$ref"] else { return .success((current, value)) }
            guard seen.insert(current).inserted else { return .failure(.cycle) }
            switch target(of: reference, from: current.document) {
            case .success(let next): current = next
            case .failure(let failure): return .failure(failure)
            }
        }
    }
}

extension ReferenceResolver {
    /// ` (did you mean "Pet.json"?)` for a reference to a file that is not there, or to a
    /// fragment that is not in its file, from the files and the keys that are; "" when none is close.
    func suggestion(for failure: Failure, reference: String) -> String {
        switch failure {
        case .noFile(let path):
            // Compared without `.json`, which every candidate shares.
            func stem(_ name: String) -> String { name.hasSuffix(".json") ? String(name.dropLast(5)) : name }
            let candidates = files.json.keys.filter { !$0.hasSuffix("service.json") }
            guard let found = closestName(to: stem(path), among: candidates.map(stem)),
                let best = candidates.first(where: { stem($0) == found })
            else { return "" }
            let fragment = reference.firstIndex(of: "#").map { String(reference[$0...]) } ?? ""
            return " (did you mean \"\(best)\(fragment)\"?)"
        case .nothingAt(let path, let fragment):
            guard let pointer = JSONPointer(parsing: fragment), let last = pointer.tokens.last, let root = files.json[path],
                let parent = JSONPointer(Array(pointer.tokens.dropLast())).resolve(in: root)?.objectValue,
                let best = closestName(to: last, among: parent.keys)
            else { return "" }
            let before = reference.firstIndex(of: "#").map { String(reference[..<$0]) } ?? ""
            return " (did you mean \"\(before)#\(JSONPointer(Array(pointer.tokens.dropLast()) + [best]).description)\"?)"
        default:
            return ""
        }
    }

    /// Whether `failure` is a file that exists but did not parse (its syntax error is
    /// reported already: a second error would mislead).
    func isUnparsedFile(_ failure: Failure) -> Bool {
        if case .noFile(let path) = failure { return files.bytes[path] != nil }
        return false
    }
}

extension ReferenceResolver.Failure {
    /// The failure in words, after `$ref "..." leads nowhere: `.
    var reason: String {
        switch self {
        case .noFile(let path): "no file \(path)"
        case .nothingAt(let path, let fragment): "\(path) has nothing at \(fragment)"
        case .notAPointer(let fragment): "only JSON pointer fragments (#/components/schemas/Name) can be followed here, not #\(fragment)"
        case .noAnchor(let path, let name): "\(path) has no $anchor \"\(name)\""
        case .cycle: "the references form a cycle"
        }
    }
}
