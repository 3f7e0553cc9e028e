import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension ImportService {
    /// Loads submitted reports from a file (reports collected outside the platform, or a bulk test). Replaces the
    /// reports of the institutions in the file; others are kept. The rules run later, in `CheckService`.
    func importDemand(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        try await ServiceMetrics.importing("demand") {
            let started = Date()
            let rows = try await ParseGate.run(owner: actor.name) { try DemandTable.read(path) }
            guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
            guard let catalogue = try await BatchStore(db).catalogue(batchID: batch.id) else { throw ServiceError.noCatalogue(batchCode) }
            let specIDs = try await BatchStore(db).specIndex(batchID: batch.id)
            let institutions = try await AccountStore(db).codeIndex().compactMapValues { $0.reports ? $0.id : nil }
            let fileName = (path as NSString).lastPathComponent
            var issues: [ImportIssue] = []
            func column(_ key: String) -> String { Schemas.demand.column(key).zh }
            var reports: [Int64: StoredReport] = [:]
            var order: [Int64] = []
            var exclusionRows: [Int64: [String: Int]] = [:]
            let at = now()
            for row in rows {
                let record = row.value
                guard let id = institutions[record.institutionCode] else {
                    issues.append(
                        ImportIssue(
                            file: fileName, row: row.row, column: column("institution"), zh: "机构编码“\(record.institutionCode)”不存在或不是医疗机构",
                            en: "unknown institution \"\(record.institutionCode)\""))
                    continue
                }
                guard let spec = catalogue.specByCode[record.line.specCode] else {
                    issues.append(
                        ImportIssue(
                            file: fileName, row: row.row, column: column("spec"), zh: "规格编码“\(record.line.specCode)”不在批次清单中",
                            en: "spec \"\(record.line.specCode)\" is not in the batch catalogue"))
                    continue
                }
                if let product = record.line.productCode, catalogue.productByCode[product] == nil {
                    issues.append(
                        ImportIssue(
                            file: fileName, row: row.row, column: column("product"), zh: "产品编码“\(product)”不在批次产品中",
                            en: "product \"\(product)\" is not a product of the batch"))
                    continue
                }
                if reports[id] == nil {
                    reports[id] = StoredReport(institutionID: id, status: .submitted, lines: [], submittedAt: at)
                    order.append(id)
                }
                reports[id]!.lines.append(record.line)
                if let letter = record.letter, reports[id]!.letter == nil { reports[id]!.letter = letter }
                let key = Catalogue.unit(of: spec).key
                if let ex = record.exclusion {
                    reports[id]!.exclusions[key] = ex
                    exclusionRows[id, default: [:]][key] = row.row
                }
                if !record.explanation.isEmpty {
                    let previous = reports[id]!.explanations[key]
                    reports[id]!.explanations[key] =
                        previous.map { $0 == record.explanation ? $0 : $0 + "；" + record.explanation } ?? record.explanation
                }
            }
            issues += try await exclusionIssues(
                reports, exclusionRows, batch: batch, catalogue: catalogue, institutions: institutions, file: fileName)
            guard issues.isEmpty else { throw ImportFailure(issues: issues.sorted { $0.row < $1.row }) }
            let values = order.map { reports[$0]! }
            try await db.transaction { db in
                try await DemandStore(db).replace(batchID: batch.id, values, specIDs: specIDs, at: at)
                try await AuditLog(db).record(
                    actor: actor.name, event: .demandImport, key: batchCode,
                    summary: "导入报量 \(rows.count) 行，\(values.count) 个机构", at: at)
            }
            return ImportSummary(
                kind: "demand", file: fileName, rows: rows.count, inserted: rows.count, updated: 0, seconds: Date().timeIntervalSince(started))
        }
    }

    /// Special-needs exclusions need a reason and may not exceed the history (002 §3(三)): checked at import, by the
    /// same rule as the form, so that a bad row is refused here rather than found at the next check.
    private func exclusionIssues(
        _ reports: [Int64: StoredReport], _ exclusionRows: [Int64: [String: Int]], batch: BatchRecord, catalogue: Catalogue,
        institutions: [String: Int64], file: String
    ) async throws -> [ImportIssue] {
        let checker = DemandChecker(catalogue: catalogue, policy: batch.policy)
        let history = try await HistoryStore(db).totals(batchID: batch.id, institutionIDs: exclusionRows.keys.sorted())
        let codeOf = Dictionary(institutions.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        var issues: [ImportIssue] = []
        for (id, rowOfUnit) in exclusionRows.sorted(by: { $0.key < $1.key }) {
            guard let report = reports[id] else { continue }
            let demand = InstitutionDemand(
                institutionCode: codeOf[id] ?? "", history: history[id] ?? [:], lines: report.lines, exclusions: report.exclusions)
            for finding in checker.check(demand).findings where finding.code == .exclusionExceedsHistory {
                guard let unit = finding.unitKey, let row = rowOfUnit[unit] else { continue }
                issues.append(ImportIssue(file: file, row: row, column: Schemas.demand.column("exclusion").zh, reason: finding.message))
            }
        }
        return issues
    }
}
