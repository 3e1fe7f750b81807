public import Foundation

/// What a development loop (`trellis dev`) watches: every file under some folders of a package,
/// with its modification time and size, so that two snapshots tell what changed.
///
/// Polling rather than inotify or FSEvents: it is the same code on Linux and macOS, a service's
/// sources are a few hundred files (a snapshot takes about a millisecond), and it sees changes
/// that editors make by writing a new file and renaming it over the old one.
public struct SourceSnapshot: Sendable, Equatable {
    /// A file's state: when it was last modified, and its size.
    struct Stamp: Sendable, Equatable {
        let modified: Date
        let size: Int
    }

    /// Each file's path relative to the package's folder, and its stamp.
    private(set) var files: [String: Stamp]

    /// The files under `paths` (folders, searched recursively, or single files) inside `root`.
    /// Hidden files and folders (`.build`, `.git`, an editor's `.swp`), backups ending in `~`
    /// and the build folder are left out; a path that does not exist contributes nothing.
    public init(root: URL, paths: [String], fileManager: FileManager = .default) {
        var files: [String: Stamp] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey, .isDirectoryKey]
        func stamp(_ url: URL) -> Stamp? {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { return nil }
            return Stamp(modified: values.contentModificationDate ?? .distantPast, size: values.fileSize ?? 0)
        }
        for path in paths {
            let url = root.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if let stamp = stamp(url) { files[path] = stamp }
                continue
            }
            guard
                let enumerator = fileManager.enumerator(
                    at: url, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles, .skipsPackageDescendants])
            else { continue }
            for case let file as URL in enumerator {
                let name = file.lastPathComponent
                if name.hasSuffix("~") || name == ".build" {
                    enumerator.skipDescendants()
                    continue
                }
                guard let stamp = stamp(file) else { continue }
                files[path + "/" + Self.relativePath(of: file, under: url)] = stamp
            }
        }
        self.files = files
    }

    /// The files added, removed or changed (modified at another time, or resized) since
    /// `earlier`, sorted by path.
    public func changes(since earlier: SourceSnapshot) -> [String] {
        var changed: [String] = []
        for (path, stamp) in files where earlier.files[path] != stamp { changed.append(path) }
        for path in earlier.files.keys where files[path] == nil { changed.append(path) }
        return changed.sorted()
    }

    /// How many files the snapshot holds.
    public var count: Int { files.count }

    private static func relativePath(of file: URL, under folder: URL) -> String {
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let components = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        guard components.starts(with: base) else { return file.lastPathComponent }
        return components.dropFirst(base.count).joined(separator: "/")
    }
}
