import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import Metrics

/// What the use cases count for `/metrics` (swift-metrics; a no-op unless the server bootstrapped a backend).
/// The names and labels are listed in docs/operations.md.
public enum ServiceMetrics {
    /// `jicai_logins_total{outcome}`: ok, bad_credentials, refused (locked or disabled account).
    static func login(_ outcome: String) {
        Counter(label: "jicai_logins_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// `jicai_lockouts_total`: accounts locked after repeated wrong passwords.
    static func lockout() {
        Counter(label: "jicai_lockouts_total").increment()
    }

    /// `jicai_report_changes_total{action}`: saves, letters, submits, reviews and corrections that were written.
    static func reportChange(_ action: String) {
        Counter(label: "jicai_report_changes_total", dimensions: [("action", action)]).increment()
    }

    /// `jicai_import_rows_total{kind}` and `jicai_imports_total{kind,outcome}`.
    static func imported(_ kind: String, rows: Int) {
        Counter(label: "jicai_import_rows_total", dimensions: [("kind", kind)]).increment(by: Int64(rows))
        Counter(label: "jicai_imports_total", dimensions: [("kind", kind), ("outcome", "ok")]).increment()
    }

    /// `jicai_import_row_errors_total{kind}` (row-level problems of refused files) and the refused import.
    static func refused(_ kind: String, problems: Int) {
        Counter(label: "jicai_import_row_errors_total", dimensions: [("kind", kind)]).increment(by: Int64(problems))
        Counter(label: "jicai_imports_total", dimensions: [("kind", kind), ("outcome", "refused")]).increment()
    }

    /// Runs an import, counting its rows or its problems.
    static func importing(_ kind: String, _ body: () async throws -> ImportSummary) async throws -> ImportSummary {
        do {
            let summary = try await body()
            imported(kind, rows: summary.rows)
            return summary
        } catch let failure as ImportFailure {
            refused(kind, problems: failure.totalIssues)
            throw failure
        }
    }

    /// Background jobs (imports and account issuing started from the browser): `jicai_jobs_total{kind,outcome}`
    /// when one ends, `jicai_jobs_running` while they run.
    public static func jobStarted(_ kind: String) {
        Gauge(label: "jicai_jobs_running").record(running.add(1))
        Counter(label: "jicai_jobs_total", dimensions: [("kind", kind), ("outcome", "started")]).increment()
    }

    public static func jobEnded(_ kind: String, ok: Bool) {
        Gauge(label: "jicai_jobs_running").record(running.add(-1))
        Counter(label: "jicai_jobs_total", dimensions: [("kind", kind), ("outcome", ok ? "done" : "failed")]).increment()
    }

    static let running = DBMetrics.Tally()
}
