import Testing
import TrellisJSON

@Suite struct JSONSourceMapTests {
    let text = """
        {
          "info": {"title": "Pets"},
          "paths": [
            {"method": "GET", "path": "/pets/{id}"},
            {"méthod": "PUT", "a\\"b": [1, 2.5e3, true, null]}
          ]
        }
        """

    @Test func valuesAndKeysHavePositions() throws {
        let map = JSONSourceMap(text)
        #expect(map.position(of: .root)?.description == "1:1")
        #expect(map.position(of: JSONPointer(["info", "title"]))?.description == "2:21")
        #expect(map.keyPosition(of: JSONPointer(["info", "title"]))?.description == "2:12")
        #expect(map.position(of: JSONPointer(["paths", "0", "path"]))?.description == "4:31")
        #expect(map.keyPosition(of: JSONPointer(["paths", "1", "méthod"]))?.description == "5:6")
        #expect(map.position(of: JSONPointer(["paths", "1", "a\"b", "3"]))?.description == "5:48")
        #expect(map.position(of: JSONPointer(["paths", "2"])) == nil)
        #expect(map.nearestPosition(of: JSONPointer(["paths", "0", "missing"]))?.description == "4:5")
    }

    @Test func offsetsAreBytes() throws {
        let map = JSONSourceMap("[\"é\", 1]")
        #expect(map.position(of: JSONPointer(["1"]))?.offset == 7)
        #expect(map.position(of: JSONPointer(["1"]))?.column == 7)
    }

    @Test func malformedTextStopsQuietly() {
        let map = JSONSourceMap("{\"a\": [1, 2, {\"b\": }")
        #expect(map.position(of: JSONPointer(["a", "1"]))?.description == "1:11")
        #expect(map.position(of: JSONPointer(["a", "2"]))?.description == "1:14")
        #expect(map.position(of: JSONPointer(["a", "3"])) == nil)
    }
}
