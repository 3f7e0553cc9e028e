import Foundation
import JicaiPersistence
import JicaiServices
import Metrics
import Prometheus

/// The process's metrics backend: swift-metrics calls (Vapor's request counters and timers, the database and the
/// use cases) land in one Prometheus registry, which `/metrics` renders. Bootstrapped once per process.
public enum AppMetrics {
    public static let registry = PrometheusCollectorRegistry()

    /// Request and query durations: 1 ms to 10 s.
    static let durationBuckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map { .microseconds(Int64($0 * 1000)) }

    private static let bootstrapped: Bool = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return true
    }()

    public static func bootstrap() { _ = bootstrapped }

    static let started = Date()

    static func gauge(_ name: String, _ unit: String, _ help: String) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: unit, helpText: help))
    }

    /// The text of one scrape: the values read at scrape time (sessions, process) are set first.
    public static func render(db: DB, pool: Int, now: Date) async throws -> String {
        gauge("jicai_sessions", "active", "Unexpired log-in sessions").set(Double(try await UserStore(db).activeSessionCount(at: now)))
        gauge("jicai_db_pool", "connections", "Connections the database pool may open").set(Double(pool))
        gauge("process_start_time", "seconds", "Start time of the process since the Unix epoch").set(started.timeIntervalSince1970)
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            gauge("process_resident_memory", "bytes", "Resident memory").set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
