internal import Foundation
public import TrellisCore
internal import TrellisJSON

/// Writes `application/x-www-form-urlencoded` and `multipart/form-data` bodies from a body
/// value, as the runtime reads them back: each declared field in its style (as a query
/// parameter of its type would be written), files as file parts, objects as JSON parts.
package enum FormBodyWriter {
    /// The form's text: each member of `object` as `name=value` items, form-encoded.
    static func form(_ object: JSONObject, body: BodyDescription) throws(TrellisClientError) -> [UInt8] {
        var items: [(String, String)] = []
        for (name, value) in object.members {
            items += try fieldItems(name, value, body: body)
        }
        let text = items.map { formEncoded($0.0) + "=" + formEncoded($0.1) }.joined(separator: "&")
        return Array(text.utf8)
    }

    /// The multipart body of `object` between delimiters of `boundary`: declared files read
    /// from where they are, declared fields as texts, objects as JSON parts.
    static func multipart(_ object: JSONObject, body: BodyDescription, boundary: String) throws(TrellisClientError) -> [UInt8] {
        var bytes: [UInt8] = []
        func part(name: String, filename: String? = nil, contentType: String? = nil, contents: [UInt8]) {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(name))\""
            if let filename { head += "; filename=\"\(quoted(filename))\"" }
            head += "\r\n"
            if let contentType { head += "Content-Type: \(contentType)\r\n" }
            bytes += Array((head + "\r\n").utf8)
            bytes += contents
            bytes += Array("\r\n".utf8)
        }
        for (name, value) in object.members {
            if body.files.contains(where: { $0.name == name }) {
                let files: [JSON] = if case .array(let items) = value { items } else { [value] }
                for file in files {
                    guard let path = file["temporaryPath"]?.stringValue else {
                        throw .invalidRequest("the file part \(name) has no file: make it with UploadedFile(contentsOf:contentType:)")
                    }
                    let contents: Data
                    do {
                        contents = try Data(contentsOf: URL(fileURLWithPath: path))
                    } catch {
                        throw .invalidRequest("the file of part \(name) cannot be read at \(path): \(error)")
                    }
                    part(
                        name: name, filename: file["filename"]?.stringValue ?? (path as NSString).lastPathComponent,
                        contentType: file["contentType"]?.stringValue ?? "application/octet-stream", contents: [UInt8](contents))
                }
                continue
            }
            switch value {
            case .object where !body.fields.contains(where: { $0.name == name }):
                // OpenAPI's default encoding of an object property: JSON in its part.
                var writer = JSONWriter()
                writer.write(value)
                part(name: name, contentType: "application/json", contents: writer.bytes)
            default:
                for (itemName, text) in try fieldItems(name, value, body: body) {
                    part(name: itemName, contents: Array(text.utf8))
                }
            }
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return bytes
    }

    /// A field's `(name, text)` items: a declared field in its style, any other scalar as its
    /// text and an array of scalars as one item each.
    private static func fieldItems(_ name: String, _ value: JSON, body: BodyDescription) throws(TrellisClientError) -> [(String, String)] {
        guard let shape = try ParameterWriter.shape(of: value) else { return [] }
        if let field = body.fields.first(where: { $0.name == name }) { return ParameterWriter.query(shape, field) }
        switch shape {
        case .scalar(let text): return [(name, text)]
        case .list(let items): return items.map { (name, $0) }
        case .pairs(let pairs): return pairs.map { (name + "[" + $0.0 + "]", $0.1) }
        }
    }

    /// A name in a `Content-Disposition` parameter: quotes and line breaks escaped as
    /// browsers do (`%22`, `%0D`, `%0A`).
    private static func quoted(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "%22"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` as a form field writes it: unreserved bytes as they are, a space as `+`, others `%XX`.
    package static func formEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): result += "+"
            default: result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}

extension UploadedFile {
    /// A file to send in a `multipart/form-data` body from a client: the file at `path`, in
    /// `contentType`, named `filename` (by default the path's last component).
    /// - Throws: `CocoaError` when there is no file at `path`.
    public init(contentsOf path: String, contentType: String, filename: String? = nil) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        self.init(filename: filename ?? (path as NSString).lastPathComponent, contentType: contentType, size: size, temporaryPath: path)
    }
}
