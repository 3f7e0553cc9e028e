import Foundation
import JicaiCore
import JicaiPersistence

/// Traceability codes at settlement or dispensing (001 §2(五)): an institution records the codes of the packs it
/// settled; each must be 20 digits and, once the product's deliveries have shown its product parts, carry one of
/// them. A code settled before (by any institution) or twice in one submission is captured and raised as an anomaly
/// with both occurrences to the cities of both institutions.
extension SupplyService {
    /// What a capture did: the codes recorded and the anomalies raised.
    public struct CodeCapture: Sendable, Hashable {
        public var captured: Int
        public var anomalies: Int
    }

    public func captureCodes(_ scope: BatchScope, productCode: String, day: CivilDate, codes texts: [String]) async throws -> CodeCapture {
        let principal = scope.principal
        guard principal.role.isInstitution, let own = principal.organisationCode,
            let institution = try await AccountStore(db).organisation(code: own)?.id
        else { throw Refusal.forbidden }
        let given = texts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !given.isEmpty else { throw Refusal(.nothingToSubmit, zh: "请填写追溯码", en: "enter the codes") }
        guard given.count <= InputLimits.maxCodesPerCapture else {
            throw Refusal(.tooLarge, zh: "一次最多\(InputLimits.maxCodesPerCapture)个追溯码", en: "at most \(InputLimits.maxCodesPerCapture) codes at once")
        }
        guard day <= today, day.year >= 2000 else { throw Refusal(.badDate, zh: "结算日期不能晚于今天", en: "the day cannot be after today") }
        guard try await AwardService(db: db, now: now).resultUnit(scope.head, productCode: productCode) != nil else {
            throw Refusal(.badProduct, zh: "“\(productCode)”不是本批次的中选产品", en: "\(productCode) is not a winning product of the batch")
        }
        let parsed = try TraceCode.parse(given)
        let known = try await TraceCodeStore(db).prefixes(batchID: scope.batch.id, productCode: productCode)
        if !known.isEmpty, let wrong = parsed.first(where: { !known.contains($0.productPart) }) {
            throw Refusal(
                .badTraceCode, zh: "追溯码\(wrong)的产品标识\(wrong.productPart)不属于\(productCode)（应为\(known.sorted().joined(separator: "、"))）",
                en: "code \(wrong) has product part \(wrong.productPart), not one of \(productCode)'s (\(known.sorted().joined(separator: ", ")))")
        }
        let (batchID, user, at, key, codes) = (scope.batch.id, principal.username, now(), "\(scope.code)/\(own)", parsed)
        return try await db.transaction { db in
            // Checked inside the write, so two captures of one code at once cannot both pass unseen.
            try await db.serialise(on: "trace-codes")
            let store = TraceCodeStore(db)
            let before = try await store.settledBefore(codes)
            var anomalies: [TraceCodeStore.NewAnomaly] = []
            var seen: [String: Int] = [:]
            for code in codes {
                if let first = before[code.text] {
                    anomalies.append(.init(code: code.text, firstInstitutionID: first.institutionID, firstDay: first.day))
                } else if seen[code.text] != nil {
                    anomalies.append(.init(code: code.text, firstInstitutionID: institution, firstDay: day.yyyymmdd))
                }
                seen[code.text, default: 0] += 1
            }
            try await store.addSettled(batchID: batchID, institutionID: institution, productCode: productCode, day: day, codes)
            try await store.addAnomalies(
                batchID: batchID, anomalies, secondInstitutionID: institution, secondDay: day, productCode: productCode, at: at)
            try await AuditLog(db).record(
                actor: user, event: .codesCapture, key: key,
                summary: "登记结算追溯码\(codes.count)个（\(productCode) \(day)），重复\(anomalies.count)个", at: at)
            return CodeCapture(captured: codes.count, anomalies: anomalies.count)
        }
    }

    /// Codes settled twice: the bureaus those touching their region, an institution its own; firms none.
    public func codeAnomalies(_ scope: BatchScope, page: PageRequest) async throws -> Page<CodeAnomaly> {
        let principal = scope.principal
        if principal.role.isInstitution {
            guard let own = principal.organisationCode else { throw Refusal.forbidden }
            return try await TraceCodeStore(db).anomalies(batchID: scope.batch.id, regionPrefix: nil, institution: own, page: page)
        }
        guard principal.role.isBureau, let prefix = principal.regionPrefix else { throw Refusal.forbidden }
        return try await TraceCodeStore(db).anomalies(batchID: scope.batch.id, regionPrefix: prefix, institution: nil, page: page)
    }
}
