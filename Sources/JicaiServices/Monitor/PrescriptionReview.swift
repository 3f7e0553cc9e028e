import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension MonitorService {
    /// Loads use records by department and doctor. Every row is checked (a reporting institution, a product of the
    /// batch, a month of the cycle); a bad file writes nothing. The file replaces the records of the months it holds.
    func importUsage(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        let started = Date()
        let rows = try await ParseGate.run(owner: actor.name) { try UsageTable.read(path) }
        let context = try await context(batchCode)
        let organisations = try await Organisations(db).reporting()
        let file = (path as NSString).lastPathComponent
        let cycle = Set(context.cycleMonths)
        var issues: [ImportIssue] = []
        func issue(_ row: Int, _ key: String, _ zh: String, _ en: String) {
            issues.append(ImportIssue(file: file, row: row, column: Schemas.usage.column(key).zh, zh: zh, en: en))
        }
        for located in rows {
            let record = located.value
            if organisations[record.institutionCode] == nil {
                issue(located.row, "institution", "机构编码“\(record.institutionCode)”不存在或不是医疗机构", "unknown institution \"\(record.institutionCode)\"")
            }
            if context.catalogue.productByCode[record.productCode] == nil {
                issue(located.row, "product", "产品编码“\(record.productCode)”不在批次产品中", "product \"\(record.productCode)\" is not in the batch")
            }
            if !cycle.contains(record.month) { issue(located.row, "month", "月份\(record.month)不在采购周期内", "month \(record.month) is outside the cycle") }
        }
        guard issues.isEmpty else { throw ImportFailure(issues: Array(issues.prefix(1000)), totalIssues: issues.count) }
        let months = Set(rows.map(\.value.month.yyyymm)).sorted()
        let batchID = context.head.batch.id
        let at = now()
        try await db.transaction { db in
            try await UsageStore(db).replace(
                batchID: batchID, months: months,
                // Every row's institution was checked above (an unknown one fails the file).
                rows: rows.compactMap { located in
                    let record = located.value
                    return organisations[record.institutionCode].map { organisation in
                        UsageStore.Row(
                            institutionID: organisation.id, department: record.department, doctor: record.doctor, productCode: record.productCode,
                            month: record.month, quantity: record.quantity, amountFen: record.amountFen)
                    }
                })
            try await AuditLog(db).record(
                actor: actor.name, event: .usageImport, key: batchCode, summary: "导入科室医生用药明细 \(rows.count) 行", at: at)
        }
        return ImportSummary(
            kind: "usage", file: file, rows: rows.count, inserted: rows.count, updated: 0, seconds: Date().timeIntervalSince(started))
    }

    /// One reported department or doctor on one unit.
    public struct ReviewLine: Sendable, Hashable {
        public var institutionCode: String
        public var institutionName: String
        public var department: String
        /// Nil when the viewer may not see doctor identities.
        public var doctor: String?
        public var unitKey: String
        public var tally: Tally
    }

    /// The departments and doctors with unreasonably heavy non-winning use (004 §2) in the months `from`…`through`, for
    /// the institution's head (its own) and the city bureau (its region), with doctor identities; the province sees
    /// departments only.
    public func prescriptionReview(_ scope: BatchScope, from: MonthKey, through: MonthKey, institution: String?) async throws -> [ReviewLine] {
        let access = try access(scope)
        guard access.seesReview else { throw Refusal.forbidden }
        let context = try await context(scope.head)
        if let own = access.ownInstitution, institution != nil && institution != own { throw Refusal.forbidden }
        let (classifier, _) = try await AwardService(db: db, now: now).classification(batchID: context.head.batch.id, catalogue: context.catalogue)
        let rows = try await UsageStore(db).sums(
            batchID: context.head.batch.id, from: from, through: through, regionPrefix: access.regionPrefix ?? "",
            institutionCode: access.ownInstitution ?? institution)
        var byKey: [ReviewKey: Tally] = [:]
        var names: [String: String] = [:]
        for row in rows {
            guard let product = classifier.classify(row.productCode) else { continue }
            names[row.institutionCode] = row.institutionName
            let key = ReviewKey(institution: row.institutionCode, department: row.department, doctor: row.doctor, unit: product.unit.key)
            byKey[key, default: Tally()].add(product, quantity: row.quantity, amountFen: row.amountFen, inProblem: false)
        }
        // Usage sums are stored as imported; a tally beyond the range is refused with its key, never trapped on.
        if let bad = byKey.first(where: { $0.value.outOfRange }) { throw Tally.refusal("\(bad.key.institution) \(bad.key.department)") }
        return byKey.filter { PrescriptionReview.flagged($0.value, policy: context.policy) }
            .map {
                ReviewLine(
                    institutionCode: $0.key.institution, institutionName: names[$0.key.institution] ?? "", department: $0.key.department,
                    doctor: access.seesDoctors ? $0.key.doctor : nil, unitKey: $0.key.unit, tally: $0.value)
            }
            .sorted {
                ($1.tally.nonWinningAmountFen, $0.institutionCode, $0.department) < ($0.tally.nonWinningAmountFen, $1.institutionCode, $1.department)
            }
    }

    struct ReviewKey: Hashable {
        var institution: String
        var department: String
        var doctor: String
        var unit: String
    }
}
