import Foundation
import JicaiCore
import JicaiPersistence

/// The recompute's machinery: the purchase lines streamed from the engine into `PositionFold`s, in parallel where
/// the engine reads beside a long query, and the fold's results written back. The rules it applies are JicaiCore's
/// (`PositionAccumulator`, `PositionRules`); `Recompute.swift` is the use case around it.
extension MonitorService {
    /// Writes a fold's monthly tallies, regional sums and positions in the run's transaction (a full run's tables
    /// are refilled, then analysed on PostgreSQL).
    func write(
        _ fold: PositionFold, batchID: Int64, holders: [Int64]?, regions: [String], _ store: MonitorStore, _ progress: (@Sendable (String) -> Void)?
    ) async throws {
        progress?("write: \(fold.monthCount) monthly tallies of \(fold.unitMonths.count) institution units")
        try await store.replaceTallies(
            batchID: batchID, holders: holders, regions: Set(regions), fold.unitMonths, unitKeys: fold.unitKeys, rollup: fold.rollup)
        progress?("write: \(fold.positions.count) positions")
        try await store.insertPositions(batchID: batchID, fold.positions)
        if holders == nil { try await store.analyseRefilled() }
    }

    /// Streams the purchase lines (accepted, and open orders) into folds and finishes them. The engine reads and the
    /// folds run side by side: the rows go over streams to folds in other tasks (inside the engine's row callback
    /// one thread did both). On PostgreSQL, whose rows come once its aggregate is done, two folds share the holders
    /// by the parity of their ids; SQLite's reading keeps one core busy, so one fold keeps up with it.
    func foldLines(
        batchID: Int64, day: CivilDate, yearStart: CivilDate, overdueBefore: CivilDate, purchasers: [Int64]?, _ start: PositionFold,
        agreed: @escaping @Sendable () async throws -> [(institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64)]
    ) async throws -> (PositionFold, lines: Int64) {
        let workers = db.readsBeside ? 2 : 1
        let products = start.products
        let holderOf = start.holderOf
        // The agreed figures may still be on their way: the folds add lines meanwhile and finish holders once they
        // are there.
        let arrived = Arrival<PositionFold.AgreedFigures>()
        let fetching = Task {
            let figures = PositionFold.group(try await agreed())
            arrived.put(figures)
            return figures
        }
        var feeds: [AsyncStream<(Int64, [AcceptedLine], [OpenSum])>.Continuation] = []
        var folding: [Task<PositionFoldBox, any Error>] = []
        for worker in 0..<workers {
            let (rows, feed) = AsyncStream.makeStream(of: (Int64, [AcceptedLine], [OpenSum]).self)
            feeds.append(feed)
            let box = PositionFoldBox(start)
            folding.append(
                Task { () throws -> PositionFoldBox in
                    var fold = box.value
                    fold.share = (worker, workers)
                    for await (institution, lines, open) in rows {
                        if !fold.agreedSet, let figures = arrived.value { fold.setAgreed(figures) }
                        fold.add(institution: institution, lines, open: open)
                    }
                    if !fold.agreedSet { fold.setAgreed(try await fetching.value) }
                    fold.finish()
                    return PositionFoldBox(fold)
                })
        }
        let streams = feeds
        func finishFeeds() { for feed in streams { feed.finish() } }
        let count: Int64
        do {
            count = try await PurchaseStore(db).forEachLine(
                batchID: batchID, asOf: day, yearStart: yearStart, overdueBefore: overdueBefore, institutions: purchasers, products: products
            ) { institution, lines, open in
                let holder = holderOf[institution] ?? institution
                streams[Int(holder.magnitude % UInt64(workers))].yield((institution, lines, open))
            }
        } catch {
            finishFeeds()
            fetching.cancel()
            for task in folding { _ = try? await task.value }
            throw error
        }
        finishFeeds()
        var fold = try await folding[0].value.value
        for task in folding.dropFirst() { fold.merge(try await task.value.value) }
        return (fold, count)
    }
}
