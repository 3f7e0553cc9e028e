import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// Loads a demo province into a database through the same imports a bureau uses, then runs the checks.
public struct DemoService: Sendable {
    public let db: DB
    public let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// Reads the national division table shipped with the app.
    public static func divisions(path: String) throws -> [Region] { try RegionTable.read(path).map(\.value) }

    public struct Result: Sendable {
        public var statistics: DemoStatistics
        public var imports: [ImportSummary]
        public var checks: CheckRunSummary
        /// The award, when the demo includes it.
        public var award: AwardService.ComputeSummary?
    }

    /// Generates the files into `directory` (a temporary one when nil) and imports them.
    /// Refused when the demo batch exists already (DEMO_EXISTS): a province is generated once.
    public func load(_ province: DemoProvince, directory: URL? = nil, award: Bool = true, progress: (any ProgressSink)? = nil) async throws -> Result
    {
        if try await BatchStore(db).batch(code: DemoProvince.batchCode) != nil {
            throw ServiceError(.demoExists, zh: "演示批次\(DemoProvince.batchCode)已存在", en: "the demo batch \(DemoProvince.batchCode) already exists")
        }
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("jicai-demo-\(UUID().uuidString)")
        let (files, stats) = try province.write(to: dir)
        defer { if directory == nil { try? FileManager.default.removeItem(at: dir) } }
        let imports = ImportService(db: db, now: now)
        var done: [ImportSummary] = []
        done.append(try await imports.importRegions(path: files.regions.path, actor: .system))
        done.append(try await imports.importOrganisations(path: files.institutions.path, actor: .system))
        done.append(
            try await imports.importCatalogue(
                path: files.catalogue.path, batchCode: DemoProvince.batchCode, batchName: DemoProvince.batchName,
                provinceCode: DemoProvince.provinceCode, actor: .system))
        done.append(try await imports.importProducts(path: files.products.path, batchCode: DemoProvince.batchCode, actor: .system))
        done.append(try await imports.importHistory(path: files.history.path, batchCode: DemoProvince.batchCode, actor: .system, progress: progress))
        done.append(try await imports.importDemand(path: files.demand.path, batchCode: DemoProvince.batchCode, actor: .system))
        let checks = try await CheckService(db: db, now: now).run(batchCode: DemoProvince.batchCode, actor: .system)
        let summary = award ? try await loadAward(files, imports: &done) : nil
        return Result(statistics: stats, imports: done, checks: checks, award: summary)
    }

    /// The award on top of the demand: each city, then the province, approves the reports without a blocking finding
    /// and the province locks the batch, through the review pages' doors (`approveAll`, `setLocked`), at a moment of
    /// the batch's review period (the demo replays the notice's timeline, whose dates may have passed); then the results and distributors are imported, the volumes computed and published (execution from
    /// 1 March 2026, the cycle to the end of 2027) and the agreements that have a distributor sent for signing.
    func loadAward(_ files: DemoFiles, imports done: inout [ImportSummary]) async throws -> AwardService.ComputeSummary {
        let code = DemoProvince.batchCode
        guard let batch = try await BatchStore(db).batch(code: code) else { throw ServiceError.batchNotFound(code) }
        let window = batch.policy.window
        let reviewAt = now() < window.reviewDeadline ? max(now(), window.fillingOpens) : window.fillingCloses.addingTimeInterval(3600)
        let reports = ReportService(db: db)
        let cities = Set(try await Organisations(db).reporting().values.map { String($0.regionCode.prefix(4)) + "00" })
        for city in cities.sorted() {
            let reviewer = Principal(username: AuditActor.system.name, role: .cityReviewer, regionCode: city)
            _ = try await reports.approveAll(
                try await BatchScope.resolve(code, db: db, ctx: RequestContext(principal: reviewer, ip: nil, at: reviewAt)))
        }
        let province = RequestContext(
            principal: Principal(username: AuditActor.system.name, role: .provinceAdmin, regionCode: DemoProvince.provinceCode), ip: nil, at: reviewAt
        )
        let provinceScope = try await BatchScope.resolve(code, db: db, ctx: province)
        _ = try await reports.approveAll(provinceScope)
        try await reports.setLocked(provinceScope, locked: true)
        let award = AwardService(db: db, now: now)
        done.append(try await award.importResults(path: files.results.path, batchCode: code, actor: .system))
        done.append(try await AgreementService(db: db, now: now).importDistributors(path: files.distributors.path, batchCode: code, actor: .system))
        let summary = try await award.compute(batchCode: code, actor: .system)
        _ = try await award.publish(batchCode: code, executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2027, 12, 31)!, actor: .system)
        _ = try await AgreementService(db: db, now: now).send(batchCode: code, actor: .system)
        // Monitoring: purchases to the end of the first agreement year (30 June 2027), the supply stage's story (orders,
        // deliveries, payments, a settlement, tickets) and a recompute as of 30 November 2026, the dashboards' day;
        // then the year replayed through its assessment in July 2027 (`DemoAssessment`).
        if let catalogue = try await BatchStore(db).catalogue(batchID: batch.id) {
            let url = files.directory.appendingPathComponent("purchases.csv")
            _ = try await DemoPurchases.write(
                db: db, batchID: batch.id, catalogue: catalogue, start: DemoAssessment.yearStart, cycleEnd: CivilDate(2027, 12, 31) ?? .latest,
                through: DemoAssessment.yearEnd, seed: 20_260_301, to: url)
            let monitor = MonitorService(db: db, now: now)
            done.append(try await monitor.importPurchases(path: url.path, batchCode: code, actor: .system, recompute: false).summary)
            _ = try await DemoSupply.load(db: db)
            _ = try await monitor.recompute(batchCode: code, asOf: DemoPurchases.through, actor: .system)
            _ = try await DemoAssessment.load(db: db, catalogue: catalogue)
        }
        return summary
    }
}
