import Foundation
import JicaiCore
import SQLKit

extension UserStore {
    /// One page of accounts with the number the filter matches.
    public func page(filter: AccountFilter, sort: ListOrder<AccountColumn>, page: PageRequest, at: Date) async throws -> Page<StoredUser> {
        var query = PagedQuery(from: "users")
        if let prefix = filter.regionPrefix {
            query.add(
                .sql(
                    ListSQL.region("region_code", prefix) + " OR organisation_code IN (SELECT code FROM organisations WHERE "
                        + ListSQL.region("region_code", prefix) + ")"))
        }
        if let text = filter.text { query.add(.contains(["username", "display_name", "organisation_code"], text)) }
        query.add(.equals("role", filter.role?.rawValue))
        switch filter.state {
        case nil: break
        case .active?: query.add(.equals("active", .bool(true)))
        case .disabled?: query.add(.equals("active", .bool(false)))
        case .locked?: query.add(.sql("locked_until IS NOT NULL AND locked_until > \(bind: Timestamp.text(at))"))
        case .initial?: query.add(.equals("must_change", .bool(true)))
        }
        let column: SQLQueryString =
            switch sort.column {
            case .username: "username"
            case .name: "display_name"
            case .role: "role"
            case .organisation: "COALESCE(organisation_code, region_code)"
            }
        return try await query.page(
            db, select: "\(unsafeRaw: UserStore.columns)", orderBy: column + (sort.descending ? " DESC" : " ASC") + ", username", page: page,
            as: Row.self, \.user)
    }
}
