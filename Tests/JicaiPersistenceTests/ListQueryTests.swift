import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

/// The long lists (institutions under review, accounts, the audit log) are paged, filtered and ordered in the
/// database; each is compared here with the whole list filtered and ordered in Swift.
@Suite("Paged lists on both engines")
struct ListQueryTests {
    static let afterWindow = ReportingWindow.shanghai(2025, 12, 30, 12)
    static let province = RequestContext(principal: Principal(username: "p", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: afterWindow)

    static func demo(_ db: DB, institutions: Int = 300) async throws -> BatchRecord {
        let divisions = try DemoService.divisions(path: divisionsPath)
        _ = try await DemoService(db: db, now: { afterWindow }).load(
            DemoProvince(institutions: institutions, seed: 5, divisions: divisions), award: false)
        return try #require(try await BatchStore(db).batch(code: DemoProvince.batchCode))
    }

    /// Every page of `filter` in `order`, walked with `size` rows a page.
    static func walk(_ db: DB, _ batch: BatchRecord, _ filter: ReviewFilter, _ order: ListOrder<ReviewColumn>, size: Int) async throws -> [ReviewRow]
    {
        var all: [ReviewRow] = []
        var number = 1
        while true {
            let page = try await ReviewListQuery(db).page(
                batchID: batch.id, filter: filter, sort: order, page: PageRequest(number: number, size: size))
            #expect(page.total == Int64(all.count + page.items.count) || page.hasNext, "the total is the same on every page")
            all += page.items
            if !page.hasNext { break }
            #expect(page.items.count == size)
            number += 1
        }
        return all
    }

    @Test(
        "The review list pages through every institution of the region once, in order; its filters and totals match the whole list; its not-reported filter is the rule of 000 §3(二), 001 §2(一)",
        arguments: TestDatabases.engines)
    func reviewList(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let batch = try await Self.demo(db)
            let city = "14"
            let whole = try await SummaryQueries(db).institutions(batchID: batch.id, regionPrefix: city)
            #expect(whole.count > 40)
            let byCode = try await Self.walk(db, batch, ReviewFilter(regionPrefix: city), ListOrder(.code), size: 20)
            #expect(byCode.map(\.summary.code) == whole.map(\.code).sorted(), "every institution once, in code order")
            let wholeByCode = Dictionary(uniqueKeysWithValues: whole.map { ($0.code, $0) })
            for row in byCode { #expect(row.summary == wholeByCode[row.summary.code], "the page's figures are the whole list's") }

            // Ordered by a figure, descending: never increasing, ties in code order.
            let byBlocking = try await Self.walk(db, batch, ReviewFilter(regionPrefix: city), ListOrder(.blocking, descending: true), size: 17)
            #expect(byBlocking.count == whole.count)
            for (a, b) in zip(byBlocking, byBlocking.dropFirst()) {
                #expect(a.summary.blocking > b.summary.blocking || (a.summary.blocking == b.summary.blocking && a.summary.code < b.summary.code))
            }

            // Status, text and finding filters.
            for status in ["none", "draft", "submitted"] {
                let page = try await Self.walk(db, batch, ReviewFilter(regionPrefix: city, status: status), ListOrder(.code), size: 50)
                #expect(page.map(\.summary.code) == whole.filter { ($0.status ?? "none") == status }.map(\.code).sorted(), "status \(status)")
            }
            let some = whole[whole.count / 2]
            let text = String(some.name.prefix(4))
            let found = try await Self.walk(db, batch, ReviewFilter(regionPrefix: city, text: text), ListOrder(.code), size: 50)
            #expect(found.map(\.summary.code) == whole.filter { $0.name.contains(text) || $0.code.contains(text) }.map(\.code).sorted())
            #expect(
                try await ReviewListQuery(db).count(batchID: batch.id, filter: ReviewFilter(regionPrefix: city, text: "%")) == 0,
                "a wildcard in the text is a character, not a pattern")
            let findings = try await FindingStore(db).list(batchID: batch.id)
            let withBelow = Set(findings.filter { $0.finding.code == .belowFloor }.map(\.institutionCode))
            let below = try await Self.walk(
                db, batch, ReviewFilter(regionPrefix: city, findingCode: FindingCode.belowFloor.rawValue), ListOrder(.code), size: 50)
            #expect(!below.isEmpty && below.map(\.summary.code) == whole.map(\.code).filter(withBelow.contains).sorted())

            // "Has history, did not submit" (000 §3(二); a lead that submitted covers its members, 001 §2(一)): the SQL
            // filter is MedicalCommunity.notReported.
            let leadOf = try await AccountStore(db).organisations(kinds: [.institution, .pharmacy], regionPrefix: city)
                .reduce(into: [String: String]()) { m, o in if let l = o.organisation.communityLeadCode { m[o.organisation.code] = l } }
            let submitted = Set(whole.filter { $0.status.flatMap(ReportStatus.init(rawValue:))?.isSubmitted ?? false }.map(\.code))
            let expected = MedicalCommunity.notReported(
                withHistory: Set(whole.filter { $0.specsWithHistory > 0 }.map(\.code)),
                submitted: submitted, leadOf: leadOf)
            let missing = try await Self.walk(db, batch, ReviewFilter(regionPrefix: city, notReportedOnly: true), ListOrder(.code), size: 50)
            #expect(!expected.isEmpty && Set(missing.map(\.summary.code)) == expected)

            // The status counts add up to the region.
            let counts = try await ReviewListQuery(db).statusCounts(batchID: batch.id, regionPrefix: city)
            #expect(counts.values.reduce(0, +) == Int64(whole.count))
        }
    }

    @Test("The service pages for the caller's region only: a city sees its own, another city's list is refused", arguments: TestDatabases.engines)
    func reviewScope(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await Self.demo(db, institutions: 120)
            let service = ReportService(db: db)
            let cityCtx = RequestContext(
                principal: Principal(username: "c", role: .cityReviewer, regionCode: "140100"), ip: nil, at: Self.afterWindow)
            let list = try await service.reviewList(
                try await service.scope(DemoProvince.batchCode, cityCtx), region: nil, status: nil, findingCode: nil, text: nil,
                sort: ListOrder(.code), page: PageRequest(size: 20), notReportedPage: PageRequest(size: 20))
            #expect(list.regionPrefix == "1401" && list.institutions.items.allSatisfy { $0.summary.regionCode.hasPrefix("1401") })
            await #expect(throws: ServiceError.self) {
                _ = try await service.reviewList(
                    try await service.scope(DemoProvince.batchCode, cityCtx), region: "1402", status: nil, findingCode: nil, text: nil,
                    sort: ListOrder(.code), page: PageRequest(), notReportedPage: PageRequest())
            }
            let filler = RequestContext(
                principal: Principal(username: "f", role: .institutionFiller, organisationCode: "x"), ip: nil, at: Self.afterWindow)
            await #expect(throws: ServiceError.self) {
                _ = try await service.statusPage(
                    try await service.scope(DemoProvince.batchCode, filler), region: nil, status: nil, page: PageRequest())
            }
            let whole = try await service.statusPage(
                try await service.scope(DemoProvince.batchCode, Self.province), region: nil, status: nil, page: PageRequest(size: 1000, maxSize: 1000)
            )
            #expect(whole.total == Int64(whole.items.count) && !whole.hasNext)
        }
    }

    @Test("Accounts and the audit log page in the database with their filters", arguments: TestDatabases.engines)
    func accountsAndAudit(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await Self.demo(db, institutions: 120)
            _ = try await DemoAccounts.create(db: db, hasher: PlainHasher())
            let admin = RequestContext(
                principal: Principal(username: "admin", role: .provinceAdmin, regionCode: "140000"), ip: nil, at: Self.afterWindow)
            let accounts = AccountService(db: db, hasher: PlainHasher())
            let everyone = try await UserStore(db).users(limit: 100_000)
            var seen: [String] = []
            var number = 1
            while true {
                let page = try await accounts.accountPage(
                    text: nil, role: nil, state: nil, sort: ListOrder(.username), page: PageRequest(number: number, size: 20), ctx: admin)
                #expect(page.total == Int64(everyone.count))
                seen += page.items.map(\.username)
                guard page.hasNext else { break }
                number += 1
            }
            #expect(seen == everyone.map(\.username).sorted())
            let cities = try await accounts.accountPage(
                text: nil, role: .cityReviewer, state: nil, sort: ListOrder(.username, descending: true),
                page: PageRequest(size: 200), ctx: admin)
            #expect(cities.items.map(\.username) == everyone.filter { $0.role == .cityReviewer }.map(\.username).sorted().reversed())
            let searched = try await accounts.accountPage(
                text: "city14", role: nil, state: nil, sort: ListOrder(.username), page: PageRequest(), ctx: admin)
            #expect(searched.total == Int64(cities.total))
            let filler = RequestContext(
                principal: Principal(username: "f", role: .institutionFiller, organisationCode: "x"), ip: nil, at: Self.afterWindow)
            await #expect(throws: ServiceError.self) {
                _ = try await accounts.accountPage(text: nil, role: nil, state: nil, sort: ListOrder(.username), page: PageRequest(), ctx: filler)
            }

            for i in 0..<45 {
                try await AuditLog(db).record(
                    actor: i % 3 == 0 ? "alice" : "bob", event: .report(.save), key: "B/\(i)", summary: "第\(i)次", at: Self.afterWindow)
            }
            let all = try await AuditLog(db).entries(limit: 100_000)
            let first = try await accounts.auditPage(
                filter: AuditFilter(), sort: ListOrder(.at, descending: true), page: PageRequest(size: 20), ctx: Self.province)
            #expect(first.total == Int64(all.count) && first.items.map(\.id) == Array(all.prefix(20)).map(\.id), "newest first, as the log reads")
            let alice = try await accounts.auditPage(
                filter: AuditFilter(actor: "alice", text: "B/"), sort: ListOrder(.at), page: PageRequest(size: 100), ctx: Self.province)
            #expect(alice.total == 15 && alice.items.map(\.entityKey) == stride(from: 0, to: 45, by: 3).map { "B/\($0)" })
            await #expect(throws: ServiceError.self) {
                _ = try await accounts.auditPage(filter: AuditFilter(), sort: ListOrder(.at), page: PageRequest(), ctx: filler)
            }
        }
    }

    @Test(
        "PagedQuery: typed conditions with bound values; wildcards in searched text match themselves; count and pages agree",
        arguments: TestDatabases.engines)
    func pagedQuery(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let names = ["100% 纯", "100_A", "1000", "10\\0", "abc", "ABC"]
            for (index, name) in names.enumerated() {
                try await db.run(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_key, summary) VALUES ('2026-01-01 00:00:00', \(bind: "u\(index % 2)"), 'test', 'paged', \(bind: name), 'x')"
                )
            }
            func keys(_ text: String?, actor: String? = nil, size: Int = 2) async throws -> (total: Int64, keys: [String]) {
                var query = PagedQuery(from: "audit_log", where: "entity = 'paged'")
                query.add(.equals("actor", actor))
                if let text { query.add(.contains(["entity_key", "summary"], text)) }
                struct Row: Decodable { var entity_key: String }
                var seen: [String] = []
                var number = 1
                while true {
                    let page = try await query.page(
                        db, select: "entity_key", orderBy: "id", page: PageRequest(number: number, size: size), as: Row.self
                    ) {
                        $0.entity_key
                    }
                    #expect(page.total == (try await query.count(db)), "the page's total is the count")
                    seen += page.items
                    guard page.hasNext else { return (page.total, seen) }
                    number += 1
                }
            }
            #expect(try await keys(nil) == (6, names), "no condition given: every row, in order, over three pages")
            #expect(try await keys("%").keys == ["100% 纯"], "a % in the text is a percent sign, not a wildcard")
            #expect(try await keys("_").keys == ["100_A"], "an underscore is an underscore")
            #expect(try await keys("\\").keys == ["10\\0"], "a backslash is a backslash")
            #expect(try await keys("100", actor: "u0").keys == ["100% 纯", "1000"], "conditions are ANDed: u0 wrote rows 0, 2 and 4")
            #expect(try await keys("' OR 1 = 1 --").total == 0, "the text is a bound value")
        }
    }

    @Test("Page requests clamp what they are given")
    func pageRequest() {
        #expect(PageRequest(number: 0, size: 0) == PageRequest(number: 1, size: PageRequest.defaultSize))
        #expect(PageRequest(number: -5, size: 201).size == PageRequest.defaultSize)
        #expect(PageRequest(number: 3, size: 20).offset == 40)
        let page = Page(items: [1, 2, 3], total: 43, request: PageRequest(number: 3, size: 20))
        #expect(page.pageCount == 3 && !page.hasNext && page.hasPrevious && page.range == (41, 43))
        #expect(Page<Int>(items: [], total: 0, request: PageRequest()).pageCount == 1)
        #expect(ListOrder<ReviewColumn>(sort: "nonsense", dir: "desc", default: .code) == ListOrder(.code, descending: true))
        #expect(ListOrder<ReviewColumn>(sort: "blocking", dir: nil, default: .code) == ListOrder(.blocking))
    }
}

/// Stores passwords as they are: the list tests need accounts, not bcrypt's cost.
struct PlainHasher: PasswordHashing {
    var cost: Int { 4 }
    func hash(_ password: String) async throws -> String { "plain:" + password }
    func hashInitial(_ password: String) async throws -> String { "plain:" + password }
    func verify(_ password: String, hash: String) async throws -> Bool { hash == "plain:" + password }
    func verifyNothing(_ password: String) async {}
}
