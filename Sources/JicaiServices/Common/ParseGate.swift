import Foundation
import JicaiCore

/// Runs the parsing of uploaded files on threads of their own, at most `InputLimits.concurrentParses` at once:
/// never on the event loops or the cooperative pool that serve every other request, so a slow or hostile file costs
/// its uploader a wait and an error, and nobody else a core.
public actor ParseGate {
    public static let shared = ParseGate(limit: InputLimits.concurrentParses)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    /// Parses in `body` once a slot is free; its result or error comes back here.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        await shared.acquire()
        let result: Result<T, any Error> = await withCheckedContinuation { done in
            DispatchQueue.global(qos: .userInitiated).async { done.resume(returning: Result { try body() }) }
        }
        await shared.release()
        return try result.get()
    }

    /// How many parses run now (for tests and metrics).
    public var active: Int { running }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
