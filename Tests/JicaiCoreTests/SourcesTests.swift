import Foundation
import Testing

/// The repository explains itself: every notice cited by a key resolves through docs/sources.md, and nothing points
/// at documents outside the repository.
@Suite("Citations resolve through docs/sources.md")
struct SourcesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Text files of the repository that cite clauses: sources, tests, docs, scripts and the README.
    static func texts() throws -> [(String, String)] {
        var out: [(String, String)] = []
        for folder in ["Sources", "Tests", "docs", "scripts"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["swift", "md", "py", "sh", "c", "h"].contains(url.pathExtension) {
                out.append((url.path.replacingOccurrences(of: root.path + "/", with: ""), try String(contentsOf: url, encoding: .utf8)))
            }
        }
        out.append(("README.md", try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)))
        return out
    }

    @Test("every key cited as \"NNN §…\" is a notice of docs/sources.md")
    func keys() throws {
        let sources = try String(contentsOf: Self.root.appendingPathComponent("docs/sources.md"), encoding: .utf8)
        let defined = Set(
            sources.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
                return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
            })
        #expect(defined == ["000", "001", "002", "003", "004"])
        // Three digits standing alone (not the end of a longer number or word) before " §".
        let citation = try Regex(#"(^|[^0-9A-Za-z])([0-9]{3}) §"#)
        var cited = Set<String>()
        for (path, text) in try Self.texts() {
            for match in text.matches(of: citation) {
                let key = String(text[match.range].suffix(5).prefix(3))
                cited.insert(key)
                #expect(defined.contains(key), "\(path) cites \(key), which docs/sources.md does not list")
            }
        }
        #expect(cited.count >= 4, "the reporting stage cites 000, 001, 002 and 004 (003 governs the award stage)")
    }

    @Test("no comment, doc or message points outside the repository")
    func selfContained() throws {
        let outside = ["domain" + ".md", "DESIGN" + ".md", "../" + "shared", "domain" + " §", "domain" + " 11"]
        // Section numbers of a document outside the repository ("11.x item n", "§11.x.y"): cite a notice clause or a
        // section of docs/rules.md instead.
        let numbering = try Regex("§ ?11\\.[0-9]|\\b11\\.[0-9]+(\\.[0-9]+)? items?\\b")
        for (path, text) in try Self.texts() {
            for word in outside { #expect(!text.contains(word), "\(path) mentions \(word)") }
            if let match = text.firstMatch(of: numbering) {
                Issue.record("\(path) cites \"\(text[match.range])\", a section of a document outside the repository")
            }
        }
    }

    @Test("The web layer and the command line reach the database only through the services' doors")
    func doorsOnly() throws {
        // A store or an audit actor named in these layers would be a way around a door's checks and audit entry.
        let forbidden = ["Store(", "AuditActor", "AuditLog(", "ReviewListQuery(", "Organisations(db)"]
        let layers = try Self.texts().filter { $0.0.hasPrefix("Sources/JicaiWeb/") || $0.0.hasPrefix("Sources/JicaiCLI/") }
        #expect(layers.count > 40)
        for (path, text) in layers {
            for token in forbidden where text.contains(token) { Issue.record("\(path) names \(token)") }
        }
    }
}
