import Foundation
import JicaiCore
import JicaiPersistence

/// The services of one request: the only door the web layer has to the database. JicaiApp builds one per request
/// from the request's database; the web layer never sees a store or a query.
public struct Services: Sendable {
    let db: DB
    let hasher: any PasswordHashing
    let now: @Sendable () -> Date

    public init(db: DB, hasher: any PasswordHashing, now: @escaping @Sendable () -> Date) {
        self.db = db
        self.hasher = hasher
        self.now = now
    }

    public var reports: ReportService { ReportService(db: db) }
    public var accounts: AccountService { AccountService(db: db, hasher: hasher) }
    public var exports: ExportService { ExportService(db: db) }
    public var imports: ImportService { ImportService(db: db, now: now) }
    public var platform: PlatformService { PlatformService(db: db) }
    public var award: AwardService { AwardService(db: db, now: now) }
    public var agreements: AgreementService { AgreementService(db: db, now: now) }
    public var ocds: OCDSExport { OCDSExport(db: db) }
    public var monitor: MonitorService { MonitorService(db: db, now: now) }
    public var supply: SupplyService { SupplyService(db: db, now: now) }
    public var assessment: AssessmentService { AssessmentService(db: db, now: now) }
}

/// What the platform holds, for the status page and the province's machine API.
public struct PlatformService: Sendable {
    let db: DB

    public init(db: DB) { self.db = db }

    /// One batch's figures on the status page.
    public struct BatchFigures: Sendable {
        public var batch: BatchRecord
        public var historyRows: Int64
        public var reports: Int64
        public var findings: Int64
    }

    /// The status page's figures: regions, organisations and each batch's rows.
    public struct Figures: Sendable {
        public var regions: Int64
        public var organisations: Int64
        public var batches: [BatchFigures]
    }

    public func figures() async throws -> Figures {
        let accounts = AccountStore(db)
        var batches: [BatchFigures] = []
        for batch in try await BatchStore(db).batches() {
            batches.append(
                BatchFigures(
                    batch: batch, historyRows: try await HistoryStore(db).rowCount(batchID: batch.id),
                    reports: try await DemandStore(db).reportCount(batchID: batch.id),
                    findings: try await FindingStore(db).count(batchID: batch.id)))
        }
        return Figures(
            regions: try await accounts.regionCount(), organisations: try await accounts.organisationCount(),
            batches: batches)
    }

    /// Every batch (the machine API is province-wide by its token).
    public func batches() async throws -> [BatchRecord] { try await BatchStore(db).batches() }

    /// The batches a user sees: those of the user's province.
    public func batches(visibleTo principal: Principal) async throws -> [BatchRecord] {
        try await BatchStore(db).batches().filter { batch in
            guard let prefix = principal.regionPrefix else { return true }
            return batch.provinceCode.hasPrefix(String(prefix.prefix(2)))
        }
    }

    public func batchExists(_ code: String) async throws -> Bool { try await BatchStore(db).batch(code: code) != nil }

    /// One page of a batch's reporting organisations in code order, for the machine API.
    public func institutionPage(batchCode: String, regionPrefix: String?, page: PageRequest) async throws -> Page<InstitutionSummary> {
        let batch = try await record(batchCode)
        let rows = try await ReviewListQuery(db).page(
            batchID: batch.id, filter: ReviewFilter(regionPrefix: regionPrefix ?? ""),
            sort: ListOrder(.code), page: page)
        return Page(items: rows.items.map(\.summary), total: rows.total, request: page)
    }

    /// One page of a batch's stored findings, for the machine API.
    public func findingPage(batchCode: String, regionPrefix: String?, institutionCode: String?, page: PageRequest) async throws
        -> Page<StoredFinding>
    {
        let batch = try await record(batchCode)
        return try await FindingStore(db).page(batchID: batch.id, regionPrefix: regionPrefix, institutionCode: institutionCode, page: page)
    }

    private func record(_ code: String) async throws -> BatchRecord {
        guard let batch = try await BatchStore(db).batch(code: code) else {
            throw Refusal(.batchNotFound, zh: "批次“\(code)”不存在", en: "batch \"\(code)\" does not exist")
        }
        return batch
    }
}
