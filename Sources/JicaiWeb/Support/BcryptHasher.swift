import Crypto
import Foundation
import JicaiServices
import NIOConcurrencyHelpers
import Vapor

/// bcrypt through Vapor; generated initial passwords use a lower cost (they are one-time and must be changed at
/// first log-in), so creating 50,000 institution accounts takes minutes, not hours.
public struct BcryptHasher: PasswordHashing {
    public var cost: Int
    public var initialCost: Int
    /// A hash to verify against when the user name does not exist; made at the first such log-in, not at start-up
    /// (every CLI command configures the app, and a cost-12 hash is 0.2 s).
    private let dummy = NIOLockedValueBox<String?>(nil)

    public init(cost: Int = 12, initialCost: Int = 8) {
        self.cost = cost
        self.initialCost = initialCost
    }

    /// bcrypt is deliberately slow (≈ 0.25 s at cost 12): it runs on a pool of its own, neither on the cooperative
    /// executor that serves every other request nor on NIO's shared pool, where SQLite does its blocking I/O (a load
    /// run with bcrypt on the shared pool starved SQLite into connection time-outs).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BcryptHasher.pool.runIfActive(body)
    }

    public func hash(_ password: String) async throws -> String {
        let rounds = cost
        return try await offload { try Bcrypt.hash(password, cost: rounds) }
    }
    public func hashInitial(_ password: String) async throws -> String {
        let cost = initialCost
        return try await offload { try Bcrypt.hash(password, cost: cost) }
    }
    public func verify(_ password: String, hash: String) async throws -> Bool { try await offload { try Bcrypt.verify(password, created: hash) } }
    public func verifyNothing(_ password: String) async {
        let box = dummy
        let rounds = cost
        _ = try? await offload {
            let hash = try box.withLockedValue { d in
                if let d { return d }
                let hash = try Bcrypt.hash("jicai-no-such-account", cost: rounds)
                d = hash
                return hash
            }
            return try Bcrypt.verify(password, created: hash)
        }
    }
}
