import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// Loads a demo province into a database through the same imports a bureau uses, then runs the checks.
public struct DemoService: Sendable {
    public let db: DB
    public let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// Reads the national division table shipped with the app.
    public static func divisions(path: String) throws -> [Region] { try RegionTable.read(path).map(\.value) }

    public struct Result: Sendable {
        public var statistics: DemoStatistics
        public var imports: [ImportSummary]
        public var checks: CheckRunSummary
    }

    /// Generates the files into `directory` (a temporary one when nil) and imports them.
    public func load(_ province: DemoProvince, directory: URL? = nil, progress: (any ProgressSink)? = nil) async throws -> Result {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("jicai-demo-\(UUID().uuidString)")
        let (files, stats) = try province.write(to: dir)
        defer { if directory == nil { try? FileManager.default.removeItem(at: dir) } }
        let imports = ImportService(db: db, now: now)
        var done: [ImportSummary] = []
        done.append(try await imports.importRegions(path: files.regions.path, actor: .system))
        done.append(try await imports.importOrganisations(path: files.institutions.path, actor: .system))
        done.append(
            try await imports.importCatalogue(
                path: files.catalogue.path, batchCode: DemoProvince.batchCode, batchName: DemoProvince.batchName,
                provinceCode: DemoProvince.provinceCode, actor: .system))
        done.append(try await imports.importProducts(path: files.products.path, batchCode: DemoProvince.batchCode, actor: .system))
        done.append(try await imports.importHistory(path: files.history.path, batchCode: DemoProvince.batchCode, actor: .system, progress: progress))
        done.append(try await imports.importDemand(path: files.demand.path, batchCode: DemoProvince.batchCode, actor: .system))
        let checks = try await CheckService(db: db, now: now).run(batchCode: DemoProvince.batchCode, actor: .system)
        return Result(statistics: stats, imports: done, checks: checks)
    }
}
