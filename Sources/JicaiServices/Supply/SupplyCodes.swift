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
        let capturer = try await codeCapturer(scope)
        let given = texts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !given.isEmpty else { throw Refusal(.nothingToSubmit, zh: "请填写追溯码", en: "enter the codes") }
        guard given.count <= InputLimits.maxCodesPerCapture else {
            throw Refusal(.tooLarge, zh: "一次最多\(InputLimits.maxCodesPerCapture)个追溯码", en: "at most \(InputLimits.maxCodesPerCapture) codes at once")
        }
        let parsed = try TraceCode.parse(given)
        let checked = try await capturer.check(productCode: productCode, day: day)
        try checked.check(parsed, productCode: productCode)
        let group = CodeGroup(productCode: productCode, day: day, codes: parsed)
        return try await db.transaction { db in try await Self.write(db, capturer, group) }
    }

    /// Who captures, and where: the institution and the batch.
    struct CodeCapturer: Sendable {
        var service: SupplyService
        var batchID: Int64
        var head: BatchStore.Head
        var institutionID: Int64
        var user: String
        var key: String
        var at: Date

        /// A product and day checked: a winning product, a day not after today; its registered and delivered product parts.
        func check(productCode: String, day: CivilDate) async throws -> ProductParts {
            guard day <= service.today, day.year >= 2000 else { throw Refusal(.badDate, zh: "结算日期不能晚于今天", en: "the day cannot be after today") }
            guard try await AwardService(db: service.db, now: service.now).resultUnit(head, productCode: productCode) != nil else {
                throw Refusal(.badProduct, zh: "“\(productCode)”不是本批次的中选产品", en: "\(productCode) is not a winning product of the batch")
            }
            let store = TraceCodeStore(service.db)
            let registered = try await store.registeredParts(batchID: batchID, products: [productCode])[productCode] ?? []
            let delivered = try await store.deliveredParts(batchID: batchID, products: [productCode])[productCode] ?? []
            return ProductParts(registered: registered, delivered: delivered)
        }
    }

    /// The codes of one product settled on one day.
    struct CodeGroup: Sendable {
        var productCode: String
        var day: CivilDate
        var codes: [TraceCode]
    }

    func codeCapturer(_ scope: BatchScope) async throws -> CodeCapturer {
        let principal = scope.principal
        guard principal.role.isInstitution, let own = principal.organisationCode,
            let institution = try await AccountStore(db).organisation(code: own)?.id
        else { throw Refusal.forbidden }
        return CodeCapturer(
            service: self, batchID: scope.batch.id, head: scope.head, institutionID: institution, user: principal.username,
            key: "\(scope.code)/\(own)", at: now())
    }

    /// Writes one group of settled codes (inside the caller's transaction) and raises the codes settled before.
    static func write(_ db: DB, _ c: CodeCapturer, _ group: CodeGroup) async throws -> CodeCapture {
        // Checked inside the write, so two captures of one code at once cannot both pass unseen.
        try await db.serialise(on: "trace-codes")
        let store = TraceCodeStore(db)
        let (codes, day, institution) = (group.codes, group.day, c.institutionID)
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
        try await store.addSettled(batchID: c.batchID, institutionID: institution, productCode: group.productCode, day: day, codes)
        try await store.addAnomalies(
            batchID: c.batchID, anomalies, secondInstitutionID: institution, secondDay: day, productCode: group.productCode, at: c.at)
        try await AuditLog(db).record(
            actor: c.user, event: .codesCapture, key: c.key,
            summary: "登记结算追溯码\(codes.count)个（\(group.productCode) \(day)），重复\(anomalies.count)个", at: c.at)
        return CodeCapture(captured: codes.count, anomalies: anomalies.count)
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

extension SupplyService {
    /// A winning product's product parts: those its manufacturer registered and those its delivered codes showed.
    public struct ProductPartsRow: Sendable, Hashable {
        public var productCode: String
        public var specCode: String
        public var manufacturerCode: String
        public var manufacturerName: String
        public var parts: ProductParts
    }

    /// The winning products' product parts: a manufacturer its own products, a bureau every product; others none.
    public func productParts(_ scope: BatchScope) async throws -> [ProductPartsRow] {
        let own: String?
        switch try access(scope).scope {
        case .manufacturer(let code): own = code
        case .region: own = nil
        case .institution, .distributor: throw Refusal.forbidden
        }
        let products = try await AwardService(db: db, now: now).winningProducts(batchID: scope.batch.id).filter {
            own == nil || $0.manufacturerCode == own
        }
        let store = TraceCodeStore(db)
        let codes = products.map(\.productCode)
        let registered = try await store.registeredParts(batchID: scope.batch.id, products: codes)
        let delivered = try await store.deliveredParts(batchID: scope.batch.id, products: codes)
        let rows = products.map { product in
            ProductPartsRow(
                productCode: product.productCode, specCode: product.specCode, manufacturerCode: product.manufacturerCode,
                manufacturerName: product.manufacturerName,
                parts: ProductParts(registered: registered[product.productCode] ?? [], delivered: delivered[product.productCode] ?? []))
        }
        return rows
    }

    /// The manufacturer registers the product parts of one of its winning products (7 digits each; an empty list
    /// clears them, and the parts its deliveries showed are checked again). From then on a delivery or a settlement
    /// of the product with a code of another part is refused (001 §2(五)).
    public func registerProductParts(_ scope: BatchScope, productCode: String, parts text: String) async throws -> ProductPartsRow {
        guard case .manufacturer(let own) = try access(scope).scope else { throw Refusal.forbidden }
        let parts = try ProductParts.parse(text)
        guard let product = try await productParts(scope).first(where: { $0.productCode == productCode }), product.manufacturerCode == own else {
            throw Refusal(
                .badProduct, zh: "“\(productCode.prefix(40))”不是本企业的中选产品", en: "\"\(productCode.prefix(40))\" is not a winning product of yours")
        }
        let (batchID, user, at, key) = (scope.batch.id, scope.principal.username, now(), "\(scope.code)/\(productCode)")
        try await db.transaction { db in
            try await TraceCodeStore(db).register(batchID: batchID, productCode: productCode, parts: parts, by: user, at: at)
            try await AuditLog(db).record(
                actor: user, event: .productPartsRegister, key: key,
                summary: parts.isEmpty ? "清除产品标识" : "登记产品标识 \(parts.sorted().joined(separator: "、"))", at: at)
        }
        var row = product
        row.parts.registered = parts
        return row
    }
}
