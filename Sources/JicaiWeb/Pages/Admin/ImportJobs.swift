import Foundation
import JicaiCore
import JicaiServices
import NIOConcurrencyHelpers
import Vapor

/// Long imports run in the background; the page polls their progress.
final class ImportJobs: Sendable {
    struct Job: Sendable {
        var owner: String
        var title: String
        var rows = 0
        var bytesRead: Int64 = 0
        var totalBytes: Int64 = 1
        var done = false
        var message: String?
        var failed = false
        var back: SiteURL
        /// Generated initial passwords, downloadable once by the job's owner.
        var issued: [IssuedCredential] = []
        var issuedTaken = false
    }
    private let jobs = NIOLockedValueBox<[String: Job]>([:])
    /// The jobs still running, so that shutting down can wait for them (`drain`).
    private let running = NIOLockedValueBox<[String: Task<Void, Never>]>([:])

    func start(_ job: Job) -> String {
        let id = Secrets.random(12)
        jobs.withLockedValue { $0[id] = job }
        return id
    }
    func update(_ id: String, _ body: @Sendable (inout Job) -> Void) {
        jobs.withLockedValue {
            if var job = $0[id] {
                body(&job)
                $0[id] = job
            }
        }
    }

    /// Runs `work` in the background for job `id`; what it returns, or why it failed (row-level reasons of an import,
    /// a refusal, anything else), ends the job.
    func run(
        _ id: String, kind: String, english: Bool, _ work: @escaping @Sendable (Sink) async throws -> (message: String, issued: [IssuedCredential])
    ) {
        ServiceMetrics.jobStarted(kind)
        let task = Task {
            let failed: Bool
            defer { ServiceMetrics.jobEnded(kind, ok: !failed) }
            do {
                let (message, issued) = try await work(Sink(jobs: self, id: id))
                update(id) {
                    $0.done = true
                    $0.message = message
                    $0.issued = issued
                }
                failed = false
                return
            } catch let e as ImportFailure {
                update(id) {
                    $0.done = true
                    $0.failed = true
                    $0.message = e.issues.prefix(50).map { $0.text(english ? .en : .zh) }.joined(separator: "\n")
                }
            } catch let e as ServiceError {
                update(id) {
                    $0.done = true
                    $0.failed = true
                    $0.message = english ? e.message.en : e.message.zh
                }
            } catch {
                update(id) {
                    $0.done = true
                    $0.failed = true
                    $0.message = "\(error)"
                }
            }
            failed = true
        }
        running.withLockedValue { $0[id] = task }
        Task {
            await task.value
            running.withLockedValue { $0[id] = nil }
        }
    }

    /// Waits until every running job has ended, or `seconds` have passed; returns how many were still running then.
    func drain(seconds: Double) async -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let tasks = running.withLockedValue { Array($0.values) }
            if tasks.isEmpty { return 0 }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return running.withLockedValue { $0.count }
    }
    func get(_ id: String) -> Job? { jobs.withLockedValue { $0[id] } }

    struct Sink: ProgressSink {
        let jobs: ImportJobs
        let id: String
        func update(rows: Int, bytesRead: Int64, totalBytes: Int64) {
            jobs.update(id) {
                $0.rows = rows
                $0.bytesRead = bytesRead
                $0.totalBytes = max(1, totalBytes)
            }
        }
    }
}

struct ImportJobsKey: StorageKey { typealias Value = ImportJobs }
