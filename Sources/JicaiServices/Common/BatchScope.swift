import Foundation
import JicaiCore
import JicaiPersistence

/// One batch as one request (a page, an API call) or one command sees it: the batch's row, its state and catalogue
/// stamp read once, and who asks. Every stage service's operation on a batch takes a scope, so a handler cannot reach
/// an operation without one, and the batch is not looked up again by each call of the request.
///
/// Only this module makes scopes (`Services.scope(_:ctx:)`, `BatchScope.resolve`, `BatchScope.command`): the web layer and the
/// command line cannot build one that skipped the lookup or the "may see this batch" check. What a principal may do
/// inside the batch (manage, see a region, its own institution) is decided by each stage's `access` from the scope.
public struct BatchScope: Sendable {
    public let head: BatchStore.Head
    public let ctx: RequestContext

    init(head: BatchStore.Head, ctx: RequestContext) {
        self.head = head
        self.ctx = ctx
    }

    public var batch: BatchRecord { head.batch }
    public var code: String { head.batch.code }
    public var principal: Principal { ctx.principal }
    /// The name the audit log records for what this scope changes.
    var actor: AuditActor { AuditActor(ctx.principal.username) }

    /// The scope of a command run on the server without `--as`: the administrator of the batch's province, named
    /// "cli" in the audit log.
    public static func command(_ batchCode: String, db: DB, at: Date = Date()) async throws -> BatchScope {
        guard let head = try await BatchStore(db).head(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        return BatchScope(head: head, ctx: .commandLine(provinceCode: head.batch.provinceCode, at: at))
    }

    /// Resolves a batch for a principal: one read of its row, then the check that the principal may see the batch
    /// (a batch of another province is FORBIDDEN; an unknown code BATCH_NOT_FOUND). A command run as a named account
    /// (`--as USER`) resolves its scope so, with that account's checks.
    public static func resolve(_ batchCode: String, db: DB, ctx: RequestContext) async throws -> BatchScope {
        guard let head = try await BatchStore(db).head(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        guard Authorizer.canSeeBatch(ctx.principal, provinceCode: head.batch.provinceCode) else { throw Refusal.forbidden }
        return BatchScope(head: head, ctx: ctx)
    }
}

extension RequestContext {
    /// The command line's context: the operator on the server acts as the administrator of the batch's province,
    /// under the name "cli" in the audit log, through the same doors and checks as the pages.
    public static func commandLine(provinceCode: String, at: Date = Date()) -> RequestContext {
        RequestContext(principal: Principal(username: AuditActor.cli.name, role: .provinceAdmin, regionCode: provinceCode), ip: nil, at: at)
    }
}

extension Services {
    /// Resolves the batch of a request (`BatchScope.resolve`).
    public func scope(_ batchCode: String, ctx: RequestContext) async throws -> BatchScope {
        try await BatchScope.resolve(batchCode, db: db, ctx: ctx)
    }
}
