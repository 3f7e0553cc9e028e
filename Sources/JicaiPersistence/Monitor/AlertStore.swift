import Foundation
import JicaiCore
import SQLKit

/// Alerts and their life: raised and refreshed by a recompute, acknowledged and resolved by people.
public struct AlertStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// Who sees which alerts: all, a region (a city bureau), one institution.
    public enum Scope: Sendable, Hashable {
        case all
        case region(String)
        case institution(Int64)
    }

    /// The stored alerts of these institutions (all when nil), as reconciling needs them, with institution codes:
    /// streamed (a province has hundreds of thousands), the figures of live ones read by `figures(_:)`.
    public func existing(batchID: Int64, institutions: [Int64]?) async throws -> [ExistingAlert] {
        let filter = PurchaseStore(db).institutionFilterText(institutions, column: "a.institution_id")
        let text = db.fieldsAsText([
            "a.code", "o.code", "a.unit_key", "a.year_start", "a.status", "COALESCE(a.resolution, '')", "a.severity", "a.figures",
        ])
        let sql = """
            SELECT a.id, 0 AS x, 0 AS y, \(text) AS t
            FROM monitor_alerts a JOIN organisations o ON o.id = a.institution_id WHERE a.batch_id = $1\(filter)
            """
        let out = RowSink<[ExistingAlert]>([])
        // A year's alerts share a handful of year starts: each text is read as a date once.
        let starts = RowSink<[String: CivilDate]>([:])
        try await db.forEachRow(sql, batchID: batchID) { id, _, _, text in
            guard var text else { return }
            text.withUTF8 { bytes in
                var fields = RecordScanner(bytes: bytes)
                let (code, institution, unit, startText) = (fields.text(), fields.text(), fields.text(), fields.text())
                let (statusText, resolution, severity, figures) = (fields.text(), fields.text(), fields.text(), fields.lastText() ?? "")
                if starts.value[startText] == nil { starts.value[startText] = CivilDate(text: startText) }
                guard let code = AlertCode(rawValue: code), let start = starts.value[startText], let status = AlertStatus(rawValue: statusText)
                else { return }
                out.value.append(
                    ExistingAlert(
                        id: id, key: AlertKey(code: code, institutionCode: institution, unitKey: unit, yearStart: start), status: status,
                        resolvedByHand: resolution == "hand", severity: AlertSeverity(rawValue: severity),
                        figures: status.isLive ? Self.figures(figures) : nil))
            }
        }
        return out.value
    }

    /// Figures as stored: a JSON array of {"name","value"} written by `figuresText`.
    static func figuresText(_ figures: [AlertFigure]) -> String {
        func quoted(_ text: String) -> String {
            // Nearly every figure needs no escape: copied as it is.
            if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        return "[" + figures.map { "{\"name\":\(quoted($0.name)),\"value\":\(quoted($0.value))}" }.joined(separator: ",") + "]"
    }

    /// Reads `figuresText`'s form from its bytes when nothing in it is escaped, and any other JSON through the
    /// decoder (a re-run reads hundreds of thousands of them).
    static func figures(_ text: String) -> [AlertFigure]? {
        var text = text
        let fast = text.withUTF8 { bytes -> [AlertFigure]? in
            var at = 0
            func literal(_ expected: StaticString) -> Bool {
                let count = expected.utf8CodeUnitCount
                guard at + count <= bytes.count, memcmp(bytes.baseAddress! + at, expected.utf8Start, count) == 0 else { return false }
                at += count
                return true
            }
            func string() -> String? {  // up to the next quote; nil when a backslash escapes something
                let start = at
                while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            }
            guard literal("[") else { return nil }
            var out: [AlertFigure] = []
            while !literal("]") {
                guard out.isEmpty || literal(","), literal(#"{"name":""#), let name = string(), literal(#"","value":""#), let value = string(),
                    literal(#""}"#)
                else { return nil }
                out.append(AlertFigure(name, value))
            }
            return at == bytes.count ? out : nil
        }
        return fast ?? (try? JSONDecoder().decode([AlertFigure].self, from: Data(text.utf8)))
    }

    /// Applies a reconciliation plan. `institutions` maps codes to (id, region). An alert resolved (by hand) since
    /// the plan's alerts were read is not resolved again: its resolution and reason stand.
    public func apply(batchID: Int64, _ plan: AlertPlan, institutions: [String: (id: Int64, region: String)], at: Date) async throws {
        let stamp = Timestamp.text(at)
        // Into an empty table (a batch's first run raises every alert) the two indexes are built after the rows.
        let indexes = [("monitor_alerts_institution", "(batch_id, institution_id)"), ("monitor_alerts_status", "(batch_id, status, region_code)")]
        let columns = [
            "batch_id", "code", "institution_id", "region_code", "unit_key", "year_start", "severity", "status", "figures", "message_zh",
            "message_en",
            "raised_at", "updated_at",
        ]
        let raised = plan.raise.compactMap { finding in institutions[finding.key.institutionCode].map { (finding, $0) } }
        if !raised.isEmpty {
            try await db.deferringIndexes(on: "monitor_alerts", indexes) {
                try await db.bulkLoad(into: "monitor_alerts", columns: columns) { sink in
                    for (finding, institution) in raised {
                        sink.value(batchID)
                        sink.text(finding.key.code.rawValue)
                        sink.value(institution.id)
                        sink.text(institution.region)
                        sink.text(finding.key.unitKey)
                        sink.text(finding.key.yearStart.description)
                        sink.text(finding.severity.rawValue)
                        sink.text(AlertStatus.open.rawValue)
                        sink.text(Self.figuresText(finding.figures))
                        sink.text(finding.message.zh)
                        sink.text(finding.message.en)
                        sink.text(stamp)
                        sink.text(stamp)
                        try await sink.endRow()
                    }
                }
            }
        }
        try await refresh(plan.refresh, stamp: stamp)
        // An alert that resolved itself and is found again opens again as the same record: acknowledged again when it
        // had been, with its note; its numbers refreshed with the others' (below).
        try await refresh(plan.reopen, stamp: stamp, reopening: true)
        for chunk in stride(from: 0, to: plan.resolve.count, by: 500) {
            let ids = plan.resolve[chunk..<min(chunk + 500, plan.resolve.count)].map(String.init).joined(separator: ",")
            try await db.run(
                """
                UPDATE monitor_alerts SET status = 'resolved', resolution = 'auto', resolved_by = 'system', resolved_at = \(bind: stamp),
                updated_at = \(bind: stamp), history = COALESCE(history, '') || \(bind: "\(stamp) 自动解除 resolved itself\n")
                WHERE id IN (\(unsafeRaw: ids)) AND status <> 'resolved'
                """)
        }
    }

    /// New numbers, severity and messages for stored alerts; with `reopening`, those that resolved themselves open
    /// again. A few hundred alerts per statement: one UPDATE with a CASE per column (270,000 single UPDATEs took
    /// minutes).
    private func refresh(_ findings: [Int64: AlertFinding], stamp: String, reopening: Bool = false) async throws {
        let sorted = findings.sorted(by: { $0.key < $1.key })
        let reopen: SQLQueryString =
            reopening
            ? """
            , status = CASE WHEN acknowledged_by IS NULL THEN 'open' ELSE 'acknowledged' END, resolution = NULL, resolved_by = NULL,
            resolved_at = NULL, history = COALESCE(history, '') || \(bind: "\(stamp) 重新出现 found again\n")
            """ : ""
        let guardStatus: SQLQueryString = reopening ? " AND status = 'resolved' AND resolution = 'auto'" : ""
        for start in stride(from: 0, to: sorted.count, by: 200) {
            let part = sorted[start..<min(start + 200, sorted.count)]
            func column(_ name: String, _ value: (AlertFinding) -> String) -> SQLQueryString {
                var out: SQLQueryString = "\(unsafeRaw: name) = CASE id"
                for (id, finding) in part { out = out + " WHEN \(unsafeRaw: String(id)) THEN \(bind: value(finding))" }
                return out + " END"
            }
            let ids = part.map { String($0.key) }.joined(separator: ",")
            try await db.run(
                "UPDATE monitor_alerts SET " + column("severity", { $0.severity.rawValue }) + ", "
                    + column("figures", { Self.figuresText($0.figures) })
                    + ", " + column("message_zh", { $0.message.zh }) + ", " + column("message_en", { $0.message.en })
                    + ", updated_at = \(bind: stamp)" + reopen + " WHERE id IN (\(unsafeRaw: ids))" + guardStatus)
        }
    }

    struct Row: Decodable {
        var id: Int64
        var code: String
        var institution: String
        var name: String
        var region_code: String
        var unit_key: String
        var year_start: String
        var severity: String
        var status: String
        var figures: String
        var message_zh: String
        var message_en: String
        var raised_at: String
        var updated_at: String
        var acknowledged_by: String?
        var note: String?
        var resolved_by: String?
        var resolved_at: String?
        var resolution: String?
        var reason: String?
        var history: String?

        var alert: StoredAlert? {
            guard let code = AlertCode(rawValue: code), let start = CivilDate(text: year_start), let status = AlertStatus(rawValue: status) else {
                return nil
            }
            return StoredAlert(
                id: id, key: AlertKey(code: code, institutionCode: institution, unitKey: unit_key, yearStart: start), institutionName: name,
                regionCode: region_code, severity: AlertSeverity(rawValue: severity) ?? .normal, status: status,
                figures: (try? JSONDecoder().decode([AlertFigure].self, from: Data(figures.utf8))) ?? [],
                message: LocalizedText(zh: message_zh, en: message_en), raisedAt: Timestamp.date(raised_at) ?? Date(timeIntervalSince1970: 0),
                updatedAt: Timestamp.date(updated_at) ?? Date(timeIntervalSince1970: 0), acknowledgedBy: acknowledged_by, note: note,
                resolvedBy: resolved_by, resolvedAt: resolved_at.flatMap(Timestamp.date), resolution: resolution, reason: reason,
                history: history)
        }
    }

    /// The alerts of a batch in a scope, narrowed by status, code and unit when given (with the institutions'
    /// names joined unless `named` is false).
    private func query(
        _ batchID: Int64, _ scope: Scope, status: AlertStatus? = nil, code: AlertCode? = nil, unitKey: String? = nil, named: Bool = true
    ) -> PagedQuery {
        let from: SQLQueryString = named ? "monitor_alerts a JOIN organisations o ON o.id = a.institution_id" : "monitor_alerts a"
        var query = PagedQuery(from: from, where: "a.batch_id = \(bind: batchID)")
        switch scope {
        case .all: break
        case .region(let prefix): query.add(.prefix("a.region_code", prefix))
        case .institution(let id): query.add(.equals("a.institution_id", .int(id)))
        }
        query.add(.equals("a.status", status?.rawValue))
        query.add(.equals("a.code", code?.rawValue))
        query.add(.equals("a.unit_key", unitKey))
        return query
    }

    public func list(batchID: Int64, scope: Scope, status: AlertStatus? = nil, code: AlertCode? = nil, unitKey: String? = nil, page: PageRequest)
        async throws -> Page<StoredAlert>
    {
        try await query(batchID, scope, status: status, code: code, unitKey: unitKey).page(
            db, select: "a.*, o.code AS institution, o.name",
            orderBy: "CASE a.status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, CASE a.severity WHEN 'severe' THEN 0 ELSE 1 END, a.id",
            page: page, as: Row.self, \.alert)
    }

    public func alert(batchID: Int64, id: Int64) async throws -> StoredAlert? {
        try await db.first(
            """
            SELECT a.*, o.code AS institution, o.name FROM monitor_alerts a JOIN organisations o ON o.id = a.institution_id
            WHERE a.batch_id = \(bind: batchID) AND a.id = \(bind: id)
            """, as: Row.self)?.alert
    }

    /// Live alerts in the scope by status, for the header badge and the inbox tabs.
    public func counts(batchID: Int64, scope: Scope) async throws -> [AlertStatus: Int64] {
        struct R: Decodable {
            var status: String
            var n: Int64
        }
        let rows = try await db.all(
            "SELECT a.status, CAST(COUNT(*) AS BIGINT) AS n" + query(batchID, scope, named: false).fromWhere + " GROUP BY a.status", as: R.self)
        var out: [AlertStatus: Int64] = [:]
        for row in rows { if let status = AlertStatus(rawValue: row.status) { out[status] = row.n } }
        return out
    }

    /// Open → acknowledged with a note. False when the alert is not open (already acknowledged or resolved).
    public func acknowledge(id: Int64, by actor: String, note: String, at: Date) async throws -> Bool {
        try await acknowledgeMany(ids: [id], by: actor, note: note, at: at) == [id]
    }

    /// Every alert of the scope with the status (nil: not resolved) and kind, unpaged: what a bulk action handles.
    public func all(batchID: Int64, scope: Scope, status: AlertStatus?, code: AlertCode?) async throws -> [StoredAlert] {
        var query = query(batchID, scope, status: status, code: code, unitKey: nil)
        if status == nil { query.add(.sql("a.status <> 'resolved'")) }
        return try await query.all(db, select: "a.*, o.code AS institution, o.name", orderBy: "a.id", as: Row.self, \.alert)
    }

    /// Many open alerts acknowledged with one note, by statements of 500 ids (only those still open); the ids done.
    public func acknowledgeMany(ids: [Int64], by actor: String, note: String, at: Date) async throws -> [Int64] {
        let stamp = Timestamp.text(at)
        return try await many(ids) { list in
            """
            UPDATE monitor_alerts SET status = 'acknowledged', acknowledged_by = \(bind: actor), acknowledged_at = \(bind: stamp),
            note = \(bind: note), updated_at = \(bind: stamp) WHERE id IN (\(unsafeRaw: list)) AND status = 'open' RETURNING id
            """
        }
    }

    /// Many alerts resolved by hand with one reason (only those not resolved yet); the ids done.
    public func resolveMany(ids: [Int64], by actor: String, reason: String, at: Date) async throws -> [Int64] {
        let stamp = Timestamp.text(at)
        return try await many(ids) { list in
            """
            UPDATE monitor_alerts SET status = 'resolved', resolution = 'hand', resolved_by = \(bind: actor), resolved_at = \(bind: stamp),
            reason = \(bind: reason), updated_at = \(bind: stamp) WHERE id IN (\(unsafeRaw: list)) AND status <> 'resolved' RETURNING id
            """
        }
    }

    /// Runs a statement per 500 ids (integers this process formats, safe as raw text), returning the ids it reports.
    private func many(_ ids: [Int64], _ statement: (String) -> SQLQueryString) async throws -> [Int64] {
        struct R: Decodable { var id: Int64 }
        var out: [Int64] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let list = ids[start..<min(ids.count, start + 500)].map(String.init).joined(separator: ",")
            out += try await db.all(statement(list), as: R.self).map(\.id)
        }
        return out
    }

    /// Open or acknowledged → resolved by hand with a reason. False when already resolved.
    public func resolve(id: Int64, by actor: String, reason: String, at: Date) async throws -> Bool {
        try await resolveMany(ids: [id], by: actor, reason: reason, at: at) == [id]
    }
}
