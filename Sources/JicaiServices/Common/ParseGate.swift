import Foundation
import JicaiCore

/// Runs the parsing of uploaded files on threads of their own, at most `InputLimits.concurrentParses` at once:
/// never on the event loops or the cooperative pool that serve every other request, so a slow or hostile file costs
/// its uploader a wait and an error, and nobody else a core. One account parses one file at a time: its second file
/// waits for its first while other accounts' files take the free slot, so one uploader's two big forms cannot hold
/// every slot while a small file of somebody else waits.
public actor ParseGate {
    public static let shared = ParseGate(limit: InputLimits.concurrentParses)

    private let limit: Int
    private var running = 0
    private var runningOwners: [String: Int] = [:]
    private var waiting: [(owner: String?, resume: CheckedContinuation<Void, Never>)] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Parses in `body` once a slot is free (and, with an `owner`, once that account has no parse running); its
    /// result or error comes back here.
    public static func run<T: Sendable>(owner: String? = nil, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await shared.run(owner: owner, body)
    }

    public func run<T: Sendable>(owner: String? = nil, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire(owner)
        let result: Result<T, any Error> = await withCheckedContinuation { done in
            DispatchQueue.global(qos: .userInitiated).async { done.resume(returning: Result { try body() }) }
        }
        release(owner)
        return try result.get()
    }

    /// How many parses run now (for tests and metrics).
    public var active: Int { running }

    private func mayStart(_ owner: String?) -> Bool { running < limit && owner.map { runningOwners[$0] == nil } ?? true }

    private func start(_ owner: String?) {
        running += 1
        if let owner { runningOwners[owner, default: 0] += 1 }
    }

    private func acquire(_ owner: String?) async {
        if mayStart(owner) {
            start(owner)
            return
        }
        await withCheckedContinuation { waiting.append((owner, $0)) }
    }

    private func release(_ owner: String?) {
        running -= 1
        if let owner {
            let left = (runningOwners[owner] ?? 1) - 1
            runningOwners[owner] = left > 0 ? left : nil
        }
        // The first waiting parse that may start now, in arrival order, while slots are free.
        while let index = waiting.firstIndex(where: { mayStart($0.owner) }) {
            let next = waiting.remove(at: index)
            start(next.owner)
            next.resume.resume()
        }
    }
}
