import Foundation
import Testing

/// Golden files under `Tests/JicaiAppTests/__Snapshots__/`: a page or an API body is compared with its file, and a
/// change shows up as a diff in review. `JICAI_RECORD_SNAPSHOTS=1` writes the files instead of comparing (then
/// review and commit them); a missing file is written and the test fails, so nothing passes unrecorded.
///
/// A small helper rather than pointfreeco/swift-snapshot-testing 1.19.7. Measured here: a clean debug build of a
/// one-test package on it (it brings swift-syntax, swift-custom-dump, xctest-dynamic-overlay) took 16 s and 300 MB,
/// so the cost is small; the helper is kept because the tests compare text only (HTML one element to a line, JSON
/// with sorted keys and scrubbed secrets), it reports through Swift Testing's `Issue.record`, and it adds no
/// dependency tree to a server's test target.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    static var recording: Bool { ProcessInfo.processInfo.environment["JICAI_RECORD_SNAPSHOTS"] == "1" }

    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            if !recording { Issue.record("no snapshot \(name) yet: recorded it; review and commit it", sourceLocation: sourceLocation) }
            return
        }
        guard expected != text else { return }
        Issue.record(
            "\(name) differs from its snapshot (JICAI_RECORD_SNAPSHOTS=1 re-records):\n\(diff(expected, text))", sourceLocation: sourceLocation)
    }

    /// The first lines that differ, with their numbers.
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for index in 0..<max(old.count, new.count) where out.count < 12 {
            let before = index < old.count ? String(old[index]) : nil
            let after = index < new.count ? String(new[index]) : nil
            if before != after {
                if let before { out.append("\(index + 1) - \(before)") }
                if let after { out.append("\(index + 1) + \(after)") }
            }
        }
        return out.joined(separator: "\n")
    }

    /// A page one element to a line, with the values that change from run to run (CSRF tokens) replaced.
    static func html(_ body: String) -> String {
        var text = body.replacingOccurrences(of: "><", with: ">\n<")
        text = text.replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: #"name="_csrf" value="CSRF""#, options: .regularExpression)
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// A JSON body with sorted keys and indentation; `scrub` names keys whose values change from run to run.
    static func json(_ body: String, scrub: Set<String> = ["csrf", "token", "id"]) -> String {
        guard let data = body.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return body + "\n"
        }
        let cleaned = scrubbed(value, scrub)
        guard
            let out = try? JSONSerialization.data(
                withJSONObject: cleaned, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return body + "\n" }
        return String(decoding: out, as: UTF8.self) + "\n"
    }

    static func scrubbed(_ value: Any, _ keys: Set<String>) -> Any {
        if let object = value as? [String: Any] {
            return Dictionary(
                uniqueKeysWithValues: object.map { key, inner in
                    (key, keys.contains(key) && !(inner is NSNull) ? "SCRUBBED" : scrubbed(inner, keys))
                })
        }
        if let array = value as? [Any] { return array.map { scrubbed($0, keys) } }
        return value
    }
}
