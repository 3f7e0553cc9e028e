import Foundation
import JicaiCore
import SQLKit

/// What a recompute writes and the dashboards read: monthly tallies, positions, alerts, supply problems and the
/// batch's last run.
public struct MonitorStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    // MARK: positions and months

    /// Removes the batch's monthly tallies and positions (of `institutions`, or all; the regional sums are replaced
    /// by `replaceRegionMonths`). When the tables hold this batch only, a full clear empties them at once (`empty`):
    /// SQLite drops whole pages (4 M tallies went in 1 s instead of 10 s row by row), PostgreSQL truncates.
    func clear(batchID: Int64, institutions: [Int64]?) async throws {
        for table in ["monitor_unit_months", "monitor_positions"] {
            if institutions == nil, try await holdsOnly(batchID: batchID, table: table) {
                try await db.emptyDerived(table)
            } else {
                try await db.run(
                    SQLQueryString("DELETE FROM \(unsafeRaw: table) WHERE batch_id = \(bind: batchID)")
                        + PurchaseStore(db).institutionFilter(institutions))
            }
        }
    }

    /// Whether every row of `table` belongs to the batch (two index probes).
    private func holdsOnly(batchID: Int64, table: String) async throws -> Bool {
        struct R: Decodable {
            var low: Int64?
            var high: Int64?
        }
        let bounds = try await db.first(SQLQueryString("SELECT MIN(batch_id) AS low, MAX(batch_id) AS high FROM \(unsafeRaw: table)"), as: R.self)
        return (bounds?.low ?? batchID) == batchID && (bounds?.high ?? batchID) == batchID
    }

    /// Clears the tallies and positions of `holders` (all when nil) and writes their new monthly tallies and the
    /// regional sums: a full run's `rollup`; for a partial run the sums of the regions its holders were and are in
    /// (`regions`), summed again from what is stored.
    public func replaceTallies(
        batchID: Int64, holders: [Int64]?, regions current: Set<String>, _ rows: [UnitMonthsRow], unitKeys: [String], rollup: RegionRollup
    ) async throws {
        var regions: Set<String>? = nil
        if let holders { regions = try await unitMonthRegions(batchID: batchID, institutions: holders).union(current) }
        try await clear(batchID: batchID, institutions: holders)
        try await insertUnitMonths(batchID: batchID, rows, unitKeys: unitKeys)
        var sums = rollup
        if let regions { sums = try await rollUp(batchID: batchID, regions: regions) }
        try await replaceRegionMonths(batchID: batchID, regions: regions, sums)
    }

    /// Writes holders' monthly tallies; `unitKeys` names the rows' unit indices.
    /// Into an emptied table (a full run) the secondary indexes are built after the rows.
    func insertUnitMonths(batchID: Int64, _ rows: [UnitMonthsRow], unitKeys: [String]) async throws {
        let indexes = [("monitor_unit_months_institution", "(batch_id, institution_id)"), ("monitor_unit_months_region", "(batch_id, region_code)")]
        try await db.deferringIndexes(on: "monitor_unit_months", indexes) {
            try await db.bulkLoad(into: "monitor_unit_months", columns: ["batch_id", "institution_id", "region_code", "unit_key", "months"]) { sink in
                for row in rows {
                    sink.value(batchID)
                    sink.value(row.institutionID)
                    sink.text(row.regionCode)
                    sink.text(unitKeys[Int(row.unit)])
                    sink.text(row.months)
                    if sink.closeRow() { try await sink.flush() }
                }
            }
        }
    }

    /// PostgreSQL: gathers the statistics of the tables a full run emptied and filled again, in the run's
    /// transaction; autovacuum does not analyse them (see M020). SQLite keeps none.
    public func analyseRefilled() async throws {
        guard db.engine == .postgres else { return }
        for table in M020DerivedStatistics.tables { try await db.run(SQLQueryString("ANALYZE \(unsafeRaw: table)")) }
    }

    /// The regions under which these holders' monthly tallies are stored.
    func unitMonthRegions(batchID: Int64, institutions: [Int64]) async throws -> Set<String> {
        struct R: Decodable { var region_code: String }
        let query: SQLQueryString =
            "SELECT DISTINCT region_code FROM monitor_unit_months WHERE batch_id = \(bind: batchID)"
            + PurchaseStore(db).institutionFilter(institutions)
        return Set(try await db.all(query, as: R.self).map(\.region_code))
    }

    /// Sums the stored monthly tallies of the holders in `regions` (a partial recompute's regional sums).
    func rollUp(batchID: Int64, regions: Set<String>) async throws -> RegionRollup {
        struct R: Decodable {
            var region_code: String
            var unit_key: String
            var months: String
        }
        var rollup = RegionRollup()
        guard !regions.isEmpty else { return rollup }
        var query: SQLQueryString =
            "SELECT region_code, unit_key, months FROM monitor_unit_months WHERE batch_id = \(bind: batchID) AND region_code IN ("
        for (index, region) in regions.sorted().enumerated() { query = query + (index == 0 ? "" : ", ") + "\(bind: region)" }
        for row in try await db.all(query + ")", as: R.self) {
            rollup.add(region: row.region_code, unitKey: row.unit_key, PackedMonths.unpack(row.months) ?? [])
        }
        return rollup
    }

    /// Replaces the regional monthly sums of `regions` (all of the batch's when nil) with `rollup`'s.
    func replaceRegionMonths(batchID: Int64, regions: Set<String>?, _ rollup: RegionRollup) async throws {
        var delete: SQLQueryString = "DELETE FROM monitor_region_months WHERE batch_id = \(bind: batchID)"
        if let regions {
            guard !regions.isEmpty else { return }
            delete = delete + " AND region_code IN ("
            for (index, region) in regions.sorted().enumerated() { delete = delete + (index == 0 ? "" : ", ") + "\(bind: region)" }
            delete = delete + ")"
        }
        try await db.run(delete)
        let columns = [
            "batch_id", "region_code", "unit_key", "month", "winning_content", "winning_amount_fen", "non_winning_content", "non_winning_amount_fen",
            "excluded_content", "excluded_amount_fen", "not_passed_content", "valued_winning_fen",
        ]
        try await db.bulkLoad(into: "monitor_region_months", columns: columns) { sink in
            for row in rollup.rows where regions?.contains(row.regionCode) ?? true {
                sink.value(batchID)
                sink.text(row.regionCode)
                sink.text(row.unitKey)
                sink.value(Int64(row.month.month.yyyymm))
                MonitorStore.write(row.month.tally, into: &sink)
                sink.value(row.month.valuedWinningFen)
                if sink.closeRow() { try await sink.flush() }
            }
        }
    }

    static func write(_ t: Tally, into sink: inout BulkSink) {
        sink.value(t.winningContent)
        sink.value(t.winningAmountFen)
        sink.value(t.nonWinningContent)
        sink.value(t.nonWinningAmountFen)
        sink.value(t.excludedContent)
        sink.value(t.excludedAmountFen)
        sink.value(t.notPassedContent)
    }

    public func insertPositions(batchID: Int64, _ rows: [StoredPosition]) async throws {
        let columns = [
            "batch_id", "institution_id", "unit_key", "region_code", "year_start", "agreed_content", "agreed_amount_fen", "winning_content",
            "winning_amount_fen", "non_winning_content", "non_winning_amount_fen", "excluded_content", "excluded_amount_fen", "not_passed_content",
            "entered", "pending_content", "overdue_orders", "overdue_content", "supply_problem", "valued_winning_fen", "valued_pending_fen",
        ]
        // Into an emptied table (a full run) the region index is built after the rows; the primary key stays.
        try await db.deferringIndexes(on: "monitor_positions", [("monitor_positions_region", "(batch_id, region_code)")]) {
            try await insertPositionRows(batchID: batchID, rows, columns: columns)
        }
    }

    private func insertPositionRows(batchID: Int64, _ rows: [StoredPosition], columns: [String]) async throws {
        try await db.bulkLoad(into: "monitor_positions", columns: columns) { sink in
            for position in rows {
                sink.value(batchID)
                sink.value(position.institutionID)
                sink.text(position.unitKey)
                sink.text(position.regionCode)
                sink.text(position.yearStart.description)
                sink.value(position.agreedContent)
                sink.value(position.agreedAmountFen)
                MonitorStore.write(position.tally, into: &sink)
                sink.value(position.entered ? 1 : 0)
                sink.value(position.pendingContent)
                sink.value(position.overdueOrders)
                sink.value(position.overdueContent)
                sink.value(position.supplyProblem ? 1 : 0)
                sink.value(position.valuedWinningFen)
                sink.value(position.valuedPendingFen)
                try await sink.endRow()
            }
        }
    }

    struct PositionRow: Decodable {
        var institution_id: Int64
        var code: String
        var name: String
        var region_code: String
        var unit_key: String
        var year_start: String
        var agreed_content: Int64
        var agreed_amount_fen: Int64
        var winning_content: Int64
        var winning_amount_fen: Int64
        var non_winning_content: Int64
        var non_winning_amount_fen: Int64
        var excluded_content: Int64
        var excluded_amount_fen: Int64
        var not_passed_content: Int64
        var entered: Int64
        var pending_content: Int64
        var overdue_orders: Int64
        var overdue_content: Int64
        var supply_problem: Int64
        var valued_winning_fen: Int64
        var valued_pending_fen: Int64

        var position: StoredPosition {
            var tally = Tally()
            tally.winningContent = winning_content
            tally.winningAmountFen = winning_amount_fen
            tally.nonWinningContent = non_winning_content
            tally.nonWinningAmountFen = non_winning_amount_fen
            tally.excludedContent = excluded_content
            tally.excludedAmountFen = excluded_amount_fen
            tally.notPassedContent = not_passed_content
            return StoredPosition(
                institutionID: institution_id, institutionCode: code, institutionName: name, regionCode: region_code, unitKey: unit_key,
                yearStart: CivilDate(text: year_start) ?? CivilDate.earliest, agreedContent: agreed_content, agreedAmountFen: agreed_amount_fen,
                tally: tally, entered: entered != 0, pendingContent: pending_content, overdueOrders: overdue_orders, overdueContent: overdue_content,
                supplyProblem: supply_problem != 0, valuedWinningFen: valued_winning_fen, valuedPendingFen: valued_pending_fen)
        }
    }

    /// The positions of one institution, or of one unit within a region (a drill-down's last level).
    public func positions(batchID: Int64, institutionCode: String? = nil, regionPrefix: String = "", unitKey: String? = nil, page: PageRequest? = nil)
        async throws -> [StoredPosition]
    {
        var query: SQLQueryString = """
            SELECT p.*, o.code, o.name FROM monitor_positions p JOIN organisations o ON o.id = p.institution_id
            WHERE p.batch_id = \(bind: batchID) AND p.region_code LIKE \(bind: regionPrefix + "%")
            """
        if let institutionCode { query = query + " AND o.code = \(bind: institutionCode)" }
        if let unitKey { query = query + " AND p.unit_key = \(bind: unitKey)" }
        query = query + " ORDER BY o.code, p.unit_key"
        if let page { query = query + " LIMIT \(bind: page.size) OFFSET \(bind: page.offset)" }
        return try await db.all(query, as: PositionRow.self).map(\.position)
    }

    /// How positions are grouped for a dashboard level.
    public enum Grouping: Sendable, Hashable {
        /// By the first `digits` of the region code (2 province, 4 city, 6 county).
        case region(digits: Int)
        case institution
        case unit
    }

    /// Sums of the positions under a region prefix (and optionally one institution or unit), grouped.
    public func groups(batchID: Int64, regionPrefix: String, institutionCode: String? = nil, unitKey: String? = nil, by grouping: Grouping)
        async throws -> [GroupProgress]
    {
        struct R: Decodable {
            var k: String
            var n: String
            var positions: Int64
            var agreed: Int64
            var valued: Int64
            var pending: Int64
            var win: Int64
            var nonwin: Int64
            var excluded: Int64
            var not_entered: Int64
            var ac: Int64
            var wc: Int64
            var nc: Int64
        }
        let key: SQLQueryString
        let name: SQLQueryString
        let join: SQLQueryString
        switch grouping {
        case .region(let digits):
            key = "SUBSTR(p.region_code, 1, \(unsafeRaw: String(digits)))"
            name = "COALESCE(MAX(r.name), '')"
            join =
                " LEFT JOIN regions r ON r.code = SUBSTR(p.region_code, 1, \(unsafeRaw: String(digits))) || '\(unsafeRaw: String(repeating: "0", count: 6 - digits))'"
        case .institution:
            key = "o.code"
            name = "MAX(o.name)"
            join = ""
        case .unit:
            key = "p.unit_key"
            name = "''"
            join = ""
        }
        var query: SQLQueryString =
            "SELECT " + key + " AS k, " + name + """
                 AS n, CAST(COUNT(*) AS BIGINT) AS positions, CAST(SUM(p.agreed_amount_fen) AS BIGINT) AS agreed,
                CAST(SUM(p.valued_winning_fen) AS BIGINT) AS valued, CAST(SUM(p.valued_pending_fen) AS BIGINT) AS pending,
                CAST(SUM(p.winning_amount_fen) AS BIGINT) AS win, CAST(SUM(p.non_winning_amount_fen) AS BIGINT) AS nonwin,
                CAST(SUM(p.excluded_amount_fen) AS BIGINT) AS excluded,
                CAST(SUM(CASE WHEN p.entered = 0 AND p.agreed_content > 0 THEN 1 ELSE 0 END) AS BIGINT) AS not_entered,
                CAST(SUM(p.agreed_content) AS BIGINT) AS ac, CAST(SUM(p.winning_content) AS BIGINT) AS wc,
                CAST(SUM(p.non_winning_content) AS BIGINT) AS nc
                FROM monitor_positions p JOIN organisations o ON o.id = p.institution_id
                """ + join + " WHERE p.batch_id = \(bind: batchID) AND p.region_code LIKE \(bind: regionPrefix + "%")"
        if let institutionCode { query = query + " AND o.code = \(bind: institutionCode)" }
        if let unitKey { query = query + " AND p.unit_key = \(bind: unitKey)" }
        query = query + " GROUP BY " + key + " ORDER BY " + key
        return try await db.all(query, as: R.self).map {
            var group = GroupProgress(
                key: $0.k, name: $0.n, positions: $0.positions, agreedAmountFen: $0.agreed, valuedWinningFen: $0.valued, valuedPendingFen: $0.pending,
                winningAmountFen: $0.win, nonWinningAmountFen: $0.nonwin, excludedAmountFen: $0.excluded, notEntered: $0.not_entered)
            group.agreedContent = $0.ac
            group.winningContent = $0.wc
            group.nonWinningContent = $0.nc
            return group
        }
    }

    /// Monthly tallies summed over a region prefix, optionally one institution and one unit (for the trend charts):
    /// an institution's from its own packed months, a region's from the regional sums.
    public func months(batchID: Int64, regionPrefix: String, institutionCode: String? = nil, unitKey: String? = nil) async throws -> [MonthTally] {
        if let institutionCode {
            struct R: Decodable { var months: String }
            var query: SQLQueryString = """
                SELECT m.months FROM monitor_unit_months m JOIN organisations o ON o.id = m.institution_id
                WHERE m.batch_id = \(bind: batchID) AND o.region_code LIKE \(bind: regionPrefix + "%") AND o.code = \(bind: institutionCode)
                """
            if let unitKey { query = query + " AND m.unit_key = \(bind: unitKey)" }
            var sums: [MonthKey: MonthTally] = [:]
            for row in try await db.all(query, as: R.self) {
                for packed in PackedMonths.unpack(row.months) ?? [] {
                    sums[packed.month, default: MonthTally(month: packed.month, tally: Tally())].absorb(packed)
                }
            }
            return sums.values.sorted { $0.month < $1.month }
        }
        struct R: Decodable {
            var month: Int64
            var wc: Int64
            var wa: Int64
            var nc: Int64
            var na: Int64
            var ec: Int64
            var ea: Int64
            var pc: Int64
            var vw: Int64
        }
        var query: SQLQueryString = """
            SELECT month, CAST(SUM(winning_content) AS BIGINT) AS wc, CAST(SUM(winning_amount_fen) AS BIGINT) AS wa,
            CAST(SUM(non_winning_content) AS BIGINT) AS nc, CAST(SUM(non_winning_amount_fen) AS BIGINT) AS na,
            CAST(SUM(excluded_content) AS BIGINT) AS ec, CAST(SUM(excluded_amount_fen) AS BIGINT) AS ea,
            CAST(SUM(not_passed_content) AS BIGINT) AS pc, CAST(SUM(valued_winning_fen) AS BIGINT) AS vw
            FROM monitor_region_months WHERE batch_id = \(bind: batchID) AND region_code LIKE \(bind: regionPrefix + "%")
            """
        if let unitKey { query = query + " AND unit_key = \(bind: unitKey)" }
        query = query + " GROUP BY month ORDER BY month"
        return try await db.all(query, as: R.self).compactMap { r in
            guard let month = MonthKey(yyyymm: Int(r.month)) else { return nil }
            var tally = Tally()
            tally.winningContent = r.wc
            tally.winningAmountFen = r.wa
            tally.nonWinningContent = r.nc
            tally.nonWinningAmountFen = r.na
            tally.excludedContent = r.ec
            tally.excludedAmountFen = r.ea
            tally.notPassedContent = r.pc
            return MonthTally(month: month, tally: tally, valuedWinningFen: r.vw)
        }
    }

    // MARK: state

    public func run(batchID: Int64) async throws -> MonitorRun? {
        struct R: Decodable {
            var as_of: String
            var computed_at: String
            var seconds: String
            var positions: Int64
            var lines: Int64
        }
        guard let state = try await db.first("SELECT * FROM monitor_state WHERE batch_id = \(bind: batchID)", as: R.self),
            let asOf = CivilDate(text: state.as_of)
        else { return nil }
        return MonitorRun(
            asOf: asOf, computedAt: Timestamp.date(state.computed_at) ?? Date(timeIntervalSince1970: 0), seconds: Double(state.seconds) ?? 0,
            positions: state.positions, lines: state.lines)
    }

    public func setRun(batchID: Int64, _ run: MonitorRun) async throws {
        try await db.run("DELETE FROM monitor_state WHERE batch_id = \(bind: batchID)")
        try await db.run(
            """
            INSERT INTO monitor_state (batch_id, as_of, computed_at, seconds, positions, lines) VALUES (\(bind: batchID), \(bind: run.asOf.description),
            \(bind: Timestamp.text(run.computedAt)), \(bind: String(format: "%.3f", run.seconds)), \(bind: run.positions), \(bind: run.lines))
            """)
    }

    // MARK: supply problems

    /// Stores a verified supply problem; returns its id.
    @discardableResult
    public func addProblem(batchID: Int64, _ problem: SupplyProblem, note: String, by actor: String, at: Date) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO supply_problems (batch_id, unit_key, region_prefix, from_month, through_month, note, verified_by, verified_at)
            VALUES (\(bind: batchID), \(bind: problem.unit.key), \(bind: problem.regionPrefix), \(bind: problem.from.yyyymm), \(bind: problem.through.yyyymm),
            \(bind: note), \(bind: actor), \(bind: Timestamp.text(at)))
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        return id
    }

    public func problems(batchID: Int64) async throws -> [(problem: SupplyProblem, note: String)] {
        struct R: Decodable {
            var unit_key: String
            var region_prefix: String
            var from_month: Int64
            var through_month: Int64
            var note: String
        }
        return try await db.all("SELECT * FROM supply_problems WHERE batch_id = \(bind: batchID) ORDER BY id", as: R.self).compactMap { r in
            guard let unit = CheckUnit(key: r.unit_key), let from = MonthKey(yyyymm: Int(r.from_month)),
                let through = MonthKey(yyyymm: Int(r.through_month))
            else { return nil }
            return (SupplyProblem(unit: unit, regionPrefix: r.region_prefix, from: from, through: through), r.note)
        }
    }
}
