import Foundation
import JicaiCore
import SQLKit

extension UserStore {
    /// One page of accounts with the number the filter matches.
    public func page(filter: AccountFilter, sort: ListOrder<AccountColumn>, page: PageRequest, at: Date) async throws -> Page<StoredUser> {
        var condition: SQLQueryString = " FROM users WHERE 1 = 1"
        if let prefix = filter.regionPrefix {
            condition =
                condition + " AND (" + ListSQL.region("region_code", prefix) + " OR organisation_code IN (SELECT code FROM organisations WHERE "
                + ListSQL.region("region_code", prefix) + "))"
        }
        if let text = filter.text {
            let pattern = ListSQL.likePattern(text)
            condition =
                condition
                + " AND (username LIKE \(bind: pattern) ESCAPE '\\' OR display_name LIKE \(bind: pattern) ESCAPE '\\' OR organisation_code LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let role = filter.role { condition = condition + " AND role = \(bind: role.rawValue)" }
        switch filter.state {
        case nil: break
        case .active?: condition = condition + " AND active = \(bind: true)"
        case .disabled?: condition = condition + " AND active = \(bind: false)"
        case .locked?: condition = condition + " AND locked_until IS NOT NULL AND locked_until > \(bind: Timestamp.text(at))"
        case .initial?: condition = condition + " AND must_change = \(bind: true)"
        }
        let column: SQLQueryString =
            switch sort.column {
            case .username: "username"
            case .name: "display_name"
            case .role: "role"
            case .organisation: "COALESCE(organisation_code, region_code)"
            }
        let total = try await db.scalar("SELECT COUNT(*) AS v" + condition)
        let rows = try await db.all(
            "SELECT \(unsafeRaw: UserStore.columns)" + condition + " ORDER BY " + column + (sort.descending ? " DESC" : " ASC")
                + ", username LIMIT \(bind: page.size) OFFSET \(bind: page.offset)", as: Row.self)
        return Page(items: rows.compactMap(\.user), total: total, request: page)
    }
}
