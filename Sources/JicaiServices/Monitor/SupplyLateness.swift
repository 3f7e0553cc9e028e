import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    /// The supply alerts of a recompute (`SupplyAlerts`): the platform's orders unconfirmed past the supply policy's
    /// days and its accepted deliveries unpaid past their due date, as of the run's day, per agreement holder (a
    /// community's lead stands for its members, as in the positions) and unit. Only the given holders in a partial run.
    func supplyFindings(
        _ context: Context, day: CivilDate, classifier: PurchaseClassifier,
        holders given: (ids: [Int64]?, of: [Int64: Int64], byID: [Int64: ReportingOrganisation])
    ) async throws -> [AlertFinding] {
        let (batchID, year, policy) = (context.head.batch.id, context.year(of: day), context.head.batch.policy.supply)
        let (holders, holderOf, byID) = given
        let store = SupplyLatenessStore(db)
        let wanted = holders.map(Set.init)
        var late: [String: SupplyLateness] = [:]
        func lateness(_ institution: Int64, _ product: String, _ body: (inout SupplyLateness) -> Void) {
            let holder = holderOf[institution] ?? institution
            guard wanted?.contains(holder) ?? true, let code = byID[holder]?.code, let unit = classifier.classify(product)?.unit.key else { return }
            let key = "\(code) \(unit)"
            var entry = late[key] ?? SupplyLateness(institutionCode: code, unitKey: unit, yearStart: year.start)
            body(&entry)
            late[key] = entry
        }
        for line in try await store.unconfirmed(batchID: batchID, on: day) {
            lateness(line.institutionID, line.productCode) { $0.order(line.orderID, ordered: line.orderDate, on: day, policy: policy) }
        }
        for line in try await store.overdue(batchID: batchID, on: day) {
            lateness(line.institutionID, line.productCode) { $0.delivery(line.deliveryID, due: line.dueDate, unpaidFen: line.unpaidFen, on: day) }
        }
        return late.keys.sorted().flatMap { key in late[key].map { SupplyAlerts.evaluate($0, policy: policy) } ?? [] }
    }
}
