import Foundation
import JicaiCore
import SQLKit

/// Batches, their policy and catalogue (varieties, specs, products).
public struct BatchStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    private struct Row: Decodable {
        var id: Int64
        var code: String
        var name: String
        var province_code: String
        var policy: String
    }

    private func record(_ r: Row) throws -> BatchRecord {
        BatchRecord(
            id: r.id, code: r.code, name: r.name, provinceCode: r.province_code,
            policy: try CatalogueCache.shared.policy(json: r.policy))
    }

    /// A batch with its lock state and catalogue stamp, in one read.
    public struct Head: Sendable {
        public var batch: BatchRecord
        public var state: BatchState
        public var catalogueStamp: String?
    }

    public func head(code: String) async throws -> Head? {
        struct R: Decodable {
            var id: Int64
            var code: String
            var name: String
            var province_code: String
            var policy: String
            var locked_at: String?
            var sealed_file_id: Int64?
            var catalogue_stamp: String?
        }
        guard
            let row = try await db.first(
                """
                SELECT id, code, name, province_code, policy, locked_at, sealed_file_id, catalogue_stamp FROM batches WHERE code = \(bind: code)
                """, as: R.self)
        else { return nil }
        let batch = try record(Row(id: row.id, code: row.code, name: row.name, province_code: row.province_code, policy: row.policy))
        return Head(
            batch: batch, state: BatchState(lockedAt: row.locked_at.flatMap(Timestamp.date), sealedFileID: row.sealed_file_id),
            catalogueStamp: row.catalogue_stamp)
    }

    /// The batch's catalogue and spec index from the process's `CatalogueCache` when its stamp is current, read
    /// and decoded (and kept) otherwise. Nil when the batch has no catalogue.
    public func cachedCatalogue(_ head: Head, cache: CatalogueCache = .shared) async throws -> CatalogueCache.Entry? {
        if let stamp = head.catalogueStamp, let hit = cache.entry(stamp: stamp) { return hit }
        guard let catalogue = try await catalogue(batchID: head.batch.id) else { return nil }
        let entry = CatalogueCache.Entry(catalogue: catalogue, specIDs: try await specIndex(batchID: head.batch.id))
        if let stamp = head.catalogueStamp { cache.store(entry, stamp: stamp) }
        return entry
    }

    /// Gives the batch a new catalogue stamp. Called before and after every catalogue change: a reader that saw the
    /// first new stamp with a half-changed catalogue keeps it under a stamp that the second change retires.
    func renewCatalogueStamp(batchID: Int64) async throws {
        try await db.run("UPDATE batches SET catalogue_stamp = \(bind: CatalogueCache.newStamp()) WHERE id = \(bind: batchID)")
    }

    public func batch(code: String) async throws -> BatchRecord? {
        try await db.first("SELECT id, code, name, province_code, policy FROM batches WHERE code = \(bind: code)", as: Row.self).map(record)
    }

    public func batches() async throws -> [BatchRecord] {
        try await db.all("SELECT id, code, name, province_code, policy FROM batches ORDER BY id", as: Row.self).map(record)
    }

    public func create(code: String, name: String, provinceCode: String, policy: BatchPolicy, at: Date) async throws -> BatchRecord {
        let id = try await db.scalar("SELECT MAX(id) AS v FROM batches") + 1
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        try await db.run(
            """
            INSERT INTO batches (id, code, name, province_code, policy, created_at, catalogue_stamp)
            VALUES (\(bind: id), \(bind: code), \(bind: name), \(bind: provinceCode), \(bind: json), \(bind: Timestamp.text(at)),
                    \(bind: CatalogueCache.newStamp()))
            """)
        return BatchRecord(id: id, code: code, name: name, provinceCode: provinceCode, policy: policy)
    }

    public func updatePolicy(batchID: Int64, _ policy: BatchPolicy) async throws {
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        try await db.run("UPDATE batches SET policy = \(bind: json) WHERE id = \(bind: batchID)")
    }

    /// Rows of history and demand that refer to the batch's specs (a catalogue is only replaced while both are 0).
    public func dependentRows(batchID: Int64) async throws -> Int64 {
        let historyRows = try await db.scalar("SELECT COUNT(*) AS v FROM history_totals WHERE batch_id = \(bind: batchID)")
        let demandRows = try await db.scalar("SELECT COUNT(*) AS v FROM demand_lines WHERE batch_id = \(bind: batchID)")
        return historyRows + demandRows
    }

    /// Replaces the batch's varieties and specs (products of removed specs go too).
    public func replaceCatalogue(batchID: Int64, _ catalogue: Catalogue) async throws {
        try await renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM varieties WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM specs WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM products WHERE batch_id = \(bind: batchID)")
        try await db.insert(
            into: "varieties",
            columns: ["batch_id", "code", "generic_name", "route", "key_monitored", "antimicrobial", "restricted_indication", "rising", "position"],
            rows: catalogue.varieties.enumerated().map { i, v in
                [
                    .int(batchID), .text(v.code), .text(v.genericName), .text(v.route), .bool(v.flags.keyMonitored),
                    .bool(v.flags.antimicrobial), .bool(v.flags.restrictedIndication), .bool(v.flags.rising), .int(Int64(i)),
                ]
            })
        var nextID = try await db.scalar("SELECT MAX(id) AS v FROM specs") + 1
        var rows: [[DBValue]] = []
        for spec in catalogue.specs {
            rows.append([
                .int(nextID), .int(batchID), .text(spec.code), .text(spec.varietyCode), .text(spec.dosageForm), .text(spec.strength),
                .text(spec.content.amountText), .text(spec.content.unit.rawValue), .text(spec.minimalUnit), .int(spec.packSize),
                .bool(spec.passedEvaluation), .bool(spec.essential), .bool(spec.nonSubstitutable), .text(spec.insuranceCode?.value),
            ])
            nextID += 1
        }
        try await db.insert(
            into: "specs",
            columns: [
                "id", "batch_id", "code", "variety_code", "dosage_form", "strength", "content_amount", "content_unit", "minimal_unit",
                "pack_size", "passed_evaluation", "essential", "non_substitutable", "insurance_code",
            ],
            rows: rows)
        try await insertProducts(batchID: batchID, catalogue.products)
        try await renewCatalogueStamp(batchID: batchID)
    }

    public func replaceProducts(batchID: Int64, _ products: [Product]) async throws {
        try await renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM products WHERE batch_id = \(bind: batchID)")
        try await insertProducts(batchID: batchID, products)
        try await renewCatalogueStamp(batchID: batchID)
    }

    private func insertProducts(batchID: Int64, _ products: [Product]) async throws {
        try await db.insert(
            into: "products", columns: ["batch_id", "code", "spec_code", "manufacturer_name", "manufacturer_code", "brand"],
            rows: products.map { p in
                [.int(batchID), .text(p.code), .text(p.specCode), .text(p.manufacturerName), .text(p.manufacturerCode?.value), .text(p.brand)]
            })
    }

    /// The batch's catalogue with its products. An empty batch gives nil.
    public func catalogue(batchID: Int64) async throws -> Catalogue? {
        struct V: Decodable {
            var code: String
            var generic_name: String
            var route: String
            var key_monitored: Bool
            var antimicrobial: Bool
            var restricted_indication: Bool
            var rising: Bool
        }
        struct S: Decodable {
            var code: String, variety_code: String, dosage_form: String, strength: String, content_amount: String, content_unit: String
            var minimal_unit: String, pack_size: Int64, passed_evaluation: Bool, essential: Bool, non_substitutable: Bool, insurance_code: String?
        }
        struct P: Decodable {
            var code: String
            var spec_code: String
            var manufacturer_name: String
            var manufacturer_code: String?
            var brand: String
        }
        let vs = try await db.all(
            "SELECT code, generic_name, route, key_monitored, antimicrobial, restricted_indication, rising FROM varieties WHERE batch_id = \(bind: batchID) ORDER BY position",
            as: V.self)
        guard !vs.isEmpty else { return nil }
        let ss = try await db.all(
            "SELECT code, variety_code, dosage_form, strength, content_amount, content_unit, minimal_unit, pack_size, passed_evaluation, essential, non_substitutable, insurance_code FROM specs WHERE batch_id = \(bind: batchID) ORDER BY id",
            as: S.self)
        let ps = try await db.all(
            "SELECT code, spec_code, manufacturer_name, manufacturer_code, brand FROM products WHERE batch_id = \(bind: batchID) ORDER BY code",
            as: P.self)
        let varieties = vs.map {
            Variety(
                code: $0.code, genericName: $0.generic_name, route: $0.route,
                flags: VarietyFlags(
                    keyMonitored: $0.key_monitored, antimicrobial: $0.antimicrobial, restrictedIndication: $0.restricted_indication, rising: $0.rising
                ))
        }
        let specs = ss.compactMap { s -> Spec? in
            guard let unit = EffectiveContent.Unit(rawValue: s.content_unit), let content = EffectiveContent(amount: s.content_amount, unit: unit)
            else { return nil }
            return Spec(
                code: s.code, varietyCode: s.variety_code, dosageForm: s.dosage_form, strength: s.strength, content: content,
                minimalUnit: s.minimal_unit, packSize: s.pack_size, passedEvaluation: s.passed_evaluation, essential: s.essential,
                nonSubstitutable: s.non_substitutable, insuranceCode: s.insurance_code.flatMap { try? InsuranceDrugCode.parse($0).get() })
        }
        let products = ps.map {
            Product(
                code: $0.code, specCode: $0.spec_code, manufacturerName: $0.manufacturer_name,
                manufacturerCode: $0.manufacturer_code.flatMap { try? CreditCode.parse($0).get() }, brand: $0.brand)
        }
        return try Catalogue(varieties: varieties, specs: specs, products: products)
    }

    /// Spec code → row id for the batch.
    public func specIndex(batchID: Int64) async throws -> [String: Int64] {
        struct Row: Decodable {
            var id: Int64
            var code: String
        }
        let rows = try await db.all("SELECT id, code FROM specs WHERE batch_id = \(bind: batchID)", as: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0.id) })
    }
}
