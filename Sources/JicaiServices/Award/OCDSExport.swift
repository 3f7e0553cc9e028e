import Foundation
import JicaiCore
import JicaiPersistence

/// The award as an Open Contracting Data Standard 1.1 release package: the batch is one procurement process
/// (a framework tender run by the province's bureau), each winning product an award to its manufacturer, each
/// three-party agreement a contract. Parties carry their OCDS roles: the bureau is the procuring entity, the
/// institutions buyers and payers, the manufacturers tenderers and suppliers, the distributors payees (institutions
/// settle with them, 003 §6).
public struct OCDSExport: Sendable {
    let db: DB

    public init(db: DB) { self.db = db }

    struct Package: Encodable {
        var uri: String
        var version = "1.1"
        var publishedDate: String
        var publisher: Publisher
        var releases: [Release]
    }

    struct Publisher: Encodable {
        var name: String
        var scheme = "CN-USCC"
        var uid: String?
    }

    struct Release: Encodable {
        var ocid: String
        var id: String
        var date: String
        var tag = ["award", "contract"]
        var initiationType = "tender"
        var language = "zh"
        var parties: [Party]
        var buyer: PartyRef
        var tender: Tender
        var awards: [Award]
        var contracts: [Contract]
    }

    struct Party: Encodable {
        var id: String
        var name: String
        var identifier: Identifier
        var address: Address?
        var roles: [String]
    }

    struct Identifier: Encodable {
        var scheme = "CN-USCC"
        var id: String
        var legalName: String
    }

    struct Address: Encodable {
        var region: String
        var countryName = "中国"
    }

    struct PartyRef: Encodable {
        var id: String
        var name: String
    }

    struct Value: Encodable {
        var amount: Decimal
        var currency = "CNY"

        init(fen: Int64) { amount = Decimal(fen) / 100 }
    }

    struct Unit: Encodable {
        var name: String
        var value: Value?
    }

    struct Item: Encodable {
        var id: String
        var description: String
        var quantity: Decimal?
        var unit: Unit?
    }

    struct Tender: Encodable {
        var id: String
        var title: String
        var status = "complete"
        var procuringEntity: PartyRef
        var procurementMethod = "open"
        var procurementMethodDetails = "国家组织药品集中带量采购（省级执行）"
        var mainProcurementCategory = "goods"
        var items: [Item]
    }

    struct Award: Encodable {
        var id: String
        var title: String
        var status = "active"
        var date: String
        var value: Value
        var suppliers: [PartyRef]
        var items: [Item]
    }

    struct Period: Encodable {
        var startDate: String
        var endDate: String
    }

    struct Contract: Encodable {
        var id: String
        var awardID: String
        var title: String
        var status: String
        var period: Period
        var value: Value
        var items: [Item]
        var dateSigned: String?
        var implementation: Implementation?
    }

    /// A contract's implementation (supply, 供): each delivery a milestone, each payment a transaction — the
    /// institution's own, or the insurance fund's in a direct settlement run (004 §6).
    struct Implementation: Encodable {
        var milestones: [Milestone]
        var transactions: [Transaction]
    }

    struct Milestone: Encodable {
        var id: String
        var title: String
        var type = "delivery"
        var status: String
        var dateMet: String?
        var description: String
    }

    struct Transaction: Encodable {
        var id: String
        var source: String
        var date: String
        var value: Value
        var payer: PartyRef
        var payee: PartyRef
    }

    /// Writes the package to `url`, contracts streamed a page at a time: a province's hundreds of thousands of
    /// agreements never sit in memory as one document. Refused until the volumes are published.
    func write(batchCode: String, at: Date, to url: URL) async throws {
        guard let head = try await BatchStore(db).head(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        let state = try await AwardStore(db).state(batchID: head.batch.id)
        guard state.phase == .published, let publishedAt = state.publishedAt else { throw Refusal(.awardNotPublished) }
        guard let catalogue = try await BatchStore(db).cachedCatalogue(head)?.catalogue else { throw ServiceError.noCatalogue(batchCode) }
        let results = try await AwardStore(db).results(batchID: head.batch.id)
        let agreements = AgreementStore(db)
        let province = String(head.batch.provinceCode.prefix(2))
        let bureau = try await AccountStore(db).organisations(kinds: [.provinceBureau]).first { $0.organisation.regionCode.value.hasPrefix(province) }
        let bureauRef = PartyRef(id: bureau?.organisation.code ?? head.batch.provinceCode, name: bureau?.organisation.name ?? head.batch.name)
        let ocid = "ocds-jicai-\(head.batch.provinceCode)-\(head.batch.code)"
        let date = Timestamp.text(publishedAt)
        let builder = Builder(catalogue: catalogue, results: results, date: date)
        var release = Release(
            ocid: ocid, id: "\(ocid)-award-\(state.resultsVersion)", date: date,
            parties: builder.parties(bureau: bureauRef, try await agreements.parties(batchID: head.batch.id)), buyer: bureauRef,
            tender: Tender(id: head.batch.code, title: head.batch.name, procuringEntity: bureauRef, items: builder.tenderItems()),
            awards: builder.awards(try await agreements.firstYearTotals(batchID: head.batch.id)), contracts: [])
        if try await ContractImplementation.exists(db, batchID: head.batch.id) { release.tag.append("implementation") }
        let package = Package(
            uri: "urn:jicai:\(head.batch.provinceCode):\(head.batch.code):award", publishedDate: Timestamp.text(at),
            publisher: Publisher(name: bureauRef.name, uid: bureau?.organisation.code), releases: [release])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The document with an empty contract list, split where the contracts go.
        let whole = try encoder.encode(package)
        let marker = Data(#""contracts":[]"#.utf8)
        guard let range = whole.range(of: marker) else { throw Refusal(.internalError) }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw Refusal(.internalError) }
        let out = try FileHandle(forWritingTo: url)
        defer { try? out.close() }
        try out.write(contentsOf: whole[..<range.lowerBound] + Data(#""contracts":["#.utf8))
        var first = true
        try await agreements.forEachPage(batchID: head.batch.id) { page in
            var chunk = Data()
            let range = (page.first?.id ?? 0)...(page.last?.id ?? 0)
            let implementation = try await ContractImplementation.of(db, batchID: head.batch.id, agreements: range)
            for contract in builder.contracts(page, implementation: implementation, bureau: bureauRef) {
                if !first { chunk.append(UInt8(ascii: ",")) }
                first = false
                chunk.append(try encoder.encode(contract))
            }
            try out.write(contentsOf: chunk)
        }
        try out.write(contentsOf: Data("]".utf8) + whole[range.upperBound...])
    }

    struct Builder {
        let catalogue: Catalogue
        let results: [StoredResult]
        let date: String

        func description(_ specCode: String) -> String {
            guard let spec = catalogue.specByCode[specCode], let variety = catalogue.varietyByCode[spec.varietyCode] else { return specCode }
            return "\(variety.genericName) \(spec.dosageForm) \(spec.strength)"
        }

        func tenderItems() -> [Item] {
            catalogue.specs.map { Item(id: $0.code, description: description($0.code), quantity: nil, unit: Unit(name: $0.minimalUnit, value: nil)) }
        }

        func awards(_ totals: [String: (quantity: Int64, amountFen: Int64)]) -> [Award] {
            results.filter { $0.entry.role == .winner }.map { result in
                let spec = catalogue.specByCode[result.specCode]
                let total = totals[result.entry.productCode] ?? (0, 0)
                return Award(
                    id: "award-\(result.entry.productCode)", title: "\(description(result.specCode)) \(result.manufacturerName)", date: date,
                    value: Value(fen: total.amountFen), suppliers: [PartyRef(id: result.manufacturerCode, name: result.manufacturerName)],
                    items: [
                        Item(
                            id: result.entry.productCode, description: description(result.specCode), quantity: Decimal(total.quantity),
                            unit: Unit(
                                name: spec?.minimalUnit ?? "",
                                value: Value(fen: 0).with(unitPrice: result.entry.unitPrice(packSize: result.entry.packSize(of: spec)))))
                    ])
            }
        }

        func contracts(_ agreements: [StoredAgreement], implementation: [Int64: ContractImplementation] = [:], bureau: PartyRef? = nil) -> [Contract]
        {
            let makers = Dictionary(results.map { ($0.manufacturerCode, $0.manufacturerName) }, uniquingKeysWith: { first, _ in first })
            return agreements.map { agreement in
                let status: String =
                    switch agreement.status {
                    case .draft, .sent: "pending"
                    case .inForce: "active"
                    case .expired: "terminated"
                    }
                let signed = agreement.signatures.values.map(\.at).max().map(Timestamp.text)
                return Contract(
                    id: "agreement-\(agreement.id)", awardID: "award-\(agreement.productCode)",
                    title:
                        "\(agreement.institutionName) × \(makers[agreement.manufacturerCode] ?? agreement.manufacturerCode) 第\(agreement.yearIndex)协议年",
                    status: status,
                    period: Period(startDate: "\(agreement.year.start)T00:00:00+08:00", endDate: "\(agreement.year.lastDay)T23:59:59+08:00"),
                    value: Value(fen: agreement.amountFen),
                    items: [
                        Item(
                            id: agreement.productCode, description: description(catalogue.productByCode[agreement.productCode]?.specCode ?? ""),
                            quantity: Decimal(agreement.quantity), unit: nil)
                    ],
                    dateSigned: agreement.status == .inForce ? signed : nil,
                    implementation: implementation[agreement.id].map { Self.implementation($0, agreement: agreement, bureau: bureau) })
            }
        }

        static func implementation(_ done: ContractImplementation, agreement: StoredAgreement, bureau: PartyRef?) -> Implementation {
            let institution = PartyRef(id: agreement.institutionCode, name: agreement.institutionName)
            let payee = PartyRef(
                id: agreement.distributorCode ?? agreement.manufacturerCode, name: agreement.distributorName ?? agreement.manufacturerName)
            return Implementation(
                milestones: done.milestones.map { step in
                    Milestone(
                        id: "delivery-\(step.deliveryID)-\(agreement.id)", title: StoredDelivery.number(step.deliveryID),
                        status: step.acceptDate == nil ? "scheduled" : "met", dateMet: step.acceptDate.map { "\($0)T00:00:00+08:00" },
                        description: "发货\(step.shipDate) \(step.packs)包装" + (step.accepted.map { "，验收\($0)包装" } ?? ""))
                },
                transactions: done.transactions.map { payment in
                    Transaction(
                        id: payment.id, source: payment.bySettlement ? "urn:jicai:direct-settlement" : "urn:jicai:institution-payment",
                        date: "\(payment.day)T00:00:00+08:00",
                        value: Value(fen: payment.fen), payer: payment.bySettlement ? (bureau ?? institution) : institution, payee: payee)
                })
        }

        func parties(bureau: PartyRef, _ others: (institutions: [(String, String, String)], distributors: [(String, String)])) -> [Party] {
            var out: [String: Party] = [:]
            func add(_ id: String, _ name: String, _ region: String?, _ roles: [String]) {
                guard !id.isEmpty else { return }
                var party =
                    out[id]
                    ?? Party(
                        id: id, name: name, identifier: Identifier(id: id, legalName: name), address: region.map { Address(region: $0) }, roles: [])
                party.roles = Array(Set(party.roles + roles)).sorted()
                out[id] = party
            }
            add(bureau.id, bureau.name, nil, ["procuringEntity", "buyer", "payer"])
            for result in results { add(result.manufacturerCode, result.manufacturerName, nil, ["tenderer", "supplier"]) }
            for (code, name, region) in others.institutions { add(code, name, region, ["buyer", "payer"]) }
            for (code, name) in others.distributors { add(code, name, nil, ["payee"]) }
            return out.keys.sorted().map { out[$0]! }
        }
    }
}

extension OCDSExport.Value {
    /// A unit price: pack price ÷ pack size fen, in yuan, exact to the hundredth of a fen (the pack price is exact).
    func with(unitPrice: Ratio) -> OCDSExport.Value {
        var copy = self
        copy.amount = Decimal(unitPrice.numerator) / Decimal(unitPrice.denominator) / 100
        var rounded = Decimal()
        var amount = copy.amount
        NSDecimalRound(&rounded, &amount, 6, .plain)
        copy.amount = rounded
        return copy
    }
}
