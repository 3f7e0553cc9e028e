import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

let divisionsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/JicaiApp/Resources/divisions.csv").path

@Suite("Demo province")
struct DemoTests {
    @Test("The same seed writes the same files; another seed writes other files")
    func deterministic() throws {
        let divisions = try DemoService.divisions(path: divisionsPath)
        func history(_ seed: UInt64) throws -> Data {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID())")
            let (files, _) = try DemoProvince(institutions: 200, seed: seed, divisions: divisions).write(to: dir)
            return try Data(contentsOf: files.history) + Data(contentsOf: files.institutions)
        }
        #expect(try history(7) == history(7))
        #expect(try history(7) != history(8))
    }

    @Test(
        "A demo province loads through the imports, uses real Shanxi codes, has every category and sets off every finding",
        arguments: TestDatabases.engines)
    func load(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let divisions = try DemoService.divisions(path: divisionsPath)
            let province = DemoProvince(institutions: 800, seed: 11, divisions: divisions)
            let afterWindow = ReportingWindow.shanghai(2025, 12, 30, 12)
            let result = try await DemoService(db: db, now: { afterWindow }).load(province)
            #expect((240...280).contains(result.statistics.specs))
            #expect(result.statistics.varieties == 62)
            let orgs = try await AccountStore(db).organisations()
            #expect(orgs.allSatisfy { $0.organisation.regionCode.value.hasPrefix("14") })
            let categories = Set(orgs.compactMap(\.organisation.category))
            #expect(categories == Set(InstitutionCategory.allCases).subtracting([.other]))
            #expect(Set(orgs.map(\.organisation.kind)) == Set(OrganisationKind.allCases))
            #expect(orgs.contains { $0.organisation.communityLeadCode != nil })
            #expect(orgs.contains { $0.organisation.ownership == .military })
            // Every finding a report can set off, but those an import refuses before any check: unknown specs, and
            // special-needs exclusions above the history or without a reason (they are found on the form instead).
            let expected = Set(FindingCode.allCases.map(\.rawValue)).subtracting(["UNKNOWN_SPEC", "EXCLUSION_EXCEEDS_HISTORY"])
            #expect(expected.isSubset(of: Set(result.checks.byCode.keys)), "\(result.checks.byCode)")
            let batch = try #require(try await BatchStore(db).batch(code: DemoProvince.batchCode))
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == Int64(result.statistics.historyRows))
            // The award: results with backups, published volumes, agreements sent, one area left uncovered.
            let award = try #require(result.award)
            #expect(award.holders > 100 && award.volumes > award.holders && award.amountFen > 0)
            let overview = try await AwardService(db: db).overview(try await BatchScope.command(DemoProvince.batchCode, db: db))
            #expect(overview.state.phase == .published && overview.agreements > 0)
            #expect(overview.results.contains { $0.entry.role == .backup })
            #expect(overview.results.contains { !$0.entry.regions.isEmpty })
            let counts = AwardResult(
                entries: overview.results.map(\.entry), catalogue: try #require(try await BatchStore(db).catalogue(batchID: batch.id))
            )
            .winnerCounts(try #require(try await BatchStore(db).catalogue(batchID: batch.id)))
            #expect(Set(counts.values).isSuperset(of: [1, 2, 3]), "one to four winners per variety: \(Set(counts.values))")
            let reviewer = Principal(username: "p", role: .provinceReviewer, regionCode: "140000")
            let agreements = AgreementService(db: db)
            let sent = try await agreements.agreements(
                try await agreements.scope(DemoProvince.batchCode, reviewer), status: .sent, page: PageRequest())
            #expect(sent.total > 0)
            let makers = Set(overview.results.filter { $0.entry.role == .winner }.map(\.manufacturerCode)).sorted()
            var uncovered = 0
            for maker in makers {
                uncovered += try await AgreementService(db: db).network(batchCode: DemoProvince.batchCode, manufacturerCode: maker).uncovered.count
            }
            #expect(uncovered > 0, "one manufacturer leaves one city uncovered")
            // Monitoring: purchases to the end of November 2026 with laggards, early finishers, substitution and
            // institutions that never enter.
            let run = try #require(try await MonitorStore(db).run(batchID: batch.id))
            #expect(run.asOf == CivilDate(2026, 11, 30)! && run.lines > 1000)
            let alerts = try await AlertStore(db).counts(batchID: batch.id, scope: .all)
            #expect((alerts[.open] ?? 0) > 0)
            // The supply story's late ones: the orders of 28 November not confirmed by the 30th, September's unpaid delivery.
            for code in [AlertCode.unconfirmed, .paymentOverdue] {
                #expect(
                    try await AlertStore(db).list(batchID: batch.id, scope: .all, status: .open, code: code, page: PageRequest()).total > 0, "\(code)"
                )
            }
            let institutions = try await MonitorStore(db).groups(batchID: batch.id, regionPrefix: "14", by: .institution)
            let schedule = Measures.schedule(AgreementYears.years(start: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)[0], on: run.asOf)
            #expect(institutions.contains { ($0.completion ?? Fraction(0, 1)) < schedule.times(.percent(80)) }, "laggards")
            #expect(institutions.contains { schedule < ($0.completion ?? Fraction(0, 1)) }, "ahead of the schedule")
            #expect(institutions.contains { $0.notEntered > 0 }, "never entered")
            #expect(institutions.contains { ($0.nonWinningAmountShare ?? Fraction(0, 1)) > Fraction(3, 10) }, "substitution")
            // Supply: orders in every state, an overdue unpaid delivery, an approved settlement, tickets open and verified.
            let supply = SupplyService(db: db, now: { ReportingWindow.shanghai(2026, 12, 1, 10) })
            let bureau = try await BatchScope.command(DemoProvince.batchCode, db: db)
            let orders = try await supply.ordersPage(bureau, status: nil, page: PageRequest())
            #expect(orders.counts[.completed, default: 0] > 0 && orders.counts[.placed, default: 0] > 0)
            #expect(try await supply.payables(bureau, overdueOnly: true, page: PageRequest()).0.total > 0)
            #expect(try await supply.settlements(bureau).contains { $0.status == .approved && $0.directFen > 0 && $0.offsetFen > 0 })
            let tickets = try await supply.ticketsPage(bureau, status: nil, escalatedOnly: false, page: PageRequest()).0.items
            #expect(Set(tickets.map(\.status)) == [.open, .verified])
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM purchases WHERE source = 'order'") > 0)
            // Assessment (管): the first year replayed through July 2027: an exemption, disease-group hospitals, an upheld
            // and a rejected appeal, leads, approved; the payment list totals the run to the fen.
            let assessment = AssessmentService(db: db, now: { ReportingWindow.shanghai(2027, 7, 20, 10) })
            let start = try #require(CivilDate(2026, 3, 1))
            let approved = try #require(try await assessment.overview(bureau).run(start))
            #expect(approved.status == .approved && approved.institutions > 100 && approved.failedItems > 0)
            let appeals = try await assessment.appeals(bureau, yearStart: start)
            #expect(Set(appeals.map(\.status)) == [.upheld, .rejected], "\(appeals.map(\.status))")
            #expect(!(try await assessment.leads(bureau, yearStart: start)).isEmpty)
            let payments = try await assessment.paymentList(bureau, yearStart: start)
            #expect(payments.rows.reduce(0) { $0 + $1.retainedFen } == approved.retainedFen && approved.retainedFen > 0)
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM assessment_exemptions") == 1)
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM assessment_disease_groups") == 3)
        }
    }
}
