import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

@Suite("Quantities up to the limit through save, checks, summaries and exports on both engines (security review rows 2 and 9)")
struct BoundedQuantityTests {
    static let at = ReportingWindow.shanghai(2025, 12, 20, 9)

    static func filler(_ code: String) -> RequestContext {
        RequestContext(principal: Principal(username: code, role: .institutionFiller, organisationCode: code), ip: nil, at: at)
    }

    @Test(
        "property: random quantities from 0 to the limit and beyond — stored exactly or refused; checks, summaries and exports never trap",
        arguments: TestDatabases.engines)
    func property(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let service = ReportService(db: db)
            var g = SeededRandom(seed: engine == "sqlite" ? 7 : 11)
            let specs = ["S011", "S012", "S013", "S021"]
            var stored: [String: [String: Int64]] = [:]
            for round in 0..<12 {
                let institution = [F.hospital, F.township, F.village][round % 3]
                var lines: [DemandLine] = []
                for spec in specs {
                    let q: Int64 =
                        switch Int.random(in: 0..<5, using: &g) {
                        case 0: 0
                        case 1: Int64.random(in: 1...10_000, using: &g)
                        case 2: InputLimits.maxQuantity
                        case 3: Int64.random(in: 0...InputLimits.maxQuantity, using: &g)
                        default: Int64.random(in: (InputLimits.maxQuantity + 1)...Int64.max, using: &g)
                        }
                    lines.append(DemandLine(specCode: spec, quantity: q))
                }
                let tooLarge = lines.contains { $0.quantity > InputLimits.maxQuantity }
                do {
                    let form = try await service.save(
                        try await service.scope("B1", Self.filler(institution)), institutionCode: institution, input: DraftInput(lines: lines))
                    #expect(!tooLarge)
                    stored[institution] = Dictionary(uniqueKeysWithValues: lines.filter { $0.quantity > 0 }.map { ($0.specCode, $0.quantity) })
                    #expect(form.report?.lines.count == stored[institution]?.count)
                    // Amoxicillin capsules 0.25 g and tablets 0.5 g, shown in capsules: exact.
                    let s = stored[institution] ?? [:]
                    let expected = Int128(s["S011"] ?? 0) + 2 * Int128(s["S012"] ?? 0)
                    let merged = form.result.units.first { $0.unit.varietyCode == "V01" && $0.unit.separateSpecCode == nil }
                    #expect((merged?.reportedDisplay ?? 0) == expected)
                } catch let e as ServiceError {
                    #expect(tooLarge && e.code == .quantityTooLarge)
                }
            }
            let hospital = try await DemandStore(db).report(
                batchID: try await ReportService(db: db).context("B1").batch.id,
                institutionID: try #require(try await AccountStore(db).organisation(code: F.hospital)).id)
            #expect(
                hospital.map { Dictionary(uniqueKeysWithValues: $0.lines.map { ($0.specCode, $0.quantity) }) } == stored[F.hospital],
                "what is stored is the last accepted draft, to the unit")
            _ = try await CheckService(db: db).run(batchCode: "B1", actor: .cli)
            let exports = ExportService(db: db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bq-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            for format in [ExportFormat.csv, .xlsx, .json] {
                try await exports.findings(batchCode: "B1", to: folder.appendingPathComponent("f.\(format)"), format: format)
                try await exports.summary(batchCode: "B1", byCity: true, to: folder.appendingPathComponent("c.\(format)"), format: format)
            }
            let province = RequestContext(principal: Principal(username: "p", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: Self.at)
            let xlsx = try await exports.provinceSummaryXLSX(try await exports.scope("B1", province), regionPrefix: "14")
            #expect(xlsx.count > 0)
        }
    }
}

@Suite("Uploaded files are parsed off the request threads, at most InputLimits.concurrentParses at once (security review row 4)")
struct ParseGateTests {
    @Test("Eight slow parses at once never run more than the limit together, and each result comes back to its caller")
    func bounded() async throws {
        // A gate of the platform's size, not the shared one: other suites parse through that one meanwhile.
        let gate = ParseGate(limit: InputLimits.concurrentParses)
        let peak = Peak()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try await gate.run {
                        peak.enter()
                        defer { peak.leave() }
                        Thread.sleep(forTimeInterval: 0.05)
                        return i
                    }
                }
            }
            var all: [Int] = []
            for try await r in group { all.append(r) }
            return all.sorted()
        }
        #expect(results == Array(0..<8))
        #expect(peak.max <= InputLimits.concurrentParses && peak.max >= 1)
        await #expect(throws: CancellationError.self) { try await gate.run { throw CancellationError() } }
        #expect(await gate.active == 0, "every slot is given back, errors included")
    }

    @Test("One account's two long parses hold one slot: another account's small file starts before the first's second (#25 item 10)")
    func onePerAccount() async throws {
        let gate = ParseGate(limit: 2)
        let events = Events()
        let peak = Peak()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await gate.run(owner: "filler-a") {
                        peak.enter()
                        defer { peak.leave() }
                        events.add("a")
                        Thread.sleep(forTimeInterval: 1.5)
                    }
                }
            }
            try await Task.sleep(nanoseconds: 200_000_000)
            group.addTask { try await gate.run(owner: "filler-b") { events.add("b") } }
            try await group.waitForAll()
        }
        // Order, not time: b started while a's first parse held its slot, before a's second could start.
        let all = events.all
        #expect(all.filter { $0 == "a" }.count == 2 && (all.firstIndex(of: "b") ?? 3) < (all.lastIndex(of: "a") ?? 0), "\(all)")
        #expect(peak.max == 1, "one parse of filler-a at a time")
        #expect(await gate.active == 0)
    }
}

extension ParseGateTests {
    @Test("An upload that finds no slot within its wait is refused BUSY (503) and leaves the queue; the others go on (#25 item 10)")
    func boundedWait() async throws {
        let gate = ParseGate(limit: 1)
        let events = Events()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gate.run(owner: "a") { Thread.sleep(forTimeInterval: 1.0) } }
            try await Task.sleep(nanoseconds: 200_000_000)
            group.addTask {
                let refusal = await #expect(throws: Refusal.self) { try await gate.run(owner: "b", maxWait: .milliseconds(100)) { events.add("b") } }
                #expect(refusal?.code == .busy && refusal?.kind == .unavailable)
            }
            group.addTask { try await gate.run(owner: "c", maxWait: .seconds(30)) { events.add("c") } }
            try await group.waitForAll()
        }
        #expect(events.all == ["c"], "the refused upload never ran; the patient one did")
        #expect(await gate.active == 0)
    }
}

final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ event: String) { lock.withLock { values.append(event) } }
    var all: [String] { lock.withLock { values } }
}

final class Peak: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private var highest = 0
    var max: Int { lock.withLock { highest } }
    func enter() {
        lock.withLock {
            now += 1
            highest = Swift.max(highest, now)
        }
    }
    func leave() { lock.withLock { now -= 1 } }
}
