import Foundation

/// Uploads and spreadsheet parts live in the system's temporary folder under a `jicai-` prefix while they are being
/// read, and are removed when the request or job ends. A crash leaves them behind: the server removes the leftovers
/// at start-up.
public enum TemporaryFiles {
    public static let prefixes = ["jicai-up-", "jicai-sheet-"]

    /// Removes leftovers not touched for `age` seconds (another server sharing the folder may be using newer ones).
    /// Returns how many were removed.
    @discardableResult
    public static func removeLeftovers(
        olderThan age: TimeInterval = 3600, now: Date = Date(),
        in folder: URL = FileManager.default.temporaryDirectory
    ) -> Int {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return 0 }
        var removed = 0
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            let url = folder.appendingPathComponent(name)
            guard let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) >= age
            else { continue }
            if (try? fm.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}
