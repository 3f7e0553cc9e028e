import Foundation
import JicaiCore
import JicaiPersistence

/// The batch's reporting imports through the scope: the province's administrator of the batch's province only (the
/// command line acts as that administrator). Each is audited under the scope's name.
extension BatchScope {
    /// The province's administrator of this batch, or FORBIDDEN.
    func requireAdministrator() throws {
        guard Authorizer.canAdminister(principal, provinceCode: batch.provinceCode) else { throw Refusal.forbidden }
    }
}

extension ImportService {
    /// Loads the batch's products (brands) file.
    public func importProducts(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try scope.requireAdministrator()
        return try await importProducts(path: path, batchCode: scope.code, actor: scope.actor)
    }

    /// Replaces the batch's purchase history with the file's rows (streamed; `importHistory(path:…)`).
    public func importHistory(_ scope: BatchScope, path: String, progress: (any ProgressSink)? = nil) async throws -> ImportSummary {
        try scope.requireAdministrator()
        return try await importHistory(path: path, batchCode: scope.code, actor: scope.actor, progress: progress)
    }

    /// Loads institutions' demand from a file (the province's bulk entry).
    public func importDemand(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try scope.requireAdministrator()
        return try await importDemand(path: path, batchCode: scope.code, actor: scope.actor)
    }
}

extension CheckService {
    /// Runs every rule check of the batch and stores the findings (the province's administrator).
    public func run(_ scope: BatchScope, progress: (any ProgressSink)? = nil) async throws -> CheckRunSummary {
        try scope.requireAdministrator()
        return try await run(batchCode: scope.code, actor: scope.actor, progress: progress)
    }
}
