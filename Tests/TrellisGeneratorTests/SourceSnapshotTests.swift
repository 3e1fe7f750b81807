import Foundation
import Testing
import TrellisGenerator

/// What `trellis dev` watches: a package's files, and what changed between two looks.
@Suite struct SourceSnapshotTests {
    /// A package folder with `Package.swift`, `schemas/service.json` and a source file.
    func makePackage() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString)")
        for (path, text) in [
            "Package.swift": "// manifest", "schemas/service.json": "{}", "Sources/Orders/Orders.swift": "struct A {}",
            "Sources/Orders/.Orders.swift.swp": "editor", ".build/debug/Orders": "binary", "Sources/Orders/Notes.txt~": "backup",
        ] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    let watched = ["Package.swift", "schemas", "Sources", "Tests"]

    @Test func seesTheWatchedFilesOnly() throws {
        let root = try makePackage()
        defer { try? FileManager.default.removeItem(at: root) }
        let snapshot = SourceSnapshot(root: root, paths: watched)
        // Hidden files, backups and what is not watched (.build) are left out; a missing
        // folder (Tests) contributes nothing.
        #expect(snapshot.count == 3)
        #expect(snapshot.changes(since: snapshot).isEmpty)
        #expect(SourceSnapshot(root: root, paths: watched) == snapshot)
    }

    @Test func reportsEditsAdditionsAndRemovals() throws {
        let root = try makePackage()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = SourceSnapshot(root: root, paths: watched)

        // A change of size is seen even within the file system's time resolution.
        try Data(#"{"info": {}}"#.utf8).write(to: root.appendingPathComponent("schemas/service.json"))
        try Data("model".utf8).write(to: root.appendingPathComponent("schemas/Order.json"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("Sources/Orders/Orders.swift"))
        let after = SourceSnapshot(root: root, paths: watched)
        #expect(after.changes(since: before) == ["Sources/Orders/Orders.swift", "schemas/Order.json", "schemas/service.json"])

        // The same size, a later modification time (an editor saving the same length).
        let manifest = root.appendingPathComponent("Package.swift")
        try Data("// manifeST".utf8).write(to: manifest)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: manifest.path)
        #expect(SourceSnapshot(root: root, paths: watched).changes(since: after) == ["Package.swift"])
    }

    @Test func editorsAndBuildsOutsideTheWatchedPathsChangeNothing() throws {
        let root = try makePackage()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = SourceSnapshot(root: root, paths: watched)
        try Data("new swap".utf8).write(to: root.appendingPathComponent("Sources/Orders/.Orders.swift.swp"))
        try Data("relinked".utf8).write(to: root.appendingPathComponent(".build/debug/Orders"))
        try Data("readme".utf8).write(to: root.appendingPathComponent("README.md"))
        #expect(SourceSnapshot(root: root, paths: watched).changes(since: before).isEmpty)
    }
}
