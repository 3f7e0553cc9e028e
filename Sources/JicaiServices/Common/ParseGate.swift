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
    private var waiting: [(id: UInt64, owner: String?, resume: CheckedContinuation<Bool, Never>)] = []
    private var lastID: UInt64 = 0

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Parses in `body` once a slot is free (and, with an `owner`, once that account has no parse running); its
    /// result or error comes back here. Refused with `BUSY` when no slot frees within `maxWait`, so the caller
    /// answers instead of its connection being closed as idle.
    public static func run<T: Sendable>(owner: String? = nil, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await shared.run(owner: owner, body)
    }

    public func run<T: Sendable>(
        owner: String? = nil, maxWait: Duration = .seconds(InputLimits.maxParseWaitSeconds), _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        guard await acquire(owner, maxWait: maxWait) else { throw Refusal(.busy) }
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

    /// True once a slot is this caller's; false when `maxWait` passed first (the caller is then no longer waiting).
    private func acquire(_ owner: String?, maxWait: Duration) async -> Bool {
        if mayStart(owner) {
            start(owner)
            return true
        }
        lastID += 1
        let id = lastID
        var timer: Task<Void, Never>?
        let granted = await withCheckedContinuation { (resume: CheckedContinuation<Bool, Never>) in
            waiting.append((id, owner, resume))
            timer = Task {
                try? await Task.sleep(for: maxWait)
                self.expire(id)
            }
        }
        timer?.cancel()
        return granted
    }

    private func expire(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).resume.resume(returning: false)
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
            next.resume.resume(returning: true)
        }
    }
}
