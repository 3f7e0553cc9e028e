import FluentKit
import SQLKit

/// Every migration, in order. Each runs on SQLite and PostgreSQL; landed migrations are never edited.
public enum JicaiMigrations {
    public static let all: [any Migration] = [
        M001Accounts(),
        M002Catalogue(),
        M003History(),
        M004Demand(),
        M005Audit(),
        M006ClusteredTotals(),
        M007Web(),
        M008HistoryIndex(),
        M009TokenExpiry(),
        M010CatalogueStamp(),
        M011Award(),
        M012AwardListings(),
        M013AwardDeadline(),
        M014Monitor(),
        M015CityReports(),
        M016PurchaseImportIndex(),
        M017PurchaseImports(),
        M018MonthTallyIndex(),
        M019PackedMonths(),
        M020DerivedStatistics(),
        M021Fidelity(),
        M022Supply(),
        M023ProductParts(),
        M024Assessment(),
        M025HistoryPrices(),
        M026AssessmentPrices(),
    ]
}

/// A migration written as plain SQL statements, one list up and one down.
protocol SQLMigration: AsyncMigration {
    func up(_ db: DB) -> [String]
    var tables: [String] { get }
}

extension SQLMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        for statement in up(db) { try await db.sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        for table in tables.reversed() {
            let statement: String = "DROP TABLE IF EXISTS \(table)"
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
    }
}
