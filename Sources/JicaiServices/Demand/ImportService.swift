import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The imports of the reporting stage. Each validates the whole file (row by row, then against the database) and
/// writes in one transaction: a file with any problem writes nothing, and its problems are thrown as `ImportFailure`.
public struct ImportService: Sendable {
    public let db: DB
    public let now: @Sendable () -> Date
    /// The national division table, for checking institutions' region codes while the database has no regions.
    public let nationalDivisionsPath: String?

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }, nationalDivisionsPath: String? = nil) {
        self.db = db
        self.now = now
        self.nationalDivisionsPath = nationalDivisionsPath
    }

    private func file(_ path: String) -> String { (path as NSString).lastPathComponent }

    // MARK: Regions

    /// Loads the division table (a province's administrator; the command line acts as one).
    public func importRegions(path: String, ctx: RequestContext) async throws -> ImportSummary {
        guard Authorizer.canManageAccounts(ctx.principal) else { throw Refusal.forbidden }
        return try await importRegions(path: path, actor: AuditActor(ctx.principal.username))
    }

    /// The national division table shipped with the platform, loaded by the server itself into an empty database
    /// (audited as "system").
    public func loadShippedDivisions(path: String) async throws -> ImportSummary {
        try await importRegions(path: path, actor: .system)
    }

    func importRegions(path: String, actor: AuditActor) async throws -> ImportSummary {
        try await ServiceMetrics.importing("regions") {
            let started = Date()
            let rows = try await ParseGate.run(owner: actor.name) { try RegionTable.read(path) }
            let codes = Set(rows.map(\.value.code.value))
            let known = Set(try await AccountStore(db).regions().map(\.code.value))
            var issues: [ImportIssue] = []
            let parentColumn = Schemas.regions.column("parent").zh
            for row in rows {
                if let parent = row.value.parentCode?.value, !codes.contains(parent), !known.contains(parent) {
                    issues.append(
                        ImportIssue(
                            file: file(path), row: row.row, column: parentColumn,
                            zh: "上级区划“\(parent)”不在文件或区划表中", en: "parent region \"\(parent)\" is neither in the file nor in the region table"))
                }
            }
            guard issues.isEmpty else { throw ImportFailure(issues: issues) }
            let values = rows.map(\.value)
            let at = now()
            let result = try await db.transaction { db in
                let written = try await AccountStore(db).upsertRegions(values)
                try await AuditLog(db).record(
                    actor: actor.name, event: .regionsImport, key: "*",
                    summary: "导入行政区划 \(values.count) 条（新增\(written.inserted)，更新\(written.updated)）", at: at)
                return written
            }
            return ImportSummary(
                kind: "regions", file: file(path), rows: rows.count, inserted: result.inserted, updated: result.updated,
                seconds: Date().timeIntervalSince(started))
        }
    }

    // MARK: Organisations

    /// Loads the organisations file (a province's administrator; the command line acts as one).
    public func importOrganisations(path: String, ctx: RequestContext) async throws -> ImportSummary {
        guard Authorizer.canManageAccounts(ctx.principal) else { throw Refusal.forbidden }
        return try await importOrganisations(path: path, actor: AuditActor(ctx.principal.username))
    }

    func importOrganisations(path: String, actor: AuditActor) async throws -> ImportSummary {
        try await ServiceMetrics.importing("institutions") {
            let started = Date()
            let rows = try await ParseGate.run(owner: actor.name) { try OrganisationTable.read(path) }
            let accounts = AccountStore(db)
            var regions = Set(try await accounts.regions().map(\.code.value))
            if regions.isEmpty, let national = nationalDivisionsPath {
                regions = Set(try await ParseGate.run(owner: actor.name) { try RegionTable.read(national) }.map(\.value.code.value))
            }
            let existing = Dictionary(uniqueKeysWithValues: try await accounts.organisations().map { ($0.organisation.code, $0.organisation) })
            let inFile = Dictionary(rows.map { ($0.value.code, $0.value) }, uniquingKeysWith: { a, _ in a })
            let fileName = file(path)
            let regionColumn = Schemas.organisations.column("region").zh
            let leadColumn = Schemas.organisations.column("lead").zh
            var issues: [ImportIssue] = []
            for row in rows {
                let record = row.value
                if !regions.isEmpty && !regions.contains(record.regionCode.value) {
                    issues.append(
                        ImportIssue(
                            file: fileName, row: row.row, column: regionColumn,
                            zh: "区划代码“\(record.regionCode.value)”不在区划表中", en: "region code \"\(record.regionCode.value)\" is not in the region table")
                    )
                }
                if let lead = record.communityLeadCode {
                    if let leadRecord = inFile[lead] ?? existing[lead] {
                        if let why = MedicalCommunity.leadProblem(member: record, lead: leadRecord) {
                            issues.append(ImportIssue(file: fileName, row: row.row, column: leadColumn, reason: why))
                        }
                    } else {
                        issues.append(
                            ImportIssue(
                                file: fileName, row: row.row, column: leadColumn, zh: "牵头机构“\(lead)”不存在",
                                en: "lead institution \"\(lead)\" is unknown"))
                    }
                }
            }
            guard issues.isEmpty else { throw ImportFailure(issues: issues) }
            let values = rows.map(\.value)
            let at = now()
            let result = try await db.transaction { db in
                let written = try await AccountStore(db).upsertOrganisations(values)
                try await AuditLog(db).record(
                    actor: actor.name, event: .organisationsImport, key: "*",
                    summary: "导入机构 \(values.count) 个（新增\(written.inserted)，更新\(written.updated)）", at: at)
                return written
            }
            return ImportSummary(
                kind: "institutions", file: fileName, rows: rows.count, inserted: result.inserted, updated: result.updated,
                seconds: Date().timeIntervalSince(started))
        }
    }

    // MARK: Catalogue and products

    /// Loads a batch's catalogue, creating the batch (with the default policy) when it does not exist. A catalogue
    /// already used by history or demand is not replaced. The province's code must be one (`DivisionCode`, level
    /// province); its administrator only (the command line acts as one, `RequestContext.commandLine`).
    public func importCatalogue(
        path: String, batchCode: String, batchName: String? = nil, provinceCode: String, policy: BatchPolicy = .default, ctx: RequestContext
    ) async throws -> ImportSummary {
        guard let province = DivisionCode(provinceCode), province.level == .province else {
            throw Refusal(
                .badRegion, zh: "省级区划代码应为以0000结尾的6位数字：“\(provinceCode)”",
                en: "a province's division code has 6 digits ending in 0000: \"\(provinceCode)\"")
        }
        guard Authorizer.canAdminister(ctx.principal, provinceCode: province.value) else { throw Refusal.forbidden }
        return try await importCatalogue(
            path: path, batchCode: batchCode, batchName: batchName, provinceCode: province.value, policy: policy,
            actor: AuditActor(ctx.principal.username))
    }

    func importCatalogue(
        path: String, batchCode: String, batchName: String? = nil, provinceCode: String,
        policy: BatchPolicy = .default, actor: AuditActor
    ) async throws -> ImportSummary {
        try await ServiceMetrics.importing("catalogue") {
            let started = Date()
            let catalogue = try await ParseGate.run(owner: actor.name) { try CatalogueTable.read(path) }
            let at = now()
            try await db.transaction { db in
                let batches = BatchStore(db)
                let batch: BatchRecord
                if let existing = try await batches.batch(code: batchCode) {
                    batch = existing
                    let used = try await batches.dependentRows(batchID: existing.id)
                    guard used == 0 else {
                        throw ServiceError(
                            .catalogueInUse, zh: "批次“\(batchCode)”已有历史采购量或报量数据（\(used)条），不能替换清单",
                            en: "batch \"\(batchCode)\" already has history or demand (\(used) rows): its catalogue cannot be replaced")
                    }
                } else {
                    batch = try await batches.create(
                        code: batchCode, name: batchName ?? batchCode, provinceCode: provinceCode, policy: policy, at: at)
                    try await AuditLog(db).record(
                        actor: actor.name, event: .batchCreate, key: batchCode, summary: "创建批次 \(batchCode)", at: at)
                }
                try await batches.replaceCatalogue(batchID: batch.id, catalogue)
                try await AuditLog(db).record(
                    actor: actor.name, event: .catalogueImport, key: batchCode,
                    summary: "导入报量品种清单：\(catalogue.varieties.count)个品种，\(catalogue.specs.count)个规格", at: at)
            }
            return ImportSummary(
                kind: "catalogue", file: file(path), rows: catalogue.specs.count, inserted: catalogue.specs.count, updated: 0,
                seconds: Date().timeIntervalSince(started))
        }
    }

    func importProducts(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        try await ServiceMetrics.importing("products") {
            let started = Date()
            let rows = try await ParseGate.run(owner: actor.name) { try ProductTable.read(path) }
            guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
            guard let catalogue = try await BatchStore(db).catalogue(batchID: batch.id) else { throw ServiceError.noCatalogue(batchCode) }
            let specColumn = Schemas.products.column("spec").zh
            let issues = rows.compactMap { r -> ImportIssue? in
                catalogue.specByCode[r.value.specCode] == nil
                    ? ImportIssue(
                        file: file(path), row: r.row, column: specColumn, zh: "规格编码“\(r.value.specCode)”不在批次清单中",
                        en: "spec \"\(r.value.specCode)\" is not in the batch catalogue")
                    : nil
            }
            guard issues.isEmpty else { throw ImportFailure(issues: issues) }
            let products = rows.map(\.value)
            let at = now()
            try await db.transaction { db in
                try await BatchStore(db).replaceProducts(batchID: batch.id, products)
                try await AuditLog(db).record(
                    actor: actor.name, event: .productsImport, key: batchCode,
                    summary: "导入产品（厂牌）\(products.count)个", at: at)
            }
            return ImportSummary(
                kind: "products", file: file(path), rows: rows.count, inserted: rows.count, updated: 0,
                seconds: Date().timeIntervalSince(started))
        }
    }
}
