import Foundation
import JicaiCore
import JicaiPersistence

@testable import JicaiServices

/// The tests' short way to a batch scope on a service's own database (`BatchScope.resolve`, the doors' one lookup).
protocol ScopeResolving {
    var db: DB { get }
}

extension ScopeResolving {
    func scope(_ batchCode: String, _ ctx: RequestContext) async throws -> BatchScope {
        try await BatchScope.resolve(batchCode, db: db, ctx: ctx)
    }

    /// A principal's scope at this moment.
    func scope(_ batchCode: String, _ principal: Principal) async throws -> BatchScope {
        try await scope(batchCode, RequestContext(principal: principal, ip: nil, at: Date()))
    }

    /// The command line's scope (the batch province's administrator named cli).
    func commandScope(_ batchCode: String) async throws -> BatchScope {
        try await BatchScope.command(batchCode, db: db)
    }
}

extension MonitorService: ScopeResolving {}
extension Services: ScopeResolving {}
extension AwardService: ScopeResolving {}
extension AgreementService: ScopeResolving {}
extension OCDSExport: ScopeResolving {}
extension ReportService: ScopeResolving {}
extension ExportService: ScopeResolving {}
extension SupplyService: ScopeResolving {}
extension AssessmentService: ScopeResolving {}
