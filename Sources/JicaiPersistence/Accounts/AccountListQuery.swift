import Foundation
import JicaiCore
import SQLKit

extension UserStore {
    /// One page of accounts with the number the filter matches.
    public func page(filter: AccountFilter, sort: ListOrder<AccountColumn>, page: PageRequest, at: Date) async throws -> Page<StoredUser> {
        var w: SQLQueryString = " FROM users WHERE 1 = 1"
        if let prefix = filter.regionPrefix {
            w =
                w + " AND (" + ListSQL.region("region_code", prefix) + " OR organisation_code IN (SELECT code FROM organisations WHERE "
                + ListSQL.region("region_code", prefix) + "))"
        }
        if let t = filter.text {
            let p = ListSQL.likePattern(t)
            w =
                w
                + " AND (username LIKE \(bind: p) ESCAPE '\\' OR display_name LIKE \(bind: p) ESCAPE '\\' OR organisation_code LIKE \(bind: p) ESCAPE '\\')"
        }
        if let role = filter.role { w = w + " AND role = \(bind: role.rawValue)" }
        switch filter.state {
        case nil: break
        case .active?: w = w + " AND active = \(bind: true)"
        case .disabled?: w = w + " AND active = \(bind: false)"
        case .locked?: w = w + " AND locked_until IS NOT NULL AND locked_until > \(bind: Timestamp.text(at))"
        case .initial?: w = w + " AND must_change = \(bind: true)"
        }
        let column: SQLQueryString =
            switch sort.column {
            case .username: "username"
            case .name: "display_name"
            case .role: "role"
            case .organisation: "COALESCE(organisation_code, region_code)"
            }
        let total = try await db.scalar("SELECT COUNT(*) AS v" + w)
        let rows = try await db.all(
            "SELECT \(unsafeRaw: UserStore.columns)" + w + " ORDER BY " + column + (sort.descending ? " DESC" : " ASC")
                + ", username LIMIT \(bind: page.size) OFFSET \(bind: page.offset)", as: Row.self)
        return Page(items: rows.compactMap(\.user), total: total, request: page)
    }
}
