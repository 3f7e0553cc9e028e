import Foundation
import JicaiCore
import SQLKit

/// A year's run and its results: written whole (or one institution's again after an appeal), listed per region,
/// read per institution for its calculation sheet.
extension AssessmentStore {
    struct RunRow: Decodable {
        var year_start: Int64, year_end: Int64, status: String, published_on: Int64, computed_by: String, computed_at: String
        var institutions: Int64, items: Int64, failed_items: Int64, retained_fen: Int64, approved_by: String?, approved_at: String?

        var record: AssessmentRunRecord? {
            guard let start = CivilDate(yyyymmdd: year_start), let end = CivilDate(yyyymmdd: year_end),
                let status = AssessmentRunStatus(rawValue: status),
                let published = CivilDate(yyyymmdd: published_on)
            else { return nil }
            return AssessmentRunRecord(
                yearStart: start, yearEnd: end, status: status, publishedOn: published, computedBy: computed_by,
                computedAt: Timestamp.date(computed_at) ?? Date(timeIntervalSince1970: 0), institutions: institutions, items: items,
                failedItems: failed_items, retainedFen: retained_fen, approvedBy: approved_by, approvedAt: approved_at.flatMap(Timestamp.date))
        }
    }

    public func runs(batchID: Int64) async throws -> [AssessmentRunRecord] {
        try await db.all("SELECT * FROM assessment_runs WHERE batch_id = \(bind: batchID) ORDER BY year_start", as: RunRow.self).compactMap(\.record)
    }

    public func run(batchID: Int64, yearStart: CivilDate) async throws -> AssessmentRunRecord? {
        try await db.first(
            "SELECT * FROM assessment_runs WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd)", as: RunRow.self)?.record
    }

    /// One institution's result, ready to write.
    public struct Result: Sendable {
        public var institutionID: Int64
        public var regionCode: String
        public var diseaseGroup: Bool
        public var assessment: InstitutionAssessment

        public init(institutionID: Int64, regionCode: String, diseaseGroup: Bool, assessment: InstitutionAssessment) {
            self.institutionID = institutionID
            self.regionCode = regionCode
            self.diseaseGroup = diseaseGroup
            self.assessment = assessment
        }
    }

    /// Replaces the year's results of `institutions` (all when nil) with `results`. A full run over tables that hold
    /// this year of this batch only empties them at once (`DB.emptyDerived`, as monitoring's recompute does):
    /// deleting 434,598 item rows one by one left PostgreSQL as many dead rows for each rerun to wade through (34.5 s,
    /// 40.8 s, 45.4 s for three runs).
    public func replaceResults(batchID: Int64, yearStart: CivilDate, institutions: [Int64]?, _ results: [Result]) async throws {
        try await clearResults(batchID: batchID, yearStart: yearStart, institutions: institutions)
        try await insertResults(batchID: batchID, yearStart: yearStart, results)
    }

    /// Writes results whose rows were cleared (`clearResults`); a full run writes its holders in parts as it assesses them.
    public func insertResults(batchID: Int64, yearStart: CivilDate, _ results: [Result]) async throws {
        guard !results.isEmpty else { return }
        try await insertScores(batchID: batchID, yearStart: yearStart, results)
        try await insertItems(batchID: batchID, yearStart: yearStart, results)
    }

    /// Removes the year's results of `institutions` (all when nil: emptied at once when the tables hold nothing else).
    public func clearResults(batchID: Int64, yearStart: CivilDate, institutions: [Int64]?) async throws {
        for table in ["assessment_scores", "assessment_items"] {
            if institutions == nil, try await holdsOnly(table, batchID: batchID, yearStart: yearStart) {
                try await db.emptyDerived(table)
                continue
            }
            var delete: SQLQueryString =
                "DELETE FROM \(unsafeRaw: table) WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd)"
            if let institutions {
                guard !institutions.isEmpty else { continue }
                delete = delete + " AND institution_id IN (" + ListSQL.bound(institutions) + ")"
            }
            try await db.run(delete)
        }
    }

    /// Whether every row of `table` is of this batch's year.
    private func holdsOnly(_ table: String, batchID: Int64, yearStart: CivilDate) async throws -> Bool {
        try await db.scalar(
            """
            SELECT COUNT(*) AS v FROM (SELECT 1 FROM \(unsafeRaw: table)
            WHERE batch_id <> \(bind: batchID) OR year_start <> \(bind: yearStart.yyyymmdd) LIMIT 1) x
            """) == 0
    }

    private func insertScores(batchID: Int64, yearStart: CivilDate, _ results: [Result]) async throws {
        let columns = [
            "batch_id", "year_start", "institution_id", "region_code", "completion_assessed", "completion_passed", "share_counted", "share_passed",
            "due_fen", "paid_on_time_fen", "agreements", "signed_on_time", "score", "grade", "items", "failed_items", "retained_fen", "disease_group",
        ]
        try await db.bulkLoad(into: "assessment_scores", columns: columns) { sink in
            for r in results {
                let a = r.assessment
                let p = a.parts
                for v in [batchID, yearStart.yyyymmdd, r.institutionID] { sink.value(v) }
                sink.text(r.regionCode)
                for v in [
                    p.completionAssessed, p.completionPassed, p.shareCounted, p.sharePassed, p.dueFen, p.paidOnTimeFen, p.agreements, p.signedOnTime,
                ] {
                    sink.value(v)
                }
                sink.value(a.score.hundredths)
                sink.text(a.score.grade.rawValue)
                sink.value(Int64(a.items.count))
                sink.value(Int64(a.items.filter { !$0.result.passed }.count))
                sink.value(a.retainedFen)
                sink.value(Int64(r.diseaseGroup ? 1 : 0))
                if sink.closeRow() { try await sink.flush() }
            }
        }
    }

    private func insertItems(batchID: Int64, yearStart: CivilDate, _ results: [Result]) async throws {
        let columns = [
            "batch_id", "year_start", "institution_id", "unit_key", "agreed_content", "winning_content", "winning_amount_fen", "non_winning_content",
            "excluded_content", "uncovered_days", "completion", "share_passed", "passed", "price_amount_fen", "price_content", "base_content",
            "savings_fen", "retained_fen", "reasons",
        ]
        let encoder = JSONEncoder()
        try await db.bulkLoad(into: "assessment_items", columns: columns) { sink in
            for r in results {
                for assessed in r.assessment.items {
                    let row = ItemRecord(assessed)
                    for v in [batchID, yearStart.yyyymmdd, r.institutionID] { sink.value(v) }
                    sink.text(row.unitKey)
                    for v in [
                        row.agreedContent, row.tally.winningContent, row.tally.winningAmountFen, row.tally.nonWinningContent,
                        row.tally.excludedContent,
                    ] {
                        sink.value(v)
                    }
                    sink.value(row.uncoveredDays)
                    sink.text(row.completionPassed.map { $0 ? "passed" : "failed" } ?? "")
                    sink.value(Int64(row.sharePassed ? 1 : 0))
                    sink.value(Int64(row.passed ? 1 : 0))
                    sink.value(row.price?.amountFen)
                    sink.value(row.price?.content)
                    for v in [row.baseContent, row.savingsFen, row.retainedFen] { sink.value(v) }
                    sink.text(String(decoding: try encoder.encode(row.reasons), as: UTF8.self))
                    if sink.closeRow() { try await sink.flush() }
                }
            }
        }
    }

    /// Writes the year's run (replacing a published one's figures; `status` published).
    public func putRun(batchID: Int64, _ run: AssessmentRunRecord) async throws {
        try await db.run("DELETE FROM assessment_runs WHERE batch_id = \(bind: batchID) AND year_start = \(bind: run.yearStart.yyyymmdd)")
        try await db.run(
            """
            INSERT INTO assessment_runs (batch_id, year_start, year_end, status, published_on, computed_by, computed_at, institutions, items,
                                         failed_items, retained_fen)
            VALUES (\(bind: batchID), \(bind: run.yearStart.yyyymmdd), \(bind: run.yearEnd.yyyymmdd), \(bind: run.status.rawValue),
                    \(bind: run.publishedOn.yyyymmdd), \(bind: run.computedBy), \(bind: Timestamp.text(run.computedAt)), \(bind: run.institutions),
                    \(bind: run.items), \(bind: run.failedItems), \(bind: run.retainedFen))
            """)
    }

    /// The run's totals summed again from its stored results (after one institution's results were replaced).
    public func refreshTotals(batchID: Int64, yearStart: CivilDate) async throws {
        let y = yearStart.yyyymmdd
        try await db.run(
            """
            UPDATE assessment_runs SET
              institutions = (SELECT COUNT(*) FROM assessment_scores s WHERE s.batch_id = \(bind: batchID) AND s.year_start = \(bind: y)),
              items = (SELECT COALESCE(SUM(s.items), 0) FROM assessment_scores s WHERE s.batch_id = \(bind: batchID) AND s.year_start = \(bind: y)),
              failed_items = (SELECT COALESCE(SUM(s.failed_items), 0) FROM assessment_scores s WHERE s.batch_id = \(bind: batchID) AND s.year_start = \(bind: y)),
              retained_fen = (SELECT COALESCE(SUM(s.retained_fen), 0) FROM assessment_scores s WHERE s.batch_id = \(bind: batchID) AND s.year_start = \(bind: y))
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: y)
            """)
    }

    /// Approves a published run; false when it is not (already approved, or none).
    public func approve(batchID: Int64, yearStart: CivilDate, by user: String, at: Date) async throws -> Bool {
        let y = yearStart.yyyymmdd
        let published = try await db.scalar(
            "SELECT COUNT(*) AS v FROM assessment_runs WHERE batch_id = \(bind: batchID) AND year_start = \(bind: y) AND status = 'published'")
        guard published > 0 else { return false }
        try await db.run(
            """
            UPDATE assessment_runs SET status = 'approved', approved_by = \(bind: user), approved_at = \(bind: Timestamp.text(at))
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: y)
            """)
        return true
    }

    struct ScoreRow: Decodable {
        var institution_id: Int64, code: String, name: String, region_code: String
        var completion_assessed: Int64, completion_passed: Int64, share_counted: Int64, share_passed: Int64, due_fen: Int64, paid_on_time_fen: Int64
        var agreements: Int64, signed_on_time: Int64, score: Int64, grade: String, items: Int64, failed_items: Int64, retained_fen: Int64
        var disease_group: Int64

        var record: ScoreRecord? {
            guard let grade = Grade(rawValue: grade) else { return nil }
            let parts = ScoreParts(
                completionAssessed: completion_assessed, completionPassed: completion_passed, shareCounted: share_counted, sharePassed: share_passed,
                dueFen: due_fen, paidOnTimeFen: paid_on_time_fen, agreements: agreements, signedOnTime: signed_on_time)
            return ScoreRecord(
                institutionID: institution_id, institutionCode: code, institutionName: name, regionCode: region_code, parts: parts,
                score: Score(hundredths: score, grade: grade), items: items, failedItems: failed_items, retainedFen: retained_fen,
                diseaseGroup: disease_group != 0)
        }
    }

    static let scoreColumns: SQLQueryString = "s.*, o.code, o.name"

    /// The results under a region prefix (`""` the province), optionally one grade or a text in the code or name,
    /// ordered by score (lowest first: the ones to act on) then code.
    public func scores(
        batchID: Int64, yearStart: CivilDate, regionPrefix: String, grade: Grade?, search: String?, page: PageRequest
    ) async throws -> Page<ScoreRecord> {
        var query = PagedQuery(
            from: "assessment_scores s JOIN organisations o ON o.id = s.institution_id",
            where: "s.batch_id = \(bind: batchID) AND s.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("s.region_code", regionPrefix)) }
        query.add(.equals("s.grade", grade?.rawValue))
        if let search, !search.isEmpty { query.add(.contains(["o.code", "o.name"], search)) }
        return try await query.page(db, select: Self.scoreColumns, orderBy: "s.score, o.code", page: page, as: ScoreRow.self) { $0.record }
    }

    /// Every result under a region prefix, in code order (exports, the payment list).
    public func allScores(batchID: Int64, yearStart: CivilDate, regionPrefix: String) async throws -> [ScoreRecord] {
        var query = PagedQuery(
            from: "assessment_scores s JOIN organisations o ON o.id = s.institution_id",
            where: "s.batch_id = \(bind: batchID) AND s.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("s.region_code", regionPrefix)) }
        return try await query.all(db, select: Self.scoreColumns, orderBy: "o.code", as: ScoreRow.self) { $0.record }
    }

    /// The `limit` highest (or lowest) scores under a region prefix, ties in code order.
    public func ranked(batchID: Int64, yearStart: CivilDate, regionPrefix: String, highestFirst: Bool, limit: Int) async throws -> [ScoreRecord] {
        var query = PagedQuery(
            from: "assessment_scores s JOIN organisations o ON o.id = s.institution_id",
            where: "s.batch_id = \(bind: batchID) AND s.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("s.region_code", regionPrefix)) }
        let order: SQLQueryString = highestFirst ? "s.score DESC, o.code" : "s.score, o.code"
        return try await query.page(db, select: Self.scoreColumns, orderBy: order, page: PageRequest(number: 1, size: limit), as: ScoreRow.self) {
            $0.record
        }.items
    }

    public func score(batchID: Int64, yearStart: CivilDate, institutionID: Int64) async throws -> ScoreRecord? {
        try await db.first(
            """
            SELECT \(Self.scoreColumns) FROM assessment_scores s JOIN organisations o ON o.id = s.institution_id
            WHERE s.batch_id = \(bind: batchID) AND s.year_start = \(bind: yearStart.yyyymmdd) AND s.institution_id = \(bind: institutionID)
            """, as: ScoreRow.self)?.record
    }

    public func items(batchID: Int64, yearStart: CivilDate, institutionID: Int64) async throws -> [ItemRecord] {
        struct R: Decodable {
            var unit_key: String, agreed_content: Int64, winning_content: Int64, winning_amount_fen: Int64, non_winning_content: Int64
            var excluded_content: Int64, uncovered_days: Int64, completion: String, share_passed: Int64, passed: Int64, price_amount_fen: Int64?
            var price_content: Int64?, base_content: Int64, savings_fen: Int64, retained_fen: Int64, reasons: String
        }
        let decoder = JSONDecoder()
        return try await db.all(
            """
            SELECT * FROM assessment_items
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd) AND institution_id = \(bind: institutionID)
            ORDER BY unit_key
            """, as: R.self
        ).map { r in
            var tally = Tally()
            tally.winningContent = r.winning_content
            tally.winningAmountFen = r.winning_amount_fen
            tally.nonWinningContent = r.non_winning_content
            tally.excludedContent = r.excluded_content
            let price = r.price_amount_fen.flatMap { amount in r.price_content.map { PreAwardPrice(amountFen: amount, content: $0) } }
            return ItemRecord(
                unitKey: r.unit_key, agreedContent: r.agreed_content, tally: tally, uncoveredDays: r.uncovered_days,
                completionPassed: r.completion.isEmpty ? nil : r.completion == "passed", sharePassed: r.share_passed != 0, passed: r.passed != 0,
                price: price, baseContent: r.base_content, savingsFen: r.savings_fen, retainedFen: r.retained_fen,
                reasons: (try? decoder.decode([LocalizedText].self, from: Data(r.reasons.utf8))) ?? [])
        }
    }

    /// Per city (the first four digits of the region code) under a prefix: institutions, their grades, the items
    /// that failed and the amount retained; the cities ranked by their average score, highest first.
    public func cities(batchID: Int64, yearStart: CivilDate, regionPrefix: String) async throws -> [CityAssessment] {
        struct R: Decodable {
            var city: String, institutions: Int64, score_sum: Int64, a: Int64, b: Int64, c: Int64, d: Int64, items: Int64, failed: Int64
            var retained: Int64
        }
        var query = PagedQuery(
            from: "assessment_scores s", where: "s.batch_id = \(bind: batchID) AND s.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("s.region_code", regionPrefix)) }
        let statement: SQLQueryString =
            """
            SELECT SUBSTR(s.region_code, 1, 4) AS city, COUNT(*) AS institutions, CAST(SUM(s.score) AS BIGINT) AS score_sum,
                   CAST(SUM(CASE WHEN s.grade = 'A' THEN 1 ELSE 0 END) AS BIGINT) AS a, CAST(SUM(CASE WHEN s.grade = 'B' THEN 1 ELSE 0 END) AS BIGINT) AS b,
                   CAST(SUM(CASE WHEN s.grade = 'C' THEN 1 ELSE 0 END) AS BIGINT) AS c, CAST(SUM(CASE WHEN s.grade = 'D' THEN 1 ELSE 0 END) AS BIGINT) AS d,
                   CAST(SUM(s.items) AS BIGINT) AS items, CAST(SUM(s.failed_items) AS BIGINT) AS failed, CAST(SUM(s.retained_fen) AS BIGINT) AS retained
            """ + query.fromWhere + " GROUP BY SUBSTR(s.region_code, 1, 4)"
        let rows = try await db.all(statement, as: R.self).map {
            CityAssessment(
                cityCode: $0.city, institutions: $0.institutions, scoreSum: $0.score_sum, grades: [$0.a, $0.b, $0.c, $0.d], items: $0.items,
                failedItems: $0.failed, retainedFen: $0.retained)
        }
        return rows.sorted { ($0.averageHundredths, $1.cityCode) > ($1.averageHundredths, $0.cityCode) }
    }
}
