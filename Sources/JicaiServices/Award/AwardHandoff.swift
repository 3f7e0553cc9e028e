import Foundation
import JicaiCore
import JicaiPersistence

/// What the award hands to the stages after it (monitoring now; supply and assessment next): they read the award
/// through these calls, never through the award's stores, so its tables can change without them.
extension AwardService {
    /// The award's phase, dates and agreement years.
    func state(batchID: Int64) async throws -> AwardState {
        try await AwardStore(db).state(batchID: batchID)
    }

    /// The batch's products classified against its current results and the listed non-winning products, and the
    /// winners' pack terms (pack price and size) by product.
    func classification(batchID: Int64, catalogue: Catalogue) async throws -> (PurchaseClassifier, [String: AgreementStore.ProductTerms]) {
        let award = AwardStore(db)
        let results = try await award.results(batchID: batchID)
        let classifier = PurchaseClassifier(
            catalogue: catalogue, results: results.map(\.entry), listings: try await ListingStore(db).listings(batchID: batchID))
        return (classifier, AgreementStore.ProductTerms.of(results, catalogue: catalogue))
    }

    /// Each holder's agreed quantity and amount of each product for one agreement year (the year's agreements, or
    /// before they exist the year's share of the agreed volume), for the holders given or all.
    func yearFigures(batchID: Int64, year: AgreementYear, holders: [Int64]?, terms: [String: AgreementStore.ProductTerms]) async throws -> [(
        institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64
    )] {
        try await AgreementStore(db).yearFigures(batchID: batchID, year: year, institutions: holders, terms: terms)
    }
}

extension ReportService {
    /// What demand reporting hands to the award: every report of the batch with its lines (spec codes by id).
    func reports(batchID: Int64, specCodes: [Int64: String]) async throws -> [Int64: StoredReport] {
        try await DemandStore(db).reports(batchID: batchID, specCodes: specCodes)
    }
}

extension AwardService {
    /// One agreement of the batch, as the supply stage orders under it.
    func agreement(batchID: Int64, id: Int64) async throws -> StoredAgreement? {
        try await AgreementStore(db).agreement(batchID: batchID, id: id)
    }

    /// An institution's agreements in force, for its order form (the supply stage's lines come from them).
    func agreementsInForce(batchID: Int64, institutionCode: String) async throws -> [StoredAgreement] {
        try await AgreementStore(db).list(batchID: batchID, scope: .institution(institutionCode), status: .inForce)
    }

    /// The winning products' pack price and pack size (what an order line is priced and counted by).
    func productTerms(_ head: BatchStore.Head) async throws -> [String: AgreementStore.ProductTerms] {
        AgreementStore.ProductTerms.of(try await AwardStore(db).results(batchID: head.batch.id), catalogue: try await catalogue(head))
    }
}

extension AwardService {
    /// A current result's manufacturer and the monitoring unit of its product (a supply-problem ticket is on one).
    func resultUnit(_ head: BatchStore.Head, productCode: String) async throws -> (manufacturerCode: String, unit: CheckUnit)? {
        guard let result = try await AwardStore(db).results(batchID: head.batch.id).first(where: { $0.entry.productCode == productCode }),
            let unit = try await catalogue(head).unit(ofSpec: result.specCode)
        else { return nil }
        return (result.manufacturerCode, unit)
    }
}

extension AwardService {
    /// Each institution's agreed amount of each agreement year (what its prepayment is a share of, 003 §8(一)).
    static func agreedByYear(_ db: DB, batchID: Int64) async throws -> [(institutionID: Int64, year: AgreementYear, amountFen: Int64)] {
        try await AgreementStore(db).agreedByYear(batchID: batchID)
    }
}

extension AwardService {
    /// The batch's current winning products with their manufacturer and spec, in product order.
    func winningProducts(batchID: Int64) async throws -> [(productCode: String, manufacturerName: String, specCode: String, manufacturerCode: String)]
    {
        try await AwardStore(db).results(batchID: batchID).map { ($0.entry.productCode, $0.manufacturerName, $0.specCode, $0.manufacturerCode) }
            .sorted { $0.0 < $1.0 }
    }
}
