import Foundation
import Vapor

/// On shutdown the server has stopped taking requests and finished those in flight (Vapor quiesces its
/// connections); this waits for background imports too, up to the grace period, before the databases close.
struct JobDrain: LifecycleHandler {
    let seconds: Double

    func shutdownAsync(_ application: Application) async {
        let left = await application.drainBackgroundJobs(seconds: seconds)
        if left > 0 { application.logger.warning("shutting down with \(left) background jobs still running (their transactions roll back)") }
    }
}

extension Application {
    /// Waits until the background imports started from the browser have ended, or `seconds` have passed; returns how
    /// many were still running. Shutting down calls it.
    public func drainBackgroundJobs(seconds: Double) async -> Int {
        guard let jobs = storage[ImportJobsKey.self] else { return 0 }
        return await jobs.drain(seconds: seconds)
    }
}
