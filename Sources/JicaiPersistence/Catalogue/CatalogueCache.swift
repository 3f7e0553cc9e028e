import Foundation
import JicaiCore
import Metrics

/// The decoded catalogues of the batches a server is working on, keyed by the batch's catalogue stamp (a random
/// value the database replaces on every catalogue change, before and after the change, and on every change of the
/// award's state or the history's price sums, which values `derived` from them follow). Every request still reads
/// the batch row, so a catalogue replaced by another process or through the CLI is seen at the next request; what
/// is saved is decoding 260 specs and their products from three queries on every save (about 40% of a save's CPU
/// before the cache). Decoded policies are kept by their stored text the same way.
public final class CatalogueCache: @unchecked Sendable {
    /// What one stamp stands for: the catalogue and the spec code → row id index.
    public struct Entry: Sendable {
        public var catalogue: Catalogue
        public var specIDs: [String: Int64]
    }

    public static let shared = CatalogueCache()
    /// A province works on a handful of batches at once; beyond this the oldest entry goes.
    static let capacity = 16

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var entryOrder: [String] = []
    private var policies: [String: BatchPolicy] = [:]
    private var policyOrder: [String] = []
    private var counts = (hits: 0, misses: 0)
    private var checkers: [(stamp: String, policy: BatchPolicy, checker: DemandChecker)] = []
    private var derivedValues: [String: any Sendable] = [:]
    private var derivedOrder: [String] = []

    public init() {}

    /// 128 random bits as hex.
    public static func newStamp() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }

    public func entry(stamp: String) -> Entry? {
        let found = lock.withLock {
            let entry = entries[stamp]
            if entry == nil { counts.misses += 1 } else { counts.hits += 1 }
            return entry
        }
        Counter(label: "jicai_catalogue_cache_lookups_total", dimensions: [("result", found == nil ? "miss" : "hit")]).increment()
        return found
    }

    public func store(_ entry: Entry, stamp: String) {
        lock.withLock {
            if entries[stamp] == nil { entryOrder.append(stamp) }
            entries[stamp] = entry
            while entryOrder.count > Self.capacity { entries[entryOrder.removeFirst()] = nil }
        }
    }

    /// The policy decoded from its stored JSON text, decoded once per distinct text.
    public func policy(json: String) throws -> BatchPolicy {
        if let cached = lock.withLock({ policies[json] }) { return cached }
        let decoded = try JSONDecoder().decode(BatchPolicy.self, from: Data(json.utf8))
        lock.withLock {
            if policies[json] == nil { policyOrder.append(json) }
            policies[json] = decoded
            while policyOrder.count > Self.capacity { policies[policyOrder.removeFirst()] = nil }
        }
        return decoded
    }

    /// The checker of a catalogue under a policy, built once per stamp and policy (building one indexes every spec).
    public func checker(stamp: String?, catalogue: Catalogue, policy: BatchPolicy) -> DemandChecker {
        guard let stamp else { return DemandChecker(catalogue: catalogue, policy: policy) }
        if let hit = lock.withLock({ checkers.first { $0.stamp == stamp && $0.policy == policy }?.checker }) { return hit }
        let made = DemandChecker(catalogue: catalogue, policy: policy)
        lock.withLock {
            checkers.append((stamp, policy, made))
            if checkers.count > Self.capacity { checkers.removeFirst() }
        }
        return made
    }

    /// A value derived from a batch's stored data under its stamp (the demand form's what-if facts), made once per
    /// stamp and name; the stamp is renewed whenever the catalogue, the award's results or the history change.
    public func derived<T: Sendable>(stamp: String?, name: String, make: () async throws -> T) async throws -> T {
        guard let stamp else { return try await make() }
        let key = stamp + "|" + name
        if let hit = lock.withLock({ derivedValues[key] }) as? T { return hit }
        let made = try await make()
        lock.withLock {
            if derivedValues[key] == nil { derivedOrder.append(key) }
            derivedValues[key] = made
            while derivedOrder.count > Self.capacity { derivedValues[derivedOrder.removeFirst()] = nil }
        }
        return made
    }

    /// Hits and misses of catalogue lookups since start (for /metrics and the tests).
    public var statistics: (hits: Int, misses: Int) { lock.withLock { counts } }
}
