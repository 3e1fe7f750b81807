// The example service. Serving it over HTTP comes with the Trellis runtime; until then
// this prints the service's generated OpenAPI document, or answers one operation:
//
//     swift run Petstore                 # the OpenAPI document
//     swift run Petstore getPet 7        # the answer to GET /pets/7, as JSON
import Foundation
import TrellisCore

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "getPet", let number = arguments.dropFirst().first.flatMap(Int.init) {
    let output = try await PetstoreImplementation().getPet(.init(petId: number))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    switch output {
    case .ok(let pet): print(output.statusCode, String(decoding: try encoder.encode(pet), as: UTF8.self))
    case .notFound(let error): print(output.statusCode, String(decoding: try encoder.encode(error), as: UTF8.self))
    }
} else {
    print(Petstore.openAPIDocument)
}
