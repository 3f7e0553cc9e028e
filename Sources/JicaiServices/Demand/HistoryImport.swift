import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// Bits over institution × spec × month, to find repeated rows in files of millions of rows without a hash set.
struct PresenceBits {
    private var words: [UInt64]
    let specs: Int
    let months: Int

    init(institutions: Int, specs: Int, months: Int) {
        self.specs = specs
        self.months = months
        words = Array(repeating: 0, count: (institutions * specs * months + 63) / 64)
    }

    /// Sets the bit; returns false when it was already set.
    mutating func insert(institution: Int, spec: Int, month: Int) -> Bool {
        let bit = (institution * specs + spec) * months + month
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if words[bit >> 6] & mask != 0 { return false }
        words[bit >> 6] |= mask
        return true
    }
}

extension ImportService {
    /// Replaces the batch's purchase history with the file's rows. Streams the file; rows go to the database in
    /// batches inside one transaction, which is rolled back when any row has a problem.
    func importHistory(
        path: String, batchCode: String, actor: AuditActor, progress: (any ProgressSink)? = nil,
        issueLimit: Int = 1000
    ) async throws -> ImportSummary {
        try await ServiceMetrics.importing("history") {
            let started = Date()
            guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
            let specIDs = try await BatchStore(db).specIndex(batchID: batch.id)
            guard !specIDs.isEmpty else { throw ServiceError.noCatalogue(batchCode) }
            let allOrganisations = try await AccountStore(db).codeIndex()
            let institutionIDs = allOrganisations.compactMapValues { $0.reports ? $0.id : nil }
            let period = batch.policy.referencePeriod
            let file = try HistoryCursor(path: path, issueLimit: 1).file  // header problems fail before any write
            let at = now()
            let db = self.db
            let count = try await db.transaction { db -> Int in
                let reader = BatchReader(try HistoryCursor(path: path, issueLimit: issueLimit))
                var checker = HistoryRowChecker(
                    specIDs: specIDs, institutionIDs: institutionIDs, organisations: Set(allOrganisations.keys),
                    period: period, issueLimit: issueLimit)
                let store = HistoryStore(db)
                try await store.clear(batchID: batch.id)
                var rows = 0
                try await store.load(batchID: batch.id) { writer in
                    // The file is parsed one batch ahead on another core while this loop checks and writes the current one.
                    var next = Task { try reader.read() }
                    while true {
                        let part = try await next.value
                        if part.records.isEmpty { break }
                        next = Task { try reader.read() }
                        checker.learn(part)
                        for record in part.records {
                            rows += 1
                            guard let row = checker.check(record, reader), part.parseIssues == 0 else { continue }
                            if writer.add(row) { try await writer.flush() }
                        }
                        progress?.update(rows: rows, bytesRead: part.bytesRead, totalBytes: reader.fileSize)
                    }
                    let total = reader.parseIssues.total + checker.issues.total
                    guard total == 0 else {
                        let all = reader.parseIssues.issues + checker.issues.issues
                        throw ImportFailure(
                            issues: Array(all.sorted { ($0.row, $0.column) < ($1.row, $1.column) }.prefix(issueLimit)), totalIssues: total)
                    }
                }
                try await store.loadTotals(batchID: batch.id, checker.totals.sorted())
                progress?.update(rows: rows, bytesRead: reader.fileSize, totalBytes: reader.fileSize)
                try await AuditLog(db).record(
                    actor: actor.name, event: .historyImport, key: batchCode,
                    summary: "导入历史采购量 \(rows) 行（替换原有数据）", at: at)
                return rows
            }
            return ImportSummary(kind: "history", file: file, rows: count, inserted: count, updated: 0, seconds: Date().timeIntervalSince(started))
        }
    }
}

/// Hands the history cursor from task to task, one batch at a time: `read` is never called while another `read` runs
/// (each is awaited before the next starts), which is what makes the unchecked sendability sound.
final class BatchReader: @unchecked Sendable {
    struct Part: Sendable {
        var records: [PackedHistoryRecord]
        /// The codes first met in this part, in the order the records number them.
        var newInstitutions: [String]
        var newSpecs: [String]
        var parseIssues: Int
        var bytesRead: Int64
    }

    private let cursor: HistoryCursor
    let fileSize: Int64

    init(_ cursor: HistoryCursor) {
        self.cursor = cursor
        fileSize = cursor.cursor.fileSize
    }

    func read(count: Int = 16_384) throws -> Part {
        var records: [PackedHistoryRecord] = []
        records.reserveCapacity(count)
        let (institutions, specs) = (cursor.institutions.codes.count, cursor.specs.codes.count)
        try cursor.read(into: &records, count: count)
        // Copies of the new codes only: a slice would share the cursor's arrays, and its next append copy them whole.
        return Part(
            records: records, newInstitutions: Array(cursor.institutions.codes[institutions...]), newSpecs: Array(cursor.specs.codes[specs...]),
            parseIssues: cursor.issues.total, bytesRead: cursor.cursor.bytesRead)
    }

    /// The parsing issues; read only after the last `read`.
    var parseIssues: IssueCollector { cursor.issues }

    func issue(row: Int, column: String, zh: String, en: String) -> ImportIssue {
        cursor.issue(row: row, column: column, zh: zh, en: en)
    }
}

/// Sums quantity and amount per institution × spec. Rows of one institution × spec usually follow each other, so each
/// run of a key is appended once to a flat list, which is sorted and merged when it outgrows twice its last merged size
/// and at the end: about 24 bytes per distinct key (a dictionary took about four times that), no hashing per row, and
/// the totals come out in key order, which the clustered `history_totals` table on SQLite takes as appends (in hash
/// order, 1 M inserts cost 2 s of page reads).
struct HistoryTotals {
    struct Entry {
        /// institution id << 32 | spec id
        var key: UInt64
        var quantity: Int64
        /// `HistoryTotals.noAmount` when no row of the key had an amount.
        var amount: Int64
    }

    static let noAmount = Int64.min
    private var entries: [Entry] = []
    private var merged = 0
    private var current = Entry(key: .max, quantity: 0, amount: noAmount)

    static func key(institution: Int64, spec: Int64) -> UInt64 {
        precondition(institution >= 0 && institution < 1 << 31 && spec >= 0 && spec < 1 << 31, "row ids fit in 31 bits")
        return UInt64(institution) << 32 | UInt64(spec)
    }

    mutating func add(institution: Int64, spec: Int64, quantity: Int64, amount: Int64?) {
        let key = HistoryTotals.key(institution: institution, spec: spec)
        if key != current.key {
            close()
            current = Entry(key: key, quantity: 0, amount: HistoryTotals.noAmount)
        }
        current.quantity += quantity
        if let amount { current.amount = (current.amount == HistoryTotals.noAmount ? 0 : current.amount) + amount }
    }

    private mutating func close() {
        guard current.key != .max else { return }
        entries.append(current)
        current.key = .max
        if entries.count >= max(1 << 21, 2 * merged) { merge() }
    }

    /// Sorts the list by key and folds the entries of each key into one.
    private mutating func merge() {
        entries.sort { $0.key < $1.key }
        var out = 0
        for entry in entries {
            if out > 0 && entries[out - 1].key == entry.key {
                entries[out - 1].quantity += entry.quantity
                if entry.amount != HistoryTotals.noAmount {
                    entries[out - 1].amount = (entries[out - 1].amount == HistoryTotals.noAmount ? 0 : entries[out - 1].amount) + entry.amount
                }
            } else {
                entries[out] = entry
                out += 1
            }
        }
        entries.removeSubrange(out...)
        merged = out
    }

    /// The totals in (institution, spec) order.
    mutating func sorted() -> LazyMapSequence<[Entry], HistoryTotal> {
        close()
        merge()
        return entries.lazy.map {
            HistoryTotal(
                institutionID: Int64($0.key >> 32), specID: Int64($0.key & 0xFFFF_FFFF), quantity: $0.quantity,
                amountFen: $0.amount == HistoryTotals.noAmount ? nil : $0.amount)
        }
    }
}

/// Checks the history rows of a file one by one: a reporting institution, a spec of the catalogue, a month of the
/// reference period, no repeat of an institution, spec and month; adds up the totals. After the first problem rows
/// are still checked (a failed file is read to the end for its reasons) but no longer handed back for writing.
struct HistoryRowChecker {
    let specIDs: [String: Int64]
    let institutionIDs: [String: Int64]
    /// Every organisation code, to tell "not a reporting institution" from "unknown".
    let organisations: Set<String>
    let period: MonthRange
    /// Dense indexes for the duplicate bits: institution ids are small integers; specs are numbered here.
    let specDense: [String: Int]
    var bits: PresenceBits
    var totals = HistoryTotals()
    /// This checker's issues; the reader keeps the parsing ones.
    var issues: IssueCollector
    // The reader numbers codes in order of first appearance; each is looked up once, in `learn`.
    var institutionCodes: [String] = []
    var institutionOfSlot: [Int64] = []  // id, or -1 when not a reporting institution
    var specCodes: [String] = []
    var specOfSlot: [(id: Int64, dense: Int)] = []  // (-1, -1) when not in the catalogue

    init(specIDs: [String: Int64], institutionIDs: [String: Int64], organisations: Set<String>, period: MonthRange, issueLimit: Int) {
        self.specIDs = specIDs
        self.institutionIDs = institutionIDs
        self.organisations = organisations
        self.period = period
        specDense = Dictionary(uniqueKeysWithValues: specIDs.keys.sorted().enumerated().map { ($1, $0) })
        bits = PresenceBits(institutions: Int((institutionIDs.values.max() ?? 0) + 1), specs: specIDs.count, months: period.count)
        issues = IssueCollector(limit: issueLimit)
    }

    /// Looks up the codes a batch of records introduces.
    mutating func learn(_ part: BatchReader.Part) {
        for code in part.newInstitutions {
            institutionCodes.append(code)
            institutionOfSlot.append(institutionIDs[code] ?? -1)
        }
        for code in part.newSpecs {
            specCodes.append(code)
            specOfSlot.append(specIDs[code].map { ($0, specDense[code]!) } ?? (-1, -1))
        }
    }

    /// The row to write, or nil when it has a problem (recorded) or an earlier row had one.
    mutating func check(_ record: PackedHistoryRecord, _ reader: BatchReader) -> HistoryRow? {
        let institution = institutionOfSlot[Int(record.institution)]
        guard institution >= 0 else {
            let code = institutionCodes[Int(record.institution)]
            let known = organisations.contains(code)
            issues.add(
                reader.issue(
                    row: record.row, column: "institution",
                    zh: known ? "机构“\(code)”不是医疗机构或定点药店" : "机构编码“\(code)”不存在",
                    en: known ? "\"\(code)\" is not a medical institution or pharmacy" : "unknown institution \"\(code)\""))
            return nil
        }
        let spec = specOfSlot[Int(record.spec)]
        guard spec.id >= 0 else {
            let code = specCodes[Int(record.spec)]
            issues.add(
                reader.issue(row: record.row, column: "spec", zh: "规格编码“\(code)”不在批次清单中", en: "spec \"\(code)\" is not in the batch catalogue"))
            return nil
        }
        guard let month = period.index(of: record.month) else {
            issues.add(
                reader.issue(
                    row: record.row, column: "month", zh: "月份\(record.month)不在统计期\(period.first)至\(period.last)内",
                    en: "month \(record.month) is outside the reference period \(period.first) to \(period.last)"))
            return nil
        }
        guard bits.insert(institution: Int(institution), spec: spec.dense, month: month) else {
            issues.add(
                reader.issue(
                    row: record.row, column: "month", zh: "同一机构、规格、月份的数据重复",
                    en: "repeats an earlier row for the same institution, spec and month"))
            return nil
        }
        totals.add(institution: institution, spec: spec.id, quantity: record.quantity, amount: record.amount?.value)
        guard issues.isEmpty else { return nil }
        return HistoryRow(
            institutionID: institution, specID: spec.id, month: Int32(record.month.yyyymm), quantity: record.quantity,
            amountFen: record.amount?.value)
    }
}
