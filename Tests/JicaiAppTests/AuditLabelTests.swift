import Foundation
import JicaiPersistence
import Testing

@testable import JicaiWeb

/// The audit log speaks the bureau's language: every stored verb and object type has a Chinese name, and no Chinese
/// page shows a bare English one (#29).
@Suite("Audit log labels")
struct AuditLabelTests {
    @Test("Every kind of event's action and object type has a label in both languages")
    func everyEvent() {
        for event in AuditEvent.every {
            #expect(AuditLabels.actions[event.action] != nil, "no label for the action \(event.action)")
            #expect(AuditLabels.entities[event.entity] != nil, "no label for the object type \(event.entity)")
        }
    }

    @Test("No Chinese page snapshot has a table cell holding a bare stored verb or object type")
    func chinesePages() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__/pages")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".zh.html") }
        #expect(pages.contains("audit-log.zh.html") && pages.contains("report-history.zh.html"))
        let words = Set(AuditLabels.actions.keys).union(AuditLabels.entities.keys)
        for page in pages {
            let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
            // The system's own names too, on the two pages that list who did what.
            let actors = ["audit-log.zh.html", "report-history.zh.html"].contains(page) ? Set(AuditLabels.actors.keys) : []
            for word in words.union(actors) {
                #expect(!html.contains("<td>\(word)</td>") && !html.contains("<td>\(word) "), "\(page) shows \(word) untranslated")
            }
        }
    }
}
