import Foundation
import JicaiCore
import JicaiPersistence

extension AccountService {
    /// One page of the accounts an administrator manages (its region's accounts and those of its organisations).
    public func accountPage(
        text: String?, role: Role?, state: AccountFilter.State?, sort: ListOrder<AccountColumn>, page: PageRequest,
        ctx: RequestContext
    ) async throws -> Page<StoredUser> {
        guard Authorizer.canManageAccounts(ctx.principal), let prefix = ctx.principal.regionPrefix else { throw ServiceError.forbidden }
        return try await UserStore(db).page(
            filter: AccountFilter(regionPrefix: prefix, text: text, role: role, state: state), sort: sort,
            page: page, at: ctx.at)
    }

    /// One page of the audit log, for the province.
    public func auditPage(filter: AuditFilter, sort: ListOrder<AuditColumn>, page: PageRequest, ctx: RequestContext) async throws -> Page<AuditEntry>
    {
        guard Authorizer.canSeeProvince(ctx.principal) else { throw ServiceError.forbidden }
        return try await AuditLog(db).page(filter: filter, sort: sort, page: page)
    }
}
