import Foundation
import JicaiCore
import JicaiInterchange
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// Monitoring on both engines, on the award fixture: the hospital holds P0111 (V01) and P0211 (V02); the township
/// leads a community whose village clinic buys P0212 on its behalf. P0112 is a non-winning V01 product.
enum MonitorFixture {
    static let productsCSV = """
        产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌
        P0111,S011,某某药业有限公司,\(F.manufacturer),甲
        P0211,S021,某某药业有限公司,\(F.manufacturer),甲
        P0212,S021,乙药业有限公司,\(AwardFixture.maker2),乙
        P0112,S011,乙药业有限公司,\(AwardFixture.maker2),乙

        """

    static let header = "机构编码,产品编码,订单日期,配送日期,验收日期,数量（最小单位）,金额（元）,订单号\n"

    /// A published award (2026-03-01 to 2028-02-29) and a monitor service whose clock reads 2026-07-01.
    static func load(_ db: DB) async throws -> MonitorService {
        let award = try await AwardFixture.load(db)
        _ = try await ImportService(db: db).importProducts(path: try F.file("p.csv", productsCSV), batchCode: "B1", actor: .cli)
        _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
        _ = try await award.compute(batchCode: "B1", actor: .cli)
        _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
        return MonitorService(db: db, now: { ReportingWindow.shanghai(2026, 7, 1, 9) })
    }

    static func alerts(_ db: DB, status: AlertStatus? = nil) async throws -> [StoredAlert] {
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        return try await AlertStore(db).list(batchID: batch.id, scope: .all, status: status, page: PageRequest(size: 200)).items
    }
}

@Suite("Monitoring on both engines: purchase import, recompute, alerts and their life (004 §1, §6, §7; docs/rules.md, the measures)")
struct MonitorServiceTests {
    @Test(
        "A purchases file with bad rows is refused row by row and writes nothing; the award must be published first", arguments: TestDatabases.engines
    )
    func badPurchases(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            let early = MonitorService(db: db)
            let good = MonitorFixture.header + "\(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,24,12.00,\n"
            await #expect(throws: Refusal(.awardNotPublished)) {
                _ = try await early.importPurchases(path: try F.file("p.csv", good), batchCode: "B1", actor: .cli)
            }
            _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            let bad =
                MonitorFixture.header
                    + """
                    \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,24,12.00,
                    91999999MA0000099X,P0111,2026-03-05,,,24,12.00,
                    \(F.hospital),P9999,2026-03-05,,,24,12.00,
                    \(F.hospital),P0111,2026-03-05,,,-24,12.00,
                    \(F.hospital),P0111,2026-03-05,2026-03-08,2026-03-07,24,12.00,
                    \(F.hospital),P0111,2026-02-27,2026-02-28,2026-03-01,24,12.00,
                    \(F.hospital),P0111,2026-03-05,,2026-03-07,24,12.00,
                    \(F.hospital),P0111,2026-13-05,,,24,12.345,

                    """
            let failure = await importFailure {
                _ = try await early.importPurchases(path: try F.file("bad.csv", bad), batchCode: "B1", actor: .cli)
            }
            let issues = try #require(failure).issues
            func has(_ row: Int, _ column: String, _ text: String) -> Bool {
                issues.contains { $0.row == row && $0.column == column && ($0.reason.zh + $0.reason.en).contains(text) }
            }
            #expect(has(3, "机构编码", "91999999MA0000099X"), "\(issues)")
            #expect(has(4, "产品编码", "P9999"))
            #expect(has(5, "数量（最小单位）", "负"))
            #expect(has(6, "验收日期", "早于配送日期"))
            #expect(has(7, "订单日期", "采购周期"))
            #expect(has(8, "验收日期", "配送日期"))
            #expect(has(9, "订单日期", "YYYY-MM-DD") && has(9, "金额（元）", "两位小数"))
            #expect(!issues.contains { $0.row == 2 }, "the good row has no issue")
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await PurchaseStore(db).count(batchID: batch.id) == 0, "a failed file writes nothing")
            #expect(try await early.lastRun(batchCode: "B1") == nil)
            // The first load drops the indexes and builds them after the rows; the failed one rolled that back. On
            // PostgreSQL the monthly partitions stand in for them (M017).
            struct Name: Decodable { var name: String }
            let expected = db.engine == .sqlite ? ["purchases_import", "purchases_institution"] : []
            let indexQuery: SQLQueryString =
                db.engine == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'purchases' ORDER BY name"
                : """
                SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = 'purchases' AND t.relnamespace = current_schema()::regnamespace ORDER BY c.relname
                """
            #expect(try await db.all(indexQuery, as: Name.self).map(\.name) == expected)
            _ = try await early.importPurchases(path: try F.file("p.csv", good), batchCode: "B1", actor: .cli)
            #expect(try await PurchaseStore(db).count(batchID: batch.id) == 1)
            #expect(try await PurchaseStore(db).nextImportID(batchID: batch.id) == 2, "the failed file took no number")
            let register = try await PurchaseStore(db).imports(batchID: batch.id)
            #expect(register.map { "\($0.id) \($0.file) \($0.lines) \($0.actor)" } == ["1 p.csv 1 cli"], "\(register)")
            #expect(register.first?.at != nil)
            #expect(try await db.all(indexQuery, as: Name.self).map(\.name) == expected)
        }
    }

    @Test(
        "004 §6 (the alerts' life; bulk handling: design): the list as filtered acknowledged with one note, then resolved by the city; the count confirmed or nothing; each alert audited",
        arguments: TestDatabases.engines)
    func bulkAlerts(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let purchases =
                MonitorFixture.header
                    + """
                    \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,A1
                    \(F.hospital),P0112,2026-03-05,2026-03-06,2026-03-07,30,45.00,A2
                    \(F.hospital),P0211,2026-06-20,,,280,28.00,A4

                    """
            _ = try await monitor.importPurchases(path: try F.file("m.csv", purchases), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 6, 30)!)
            let open = try await MonitorFixture.alerts(db, status: .open)
            #expect(open.count >= 3)
            let service = MonitorService(db: db, now: { ReportingWindow.shanghai(2026, 7, 1, 9) })
            func scope(_ p: Principal) async throws -> BatchScope { try await service.scope("B1", p) }
            let head = try await scope(Principal(username: "head", role: .institutionHead, organisationCode: F.hospital))
            let city = try await scope(Principal(username: "city", role: .cityReviewer, regionCode: "140100"))
            let hospitalOpen = Int64(open.filter { $0.key.institutionCode == F.hospital }.count)
            #expect(try await service.bulkCount(head, action: .acknowledge, code: nil, region: nil) == hospitalOpen)
            // Refused: no note, an institution resolving, a count that is not the list's. Nothing changes.
            await expectRefused(.noteRequired) {
                _ = try await service.handleAll(head, action: .acknowledge, code: nil, region: nil, expected: hospitalOpen, note: " ")
            }
            await expectRefused(.forbidden) {
                _ = try await service.handleAll(head, action: .resolve, code: nil, region: nil, expected: hospitalOpen, note: "x")
            }
            await expectRefused(.concurrentChange) {
                _ = try await service.handleAll(head, action: .acknowledge, code: nil, region: nil, expected: hospitalOpen + 1, note: "已安排")
            }
            #expect(try await MonitorFixture.alerts(db, status: .open).count == open.count)
            // One kind only: the behind-schedule alert of V02.
            let behind = try await service.bulkCount(head, action: .acknowledge, code: .behindSchedule, region: nil)
            #expect(behind == 1)
            #expect(try await service.handleAll(head, action: .acknowledge, code: .behindSchedule, region: nil, expected: 1, note: "已安排采购") == 1)
            let acknowledged = try await MonitorFixture.alerts(db, status: .acknowledged)
            #expect(acknowledged.count == 1 && acknowledged[0].note == "已安排采购" && acknowledged[0].key.code == .behindSchedule)
            // The city resolves everything still unresolved in its region (open and acknowledged) with one reason.
            let left = try await service.bulkCount(city, action: .resolve, code: nil, region: "1401")
            #expect(left == Int64(open.count))
            await expectRefused(.forbidden) { _ = try await service.bulkCount(city, action: .resolve, code: nil, region: "1402") }
            #expect(try await service.handleAll(city, action: .resolve, code: nil, region: "1401", expected: left, note: "市局核实：已整改") == left)
            #expect(try await MonitorFixture.alerts(db, status: .resolved).allSatisfy { $0.reason == "市局核实：已整改" })
            #expect(try await service.bulkCount(city, action: .resolve, code: nil, region: nil) == 0)
            let audit = try await AuditLog(db).entries(entity: "alert", limit: 1000)
            #expect(audit.count == Int(left) + 1 && Set(audit.map(\.entityKey)).count == Int(left))
        }
    }

    @Test(
        "Import, recompute and alerts: shares, entry, undelivered orders, a community's purchases at its lead; no duplicates; recovery resolves itself; a hand resolution stands",
        arguments: TestDatabases.engines)
    func lifecycle(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let march =
                MonitorFixture.header
                    + """
                    \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,A1
                    \(F.hospital),P0112,2026-03-05,2026-03-06,2026-03-07,30,45.00,A2
                    \(F.village),P0212,2026-03-10,2026-03-11,2026-04-10,200,40.00,A3

                    """
            let june = MonitorFixture.header + "\(F.hospital),P0211,2026-06-20,,,280,28.00,A4\n"
            let asOf = CivilDate(2026, 6, 30)!
            let first = try await monitor.importPurchases(path: try F.file("m.csv", march), batchCode: "B1", actor: .cli, asOf: asOf)
            #expect(first.summary.rows == 3 && first.months.map(\.description) == ["2026-03"])
            _ = try await monitor.importPurchases(path: try F.file("j.csv", june), batchCode: "B1", actor: .cli, asOf: asOf)
            if engine == "postgres" {
                #expect(try await PurchaseStore(db).partitions().contains("purchases_m202603"), "monthly partitions on PostgreSQL")
            }
            let open = try await MonitorFixture.alerts(db)
            let codes = Set(open.map { "\($0.key.institutionCode)/\($0.key.unitKey)/\($0.key.code.rawValue)" })
            // Hospital V01: 20 of 67 capsules (29.9%) ahead of 122/487 (25.1%); 30 of 50 non-winning (60%) > 30%.
            #expect(codes.contains("\(F.hospital)/V01/NON_WINNING_SHARE_HIGH"), "\(codes)")
            #expect(!codes.contains("\(F.hospital)/V01/BEHIND_SCHEDULE"))
            // Hospital V02: agreed 801 tablets, nothing accepted by 06-30: behind (severe), not entered; the 06-20 order is overdue.
            #expect(codes.contains("\(F.hospital)/V02/BEHIND_SCHEDULE") && codes.contains("\(F.hospital)/V02/NOT_ENTERED"))
            #expect(codes.contains("\(F.hospital)/V02/UNDELIVERED"))
            #expect(open.first { $0.key.code == .behindSchedule && $0.key.unitKey == "V02" }?.severity == .severe)
            // The village's purchase counts at the township, its community's lead: entered, and not at the village.
            #expect(!codes.contains("\(F.township)/V02/NOT_ENTERED"))
            #expect(!open.contains { $0.key.institutionCode == F.village })
            let township = try await MonitorStore(db).positions(batchID: batch.id, institutionCode: F.township)
            #expect(township.first { $0.unitKey == "V02" }?.tally.winningContent == 200 * EffectiveContent(text: "5mg")!.baseAmount)
            #expect(codes.count == open.count, "one alert per key")

            // A re-run raises nothing new.
            let again = try await monitor.recompute(batchCode: "B1", asOf: asOf, actor: .cli)
            #expect(again.raised == 0 && again.resolved == 0)
            #expect(try await monitor.lastRun(batchCode: "B1")?.lines == 4, "a full run counts the batch's lines in its one pass")
            // The indexes a full run (and the first alerts) built after their rows are all there again.
            let names =
                "('monitor_alerts_institution', 'monitor_alerts_status', 'monitor_positions_region', 'monitor_unit_months_institution', 'monitor_unit_months_region')"
            let indexes: SQLQueryString =
                db.engine == .sqlite
                ? "SELECT COUNT(*) AS v FROM sqlite_master WHERE type = 'index' AND name IN \(unsafeRaw: names)"
                : "SELECT COUNT(*) AS v FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN \(unsafeRaw: names)"
            #expect(try await db.scalar(indexes) == 5)
            if db.engine == .postgres {
                // The full run read the lines in parts (here one per institution with lines), in id order.
                let bounds = try await PurchaseStore(db).partBounds(batchID: batch.id, parts: 8)
                #expect(bounds.count == 3 && bounds.first == 0 && bounds == bounds.sorted(), "\(bounds)")
                // M020: the tables a full run refills are analysed by the run, not by autovacuum.
                struct Options: Decodable { var options: String }
                let options = try await db.all(
                    "SELECT relname || ':' || array_to_string(reloptions, ',') AS options FROM pg_class WHERE oid IN ('monitor_positions'::regclass, 'monitor_unit_months'::regclass) ORDER BY relname",
                    as: Options.self
                ).map(\.options)
                #expect(
                    options == [
                        "monitor_positions:autovacuum_analyze_threshold=2147483647", "monitor_unit_months:autovacuum_analyze_threshold=2147483647",
                    ])
            }
            #expect(try await MonitorFixture.alerts(db).count == open.count)
            if db.engine == .sqlite {
                // The full clear relaxed SQLite's secure delete for the derived tables only; the connection has it back.
                struct Mode: Decodable { var secure_delete: Int }
                #expect(try await db.first("PRAGMA secure_delete", as: Mode.self)?.secure_delete == 1)
            }

            // Acknowledge the share alert; then March is re-sent with more winning purchases: the share recovers.
            let share = try #require(open.first { $0.key.code == .nonWinningShareHigh })
            #expect(try await AlertStore(db).acknowledge(id: share.id, by: "h1", note: "已安排替换", at: Date()))
            #expect(try await AlertStore(db).acknowledge(id: share.id, by: "h1", note: "again", at: Date()) == false)
            let resent = march.replacingOccurrences(
                of: "P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00", with: "P0111,2026-03-05,2026-03-06,2026-03-07,100,50.00")
            let second = try await monitor.importPurchases(path: try F.file("m.csv", resent), batchCode: "B1", actor: .cli, asOf: asOf)
            #expect(try await PurchaseStore(db).count(batchID: batch.id) == 4, "the March lines were replaced, not added")
            #expect(try await monitor.lastRun(batchCode: "B1")?.lines == 4, "a partial run counts them too")
            #expect((second.recompute?.resolved ?? 0) >= 1)
            let after = try #require(try await AlertStore(db).alert(batchID: batch.id, id: share.id))
            #expect(after.status == .resolved && after.resolution == "auto" && after.note == "已安排替换")

            // A hand resolution with a reason stands while the numbers stay the same.
            let undelivered = try #require(open.first { $0.key.code == .undelivered })
            #expect(try await AlertStore(db).resolve(id: undelivered.id, by: "city", reason: "企业已说明，6月底到货", at: Date()))
            _ = try await monitor.recompute(batchCode: "B1", asOf: asOf, actor: .cli)
            let live = try await MonitorFixture.alerts(db).filter { $0.status.isLive }
            #expect(!live.contains { $0.key.code == .undelivered })
            // A run that read the alert while it was live and plans to resolve it leaves the hand resolution as it is.
            var stale = AlertPlan()
            stale.resolve = [undelivered.id]
            try await AlertStore(db).apply(batchID: batch.id, stale, institutions: [:], at: Date())
            let handled = try #require(try await AlertStore(db).alert(batchID: batch.id, id: undelivered.id))
            #expect(handled.resolution == "hand" && handled.resolvedBy == "city", "\(handled)")

            // The province's roll-up: one city, completion weighed by agreed amount.
            let cities = try await MonitorStore(db).groups(batchID: batch.id, regionPrefix: "14", by: .region(digits: 4))
            #expect(cities.map(\.key) == ["1401"])
            #expect(cities[0].agreedAmountFen > 0 && cities[0].valuedWinningFen > 0)
            let months = try await MonitorStore(db).months(batchID: batch.id, regionPrefix: "14", institutionCode: F.hospital, unitKey: "V01")
            #expect(
                months.map(\.month.description) == ["2026-03"]
                    && months[0].tally.nonWinningContent == 30 * EffectiveContent(text: "0.25g")!.baseAmount)
            #expect(try await monitor.lastRun(batchCode: "B1")?.asOf == asOf)
            // Prescription review (004 §2): the cardiology department's doctor D1 buys mostly the non-winning P0112.
            let usage = """
                机构编码,科室,医生编码,产品编码,月份,数量（最小单位）,金额（元）
                \(F.hospital),心内科,D1,P0112,2026-05,300,1200.00
                \(F.hospital),心内科,D1,P0111,2026-05,100,50.00
                \(F.hospital),呼吸科,D2,P0111,2026-05,500,250.00

                """
            _ = try await monitor.importUsage(path: try F.file("u.csv", usage), batchCode: "B1", actor: .cli)
            let may = MonthKey(year: 2026, month: 5)!
            let head = RequestContext(principal: Principal(username: "h", role: .institutionHead, organisationCode: F.hospital), ip: nil, at: Date())
            let seen = try await monitor.prescriptionReview(try await monitor.scope("B1", head), from: may, through: may, institution: nil)
            #expect(seen.map(\.department) == ["心内科"] && seen.first?.doctor == "D1" && seen.first?.tally.nonWinningAmountFen == 120_000)
            let province = RequestContext(principal: Principal(username: "p", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: Date())
            let masked = try await monitor.prescriptionReview(try await monitor.scope("B1", province), from: may, through: may, institution: nil)
            #expect(masked.count == 1 && masked.first?.doctor == nil, "the province sees departments without doctors")
            let filler = RequestContext(
                principal: Principal(username: "f", role: .institutionFiller, organisationCode: F.hospital), ip: nil, at: Date())
            await #expect(throws: Refusal.forbidden) {
                _ = try await monitor.prescriptionReview(try await monitor.scope("B1", filler), from: may, through: may, institution: nil)
            }
            // A month later the numbers move: the live alerts are refreshed in place (same id, status and note kept).
            let behind = try #require(try await MonitorFixture.alerts(db).first { $0.key.code == .behindSchedule && $0.status.isLive })
            let later = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 7, 31)!, actor: .cli)
            #expect(later.refreshed >= 1 && later.raised == 0)
            let moved = try #require(try await AlertStore(db).alert(batchID: batch.id, id: behind.id))
            #expect(moved.status == behind.status && moved.figures != behind.figures && moved.figures.contains(AlertFigure("schedule", "31.4%")))

            // 004 §7 (docs/rules.md "The measures") through the recompute's fold (two folds on PostgreSQL): inside a verified supply
            // problem of V01 in March, the hospital's non-winning March purchase (30 of P0112) leaves the share.
            let before = try #require(
                try await MonitorStore(db).positions(batchID: batch.id, institutionCode: F.hospital).first { $0.unitKey == "V01" })
            let problemMonth = MonthKey(year: 2026, month: 3)!
            let problem = SupplyProblem(unit: CheckUnit(varietyCode: "V01"), regionPrefix: "14", from: problemMonth, through: problemMonth)
            try await monitor.addSupplyProblem(batchCode: "B1", problem, note: "中选企业断供，已核实", actor: .cli)
            _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 7, 31)!, actor: .cli)
            let inside = try #require(
                try await MonitorStore(db).positions(batchID: batch.id, institutionCode: F.hospital).first { $0.unitKey == "V01" })
            let thirty = 30 * EffectiveContent(text: "0.25g")!.baseAmount
            #expect(before.tally.nonWinningContent == thirty && inside.tally.nonWinningContent == 0)
            #expect(
                inside.tally.excludedContent == before.tally.excludedContent + thirty && inside.tally.winningContent == before.tally.winningContent)
        }
    }
}

@Suite("Alert figures as stored")
struct AlertFigureTextTests {
    @Test(
        "A file replaces every imported line of its months, or only its institutions' lines of them; the summary counts what it replaced and whom it did not hold",
        arguments: TestDatabases.engines)
    func replacement(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let asOf = CivilDate(2026, 6, 30)!
            func lines() async throws -> [String] {
                struct R: Decodable { var order_number: String }
                return try await db.all("SELECT order_number FROM purchases ORDER BY order_number", as: R.self).map(\.order_number)
            }
            let march =
                MonitorFixture.header
                    + """
                    \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,H1
                    \(F.hospital),P0111,2026-03-15,2026-03-16,2026-03-17,20,10.00,H2
                    \(F.village),P0212,2026-03-10,2026-03-11,2026-03-12,200,40.00,V1

                    """
            let first = try await monitor.importPurchases(path: try F.file("m.csv", march), batchCode: "B1", actor: .cli, asOf: asOf)
            #expect(first.replaced == 0 && first.replacedElsewhere == 0)
            // A correction for the hospital only: its two March lines become one; the village's line stays.
            let correction = MonitorFixture.header + "\(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,30,15.00,H3\n"
            let fixed = try await monitor.importPurchases(
                path: try F.file("c.csv", correction), batchCode: "B1", actor: .cli, asOf: asOf, replacing: .institutions)
            #expect(fixed.replaced == 2 && fixed.replacedElsewhere == 0, "\(fixed.replaced) \(fixed.replacedElsewhere)")
            #expect(try await lines() == ["H3", "V1"])
            #expect(fixed.text.zh.contains("替换此前导入的明细2条") && !fixed.text.zh.contains("不在本文件中"))
            // The same file as whole months: the village's March goes too, and the summary says so.
            let whole = try await monitor.importPurchases(path: try F.file("w.csv", correction), batchCode: "B1", actor: .cli, asOf: asOf)
            #expect(whole.replaced == 2 && whole.replacedElsewhere == 1)
            #expect(try await lines() == ["H3"])
            #expect(whole.text.zh.contains("其中1家机构不在本文件中"), "\(whole.text.zh)")
            #expect(whole.text.en.contains("of 1 institutions not in this file"))
            #expect(try await PurchaseStore(db).imports(batchID: batch.id).map(\.lines) == [1, 1, 3], "the register keeps every import")
            #expect(try await PurchaseStore(db).imports(batchID: batch.id, limit: 2).map(\.id) == [3, 2], "the latest first, as many as asked")
            #expect(throws: Refusal.self) { try MonitorService.PurchaseReplacement(option: "everything") }
            #expect(try MonitorService.PurchaseReplacement(option: " ") == .months)
            // The village's holder (the township) was recomputed: its position has no purchases left.
            #expect(whole.recompute?.institutions == 2, "the hospital and the township lead were recomputed")
        }
    }

    @Test("Figures are written as JSON and read back by the fast reader; escaped or differently ordered JSON goes through the decoder")
    func roundTrip() throws {
        let plain = [AlertFigure("share", "66.7%"), AlertFigure("cap", "30.0%"), AlertFigure("winningContent", "500,000")]
        let text = AlertStore.figuresText(plain)
        #expect(text == #"[{"name":"share","value":"66.7%"},{"name":"cap","value":"30.0%"},{"name":"winningContent","value":"500,000"}]"#)
        #expect(AlertStore.figures(text) == plain)
        let odd = [AlertFigure("note", "a \"quoted\" \\ value\n"), AlertFigure("空", "")]
        #expect(AlertStore.figures(AlertStore.figuresText(odd)) == odd)
        #expect(try JSONDecoder().decode([AlertFigure].self, from: Data(AlertStore.figuresText(odd).utf8)) == odd)
        #expect(AlertStore.figures(#"[{"value":"1","name":"a"}]"#) == [AlertFigure("a", "1")])
        #expect(AlertStore.figures("[]") == [])
        #expect(AlertStore.figures("not json") == nil)
    }
}

@Suite("Monthly tallies packed per holder × unit")
struct PackedMonthsTests {
    @Test("Packed and unpacked again: trailing zeros left out, negative figures (returns) kept, any month order read in order")
    func roundTrip() throws {
        var march = Tally()
        march.winningContent = 1_200
        march.winningAmountFen = 34_500
        var april = Tally()
        april.nonWinningContent = -30
        april.nonWinningAmountFen = -4_500
        april.excludedAmountFen = 7
        let months = [
            MonthTally(month: MonthKey(year: 2026, month: 3)!, tally: march, valuedWinningFen: 33_000),
            MonthTally(month: MonthKey(year: 2026, month: 4)!, tally: april),
            MonthTally(month: MonthKey(year: 2026, month: 5)!, tally: Tally()),
        ]
        let text = PackedMonths.pack(months)
        #expect(text == "202603,1200,34500,33000;202604,0,0,0,-30,-4500,0,0,7;202605")
        #expect(PackedMonths.unpack(text) == months)
        #expect(PackedMonths.unpack("202605;202603,1200,34500,33000")?.map(\.month.yyyymm) == [202_603, 202_605])
        #expect(
            PackedMonths.unpack("202603,x") == nil && PackedMonths.unpack("202613,1") == nil && PackedMonths.unpack("1,2,3,4,5,6,7,8,9,10") == nil)
    }

    @Test("A partial recompute sums its regions again: the province's months equal a full run's", arguments: TestDatabases.engines)
    func partialRollup(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let asOf = CivilDate(2026, 6, 30)!
            let march =
                MonitorFixture.header
                    + """
                    \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,A1
                    \(F.hospital),P0112,2026-04-05,2026-04-06,2026-04-07,30,45.00,A2
                    \(F.village),P0212,2026-03-10,2026-03-11,2026-04-10,200,40.00,A3

                    """
            _ = try await monitor.importPurchases(path: try F.file("m.csv", march), batchCode: "B1", actor: .cli, asOf: asOf)
            // A correction for the hospital alone: a partial recompute of its holder.
            let correction = MonitorFixture.header + "\(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,60,30.00,A1\n"
            let second = try await monitor.importPurchases(
                path: try F.file("c.csv", correction), batchCode: "B1", actor: .cli, asOf: asOf, replacing: .institutions)
            #expect(second.recompute?.institutions == 1)
            let store = MonitorStore(db)
            let partial = try await store.months(batchID: batch.id, regionPrefix: "14")
            let units = try await store.months(batchID: batch.id, regionPrefix: "14", unitKey: "V01")
            _ = try await monitor.recompute(batchCode: "B1", asOf: asOf, actor: .cli)
            #expect(try await store.months(batchID: batch.id, regionPrefix: "14") == partial)
            #expect(try await store.months(batchID: batch.id, regionPrefix: "14", unitKey: "V01") == units)
            let capsule = EffectiveContent(text: "0.25g")!.baseAmount
            #expect(units.map(\.month.description) == ["2026-03", "2026-04"])
            #expect(units.map(\.tally.winningContent) == [60 * capsule, 0] && units.map(\.tally.nonWinningContent) == [0, 30 * capsule])
            #expect(partial.first?.tally.winningAmountFen == 3_000, "March: the hospital's corrected 30.00 yuan only")
        }
    }
}
