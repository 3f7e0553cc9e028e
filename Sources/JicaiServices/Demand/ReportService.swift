import Crypto
import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// A batch with what every use case of it needs.
public struct BatchContext: Sendable {
    public var batch: BatchRecord
    public var catalogue: Catalogue
    public var specIDs: [String: Int64]
    public var lockedAt: Date?
    public var sealedFileID: Int64?
    public var checker: DemandChecker
    /// The batch's stamp when read (`CatalogueCache`): values derived from the batch's data are kept under it.
    public var stamp: String?

    public init(
        batch: BatchRecord, catalogue: Catalogue, specIDs: [String: Int64], lockedAt: Date?, sealedFileID: Int64?,
        checker: DemandChecker? = nil, stamp: String? = nil
    ) {
        self.batch = batch
        self.catalogue = catalogue
        self.specIDs = specIDs
        self.lockedAt = lockedAt
        self.sealedFileID = sealedFileID
        self.checker = checker ?? DemandChecker(catalogue: catalogue, policy: batch.policy)
        self.stamp = stamp
    }
}

/// One institution's form: the catalogue it reports on, its (combined) history, its report and the live findings.
public struct ReportForm: Sendable {
    public var context: BatchContext
    public var institution: StoredOrganisation
    /// County medical community members whose history is combined into this report (001 §2(一)).
    public var members: [StoredOrganisation]
    /// The lead that reports for this member, when it does.
    public var reportedByLead: StoredOrganisation?
    public var history: [String: Int64]
    public var monthly: [String: [Int: Int64]]
    public var report: ReportRecord?
    public var result: DemandCheckResult
    public var phase: ReportingWindow.Phase
    public var canEdit: Bool
}

/// The use cases of the reporting stage in the browser and the API: the institution's form, save, letter and
/// evidence, submit, city and province review, corrections, lock and the sealed summary. Every call checks scope
/// (`Authorizer`) and timing (`ReportWorkflow`) before it changes anything, and records an audit entry with the
/// client address and a before/after summary in the same transaction.
public struct ReportService: Sendable {
    public let db: DB

    public init(db: DB) { self.db = db }

    func context(_ batchCode: String) async throws -> BatchContext {
        guard let head = try await BatchStore(db).head(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        return try await context(head)
    }

    /// The reporting context of a scope's batch: its catalogue (from the cache), checker, lock and sealed file.
    public func context(_ scope: BatchScope) async throws -> BatchContext { try await context(scope.head) }

    func context(_ head: BatchStore.Head) async throws -> BatchContext {
        let store = BatchStore(db)
        guard let entry = try await store.cachedCatalogue(head) else { throw ServiceError.noCatalogue(head.batch.code) }
        let checker = CatalogueCache.shared.checker(stamp: head.catalogueStamp, catalogue: entry.catalogue, policy: head.batch.policy)
        return BatchContext(
            batch: head.batch, catalogue: entry.catalogue, specIDs: entry.specIDs,
            lockedAt: head.state.lockedAt, sealedFileID: head.state.sealedFileID, checker: checker, stamp: head.catalogueStamp)
    }

    /// The institution, or a refusal that does not reveal whether an institution outside the scope exists.
    public func institution(_ code: String, for p: Principal, allow: (Principal, InstitutionRef) -> Bool = Authorizer.canView) async throws
        -> StoredOrganisation
    {
        guard let org = try await AccountStore(db).organisation(code: code), org.organisation.kind.reportsDemand,
            allow(p, ReportService.ref(org))
        else {
            throw ServiceError(.institutionNotFound, zh: "机构不存在或无权访问", en: "no such institution in your scope")
        }
        return org
    }

    public static func ref(_ o: StoredOrganisation) -> InstitutionRef {
        InstitutionRef(code: o.organisation.code, regionCode: o.organisation.regionCode.value, communityLeadCode: o.organisation.communityLeadCode)
    }

    public func form(_ scope: BatchScope, institutionCode: String) async throws -> ReportForm {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        let org = try await institution(institutionCode, for: ctx.principal)
        return try await form(batchContext, org, at: ctx.at, principal: ctx.principal)
    }

    /// The form; `monthly` false leaves out the monthly history, which only the form page shows (a save, a submit and
    /// a live check do not read it).
    private func form(
        _ c: BatchContext, _ org: StoredOrganisation, at: Date, principal: Principal?, override: ReportRecord? = nil,
        monthly withMonthly: Bool = true
    ) async throws -> ReportForm {
        let demand = DemandStore(db)
        var members: [StoredOrganisation] = []
        var lead: StoredOrganisation?
        let accounts = AccountStore(db)
        // A lead reports for the members that have no report of their own (001 §2(一), 004).
        for member in try await accounts.members(leadCode: org.organisation.code) where member.organisation.kind.reportsDemand {
            if try await demand.report(batchID: c.batch.id, institutionID: member.id) == nil { members.append(member) }
        }
        if let leadCode = org.organisation.communityLeadCode, let leadRecord = try await accounts.organisation(code: leadCode),
            try await demand.report(batchID: c.batch.id, institutionID: leadRecord.id) != nil
        {
            lead = leadRecord
        }
        let ids = [org.id] + members.map(\.id)
        let totals = try await HistoryStore(db).totals(batchID: c.batch.id, institutionIDs: ids)
        let history = MedicalCommunity.combinedHistory(ids.map { totals[$0] ?? [:] })
        let monthly = withMonthly ? try await HistoryStore(db).monthly(batchID: c.batch.id, institutionIDs: ids) : [:]
        var report = override
        if report == nil { report = try await demand.report(batchID: c.batch.id, institutionID: org.id) }
        let result = c.checker.check(ReportService.demand(org.organisation.code, history, report))
        let phase = c.batch.policy.window.phase(at: at)
        let canEdit =
            principal.map { Authorizer.canFill($0, ReportService.ref(org)) } == true
            && (try? ReportWorkflow.apply(.save, to: report?.status, window: c.batch.policy.window, locked: c.lockedAt != nil, at: at).get()) != nil
        return ReportForm(
            context: c, institution: org, members: members, reportedByLead: lead, history: history, monthly: monthly,
            report: report, result: result, phase: phase, canEdit: canEdit)
    }

    static func demand(_ code: String, _ history: [String: Int64], _ r: ReportRecord?) -> InstitutionDemand {
        InstitutionDemand(
            institutionCode: code, history: history, lines: r?.lines ?? [], exclusions: r?.exclusions ?? [:],
            explanations: r?.explanations ?? [:], letter: r?.letter)
    }

    private func refuse(_ r: ReportWorkflow.Refusal) -> ServiceError { r }

    /// The draft as stored, or the refusal of `DraftInput.validated(against:)`.
    func validate(_ input: DraftInput, _ c: BatchContext) throws -> DraftInput {
        switch input.validated(against: c.catalogue) {
        case .success(let clean): return clean
        case .failure(let refusal): throw refusal
        }
    }

    /// A short before → after text of the changed lines and notes, for the audit log.
    static func diff(_ before: ReportRecord?, _ after: ReportRecord) -> String {
        func key(_ l: DemandLine) -> String { l.productCode.map { "\(l.specCode)/\($0)" } ?? l.specCode }
        let beforeTotals = Dictionary((before?.lines ?? []).map { (key($0), $0.quantity) }, uniquingKeysWith: +)
        let afterTotals = Dictionary(after.lines.map { (key($0), $0.quantity) }, uniquingKeysWith: +)
        var parts: [String] = []
        for lineKey in Set(beforeTotals.keys).union(afterTotals.keys).sorted() where beforeTotals[lineKey] != afterTotals[lineKey] {
            parts.append("\(lineKey): \(beforeTotals[lineKey].map(String.init) ?? "-") → \(afterTotals[lineKey].map(String.init) ?? "-")")
        }
        for unitKey in Set((before?.explanations ?? [:]).keys).union(after.explanations.keys).sorted()
        where before?.explanations[unitKey] != after.explanations[unitKey] {
            parts.append("说明 \(unitKey): \(before?.explanations[unitKey] ?? "-") → \(after.explanations[unitKey] ?? "-")")
        }
        if before?.letter != after.letter {
            parts.append(
                "承诺函: \(before?.letter.map { "\($0.fileName) \($0.signerName) \($0.signerTitle)" } ?? "-") → \(after.letter.map { "\($0.fileName) \($0.signerName) \($0.signerTitle)" } ?? "-")"
            )
        }
        if before?.status != after.status { parts.append("状态: \(before?.status.rawValue ?? "-") → \(after.status.rawValue)") }
        return parts.joined(separator: "\n")
    }

    /// Writes a new state of the report with its live findings and an audit entry, in one transaction.
    private func write(
        _ c: BatchContext, _ org: StoredOrganisation, before: ReportRecord?, after: ReportRecord, event: AuditEvent,
        summary: String, ctx: RequestContext
    ) async throws -> ReportForm {
        let checked = try await form(c, org, at: ctx.at, principal: ctx.principal, override: after, monthly: false)
        let findings = checked.result.findings
        let detail = ReportService.diff(before, after)
        let conflict = ServiceError(.concurrentChange, zh: "报量刚被他人修改，请刷新后重试", en: "the report was changed meanwhile; reload and try again")
        do {
            try await db.transaction { db in
                if let before, try await !DemandStore(db).claim(batchID: c.batch.id, institutionID: org.id, status: before.status) { throw conflict }
                try await DemandStore(db).save(batchID: c.batch.id, institutionID: org.id, after, specIDs: c.specIDs, at: ctx.at)
                try await FindingStore(db).replace(batchID: c.batch.id, institutionID: org.id, findings)
                try await AuditLog(db).record(
                    actor: ctx.principal.username, event: event,
                    key: "\(c.batch.code)/\(org.organisation.code)", summary: summary, detail: detail.isEmpty ? nil : detail,
                    ip: ctx.ip, at: ctx.at)
            }
        } catch let e as ServiceError {
            throw e
        } catch  where before == nil {
            // Two first saves at once: the second insert meets the first one's primary key.
            if try await DemandStore(db).report(batchID: c.batch.id, institutionID: org.id) != nil { throw conflict }
            throw error
        }
        ServiceMetrics.reportChange(event.action)
        var out = checked
        out.report = after
        return out
    }

    private func fillable(_ scope: BatchScope, _ institutionCode: String, _ action: ReportAction) async throws -> (
        BatchContext, StoredOrganisation, ReportRecord?
    ) {
        let (batchContext, ctx) = (try await context(scope), scope.ctx)
        let org = try await institution(institutionCode, for: ctx.principal, allow: Authorizer.canFill)
        let current = try await DemandStore(db).report(batchID: batchContext.batch.id, institutionID: org.id)
        if case .failure(let refusal) = ReportWorkflow.apply(
            action, to: current?.status, window: batchContext.batch.policy.window, locked: batchContext.lockedAt != nil, at: ctx.at)
        {
            throw refuse(refusal)
        }
        return (batchContext, org, current)
    }

    /// Saves a draft at any time inside the window (or of a returned report until the review deadline).
    public func save(_ scope: BatchScope, institutionCode: String, input: DraftInput) async throws -> ReportForm {
        let ctx = scope.ctx
        let (c, org, current) = try await fillable(scope, institutionCode, .save)
        let clean = try validate(input, c)
        var next = current ?? ReportRecord()
        next.lines = clean.lines
        next.explanations = clean.explanations
        next.exclusions = clean.exclusions
        next.evidence = next.evidence.filter { clean.explanations[$0.key] != nil }
        return try await write(c, org, before: current, after: next, event: .report(.save), summary: "保存报量草稿", ctx: ctx)
    }

    /// Saves the draft from the offline form (the XLSX or CSV the filler downloaded and filled in). Every row must
    /// be this institution's; a file with no data rows changes nothing unless the filler asks to clear the draft.
    public func saveOffline(_ scope: BatchScope, institutionCode: String, path: String, clear: Bool) async throws -> (
        ReportForm, rows: Int
    ) {
        let ctx = scope.ctx
        _ = try await institution(institutionCode, for: ctx.principal, allow: Authorizer.canFill)
        let catalogue = try await context(scope).catalogue
        // Everything proportional to the file's size (the parse, the rows into a draft, the draft's validation) runs
        // inside the parse gate, on its thread: a big hostile form costs its uploader a slot, not the cooperative
        // threads every other request needs.
        let (input, count) = try await ParseGate.run(owner: ctx.principal.username) { () throws -> (DraftInput, Int) in
            let rows = try DemandTable.read(path)
            guard !rows.isEmpty || clear else {
                throw ServiceError(
                    .emptyUpload, zh: "文件中没有数据行，草稿未改动（如需清空草稿，请勾选“清空草稿”后再上传）",
                    en: "the file has no data rows; the draft is unchanged (tick \"clear the draft\" to empty it)")
            }
            var input = DraftInput(lines: [])
            for row in rows {
                guard row.value.institutionCode == institutionCode else {
                    throw ServiceError(.otherInstitution, zh: "第\(row.row)行的机构编码不是本机构", en: "row \(row.row) is for another institution")
                }
                input.lines.append(row.value.line)
                if let spec = catalogue.specByCode[row.value.line.specCode] {
                    let key = Catalogue.unit(of: spec).key
                    if !row.value.explanation.isEmpty { input.explanations[key] = row.value.explanation }
                    if let ex = row.value.exclusion, ex.quantity > 0 { input.exclusions[key] = ex }
                }
            }
            switch input.validated(against: catalogue) {
            case .success(let clean): return (clean, rows.count)
            case .failure(let refusal): throw refusal
            }
        }
        return (try await save(scope, institutionCode: institutionCode, input: input), count)
    }

    /// The findings a draft would have, without saving it (the form checks on the server as the filler types).
    public func preview(_ scope: BatchScope, institutionCode: String, input: DraftInput) async throws -> DemandCheckResult {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        let org = try await institution(institutionCode, for: ctx.principal, allow: Authorizer.canFill)
        let clean = try validate(input, batchContext)
        var next = try await DemandStore(db).report(batchID: batchContext.batch.id, institutionID: org.id) ?? ReportRecord()
        next.lines = clean.lines
        next.explanations = clean.explanations
        next.exclusions = clean.exclusions
        return try await form(batchContext, org, at: ctx.at, principal: ctx.principal, override: next, monthly: false).result
    }

    public static let allowedUploads: [String: String] = ["pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"]

    /// A PDF or image, checked by its first bytes as well as its name.
    public static func checkUpload(name: String, data: Data) throws -> String {
        let ext = (name as NSString).pathExtension.lowercased()
        guard let type = allowedUploads[ext] else {
            throw ServiceError(.badFileType, zh: "只接受PDF、PNG或JPG文件", en: "only PDF, PNG or JPG files are accepted")
        }
        guard !data.isEmpty, data.count <= InputLimits.maxAttachmentBytes else {
            throw ServiceError(.badFileSize)
        }
        let magic = [UInt8](data.prefix(4))
        let ok =
            switch type {
            case "application/pdf": magic.starts(with: Array("%PDF".utf8))
            case "image/png": magic.starts(with: [0x89, 0x50, 0x4E, 0x47])
            default: magic.starts(with: [0xFF, 0xD8, 0xFF])
            }
        guard ok else { throw ServiceError(.badFileContent, zh: "文件内容与类型不符", en: "the file's content does not match its type") }
        return type
    }

    /// Attaches the signed and sealed commitment letter with the signer's name and title (001 §2(一), 002 §2).
    public func attachLetter(
        _ scope: BatchScope, institutionCode: String, fileName: String, data: Data, signerName: String, signerTitle: String
    ) async throws -> ReportForm {
        let ctx = scope.ctx
        let (c, org, current) = try await fillable(scope, institutionCode, .save)
        let type = try ReportService.checkUpload(name: fileName, data: data)
        let name = signerName.trimmingCharacters(in: .whitespaces)
        let title = signerTitle.trimmingCharacters(in: .whitespaces)
        if let refusal = CommitmentLetter.signerRefusal(name: name, title: title, policy: c.batch.policy) { throw refusal }
        let id = try await FileStore(db).add(
            batchID: c.batch.id, institutionID: org.id, kind: "letter", name: fileName, contentType: type, data: data,
            sha256: ReportService.sha256Hex(data), uploadedBy: ctx.principal.username, at: ctx.at)
        var next = current ?? ReportRecord()
        next.letter = CommitmentLetter(fileName: fileName, signerName: name, signerTitle: title)
        next.letterFileID = id
        let form = try await write(c, org, before: current, after: next, event: .reportLetter, summary: "上传承诺函（\(title) \(name)）", ctx: ctx)
        // The replaced letter is no longer part of the report: it is not kept to be downloaded.
        if let old = current?.letterFileID, old != id { try await FileStore(db).delete(id: old) }
        return form
    }

    /// Attaches an evidence file to the explanation of a unit (e.g. a department closed: 000 §3(二)).
    public func attachEvidence(
        _ scope: BatchScope, institutionCode: String, unitKey: String, fileName: String, data: Data
    ) async throws -> ReportForm {
        let ctx = scope.ctx
        let (c, org, current) = try await fillable(scope, institutionCode, .save)
        let type = try ReportService.checkUpload(name: fileName, data: data)
        guard var next = current, next.explanations[unitKey] != nil else {
            throw ServiceError(.explanationFirst, zh: "请先填写并保存说明，再上传佐证材料", en: "save an explanation before attaching evidence")
        }
        let id = try await FileStore(db).add(
            batchID: c.batch.id, institutionID: org.id, kind: "evidence", name: fileName, contentType: type, data: data,
            sha256: ReportService.sha256Hex(data), uploadedBy: ctx.principal.username, at: ctx.at)
        let replaced = next.evidence[unitKey]
        next.evidence[unitKey] = id
        let form = try await write(c, org, before: current, after: next, event: .reportEvidence, summary: "上传佐证材料（\(unitKey)）", ctx: ctx)
        if let replaced, replaced != id { try await FileStore(db).delete(id: replaced) }
        return form
    }

    /// Submits: only when no blocking finding is open and the letter is attached.
    public func submit(_ scope: BatchScope, institutionCode: String) async throws -> ReportForm {
        let ctx = scope.ctx
        let (c, org, current) = try await fillable(scope, institutionCode, .submit)
        guard var next = current else {
            throw ServiceError(.nothingToSubmit, zh: "请先填写并保存报量", en: "fill in and save the report first")
        }
        let checked = try await form(c, org, at: ctx.at, principal: ctx.principal, override: next, monthly: false)
        let blocking = checked.result.findings.filter(\.blocksSubmission)
        guard blocking.isEmpty else {
            let codes = Set(blocking.map(\.code.rawValue)).sorted().joined(separator: ", ")
            throw ServiceError(
                .blockingFindings, zh: "还有\(blocking.count)个问题须处理后才能提交（\(codes)）",
                en: "\(blocking.count) blocking findings must be resolved before submitting (\(codes))")
        }
        next.status = .submitted
        next.submittedAt = ctx.at
        next.returnReason = nil
        return try await write(c, org, before: current, after: next, event: .report(.submit), summary: "提交报量", ctx: ctx)
    }

    /// City or province review: approve, or return for correction with a reason (000 §5(五), 002 §3(三)).
    public func review(_ scope: BatchScope, institutionCode: String, action: ReportAction, reason: String?) async throws
        -> ReportForm
    {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        let allow: (Principal, InstitutionRef) -> Bool =
            switch action {
            case .provinceApprove, .provinceReturn: Authorizer.canReviewAsProvince
            case .cityApprove, .cityReturn: Authorizer.canReviewAsCity
            default: { _, _ in false }
            }
        let org = try await institution(institutionCode, for: ctx.principal, allow: allow)
        let current = try await DemandStore(db).report(batchID: batchContext.batch.id, institutionID: org.id)
        let next: ReportStatus
        switch ReportWorkflow.apply(
            action, to: current?.status, window: batchContext.batch.policy.window, locked: batchContext.lockedAt != nil, at: ctx.at)
        {
        case .failure(let refusal): throw refuse(refusal)
        case .success(let status): next = status
        }
        guard var after = current else { throw Refusal(.wrongStatus) }
        after.status = next
        after.reviewedBy = ctx.principal.username
        if next == .returned {
            let text = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= InputLimits.maxExplanationCharacters else {
                throw ServiceError(
                    .reasonRequired, zh: "退回须填写原因（最多\(InputLimits.maxExplanationCharacters)字）",
                    en: "a return needs a reason (at most \(InputLimits.maxExplanationCharacters) characters)")
            }
            after.returnReason = text
        }
        let summary = next == .returned ? "\(action.label.zh)：\(after.returnReason!)" : action.label.zh
        return try await write(batchContext, org, before: current, after: after, event: .report(action), summary: summary, ctx: ctx)
    }

    /// Approves in one write every report of the reviewer's region awaiting its review (a city: submitted; the
    /// province: approved by its city) that has no blocking finding, under the same window and status rules as one
    /// approval (000 §5(五), 002 §3(三)); each report's approval is audited. Returns how many were approved and how
    /// many were held back by a blocking finding.
    public func approveAll(_ scope: BatchScope) async throws -> (approved: Int, held: Int64) {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        let province = [Role.provinceAdmin, .provinceReviewer].contains(ctx.principal.role)
        guard province || ctx.principal.role == .cityReviewer, let prefix = ctx.principal.regionPrefix,
            prefix.hasPrefix(String(batchContext.batch.provinceCode.prefix(2)))
        else { throw ServiceError.forbidden }
        let (action, awaiting): (ReportAction, ReportStatus) = province ? (.provinceApprove, .cityApproved) : (.cityApprove, .submitted)
        let next: ReportStatus
        switch ReportWorkflow.apply(action, to: awaiting, window: batchContext.batch.policy.window, locked: batchContext.lockedAt != nil, at: ctx.at)
        {
        case .failure(let refusal): throw refuse(refusal)
        case .success(let status): next = status
        }
        let (batchID, code) = (batchContext.batch.id, batchContext.batch.code)
        return try await db.transaction { db in
            let (moved, held) = try await DemandStore(db).moveAll(batchID: batchID, from: awaiting, to: next, regionPrefix: prefix)
            try await AuditLog(db).recordAll(
                actor: ctx.principal.username, event: .report(action), keys: moved.map { "\(code)/\($0)" },
                summary: "\(action.label.zh)（批量）", ip: ctx.ip, at: ctx.at)
            return (moved.count, held)
        }
    }

    /// A reviewer corrects an obvious data error in a submitted report itself (002 §3(三)); the change is audited with
    /// its reason.
    public func correct(_ scope: BatchScope, institutionCode: String, line: DemandLine, reason: String) async throws -> ReportForm {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        let org = try await institution(institutionCode, for: ctx.principal, allow: Authorizer.canReviewAsCity)
        let current = try await DemandStore(db).report(batchID: batchContext.batch.id, institutionID: org.id)
        if case .failure(let refusal) = ReportWorkflow.apply(
            .cityCorrect, to: current?.status, window: batchContext.batch.policy.window, locked: batchContext.lockedAt != nil, at: ctx.at)
        {
            throw refuse(refusal)
        }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= InputLimits.maxExplanationCharacters else {
            throw ServiceError(
                .reasonRequired, zh: "更正须填写原因（最多\(InputLimits.maxExplanationCharacters)字）",
                en: "a correction needs a reason (at most \(InputLimits.maxExplanationCharacters) characters)")
        }
        guard var after = current else { throw Refusal(.wrongStatus) }
        after.lines.removeAll { $0.specCode == line.specCode && ($0.productCode ?? "") == (line.productCode ?? "") }
        after.lines.append(line)
        let clean = try validate(DraftInput(lines: after.lines, explanations: after.explanations, exclusions: after.exclusions), batchContext)
        after.lines = clean.lines
        after.reviewedBy = ctx.principal.username
        return try await write(batchContext, org, before: current, after: after, event: .reportCorrection, summary: "审核更正：\(text)", ctx: ctx)
    }

    /// Changes a batch's timeline (002 §4), audited with before and after.
    public func setWindow(_ scope: BatchScope, window: ReportingWindow) async throws {
        let (batchCode, ctx) = (scope.code, scope.ctx)
        var batch = scope.batch
        guard Authorizer.canAdminister(ctx.principal, provinceCode: batch.provinceCode) else { throw ServiceError.forbidden }
        let before = batch.policy.window
        batch.policy.window = window
        if let problem = batch.policy.validate().first { throw ServiceError(.badWindow, zh: problem.zh, en: problem.en) }
        let policy = batch.policy
        let batchID = batch.id
        func text(_ w: ReportingWindow) -> String {
            [w.accountTestUntil, w.fillingOpens, w.fillingCloses, w.reviewDeadline].map(ReportingWindow.shanghaiText).joined(separator: " / ")
        }
        let detail = "\(text(before)) → \(text(window))"
        try await db.transaction { db in
            try await BatchStore(db).updatePolicy(batchID: batchID, policy)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .batchWindow, key: batchCode, summary: "修改填报时间",
                detail: detail, ip: ctx.ip, at: ctx.at)
        }
    }

    /// Locks (or unlocks) the batch after review: no report changes any more.
    public func setLocked(_ scope: BatchScope, locked: Bool) async throws {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        guard Authorizer.canAdminister(ctx.principal, provinceCode: batchContext.batch.provinceCode) else { throw ServiceError.forbidden }
        // Once the agreed volumes are computed from the locked demand, the demand stays locked: reopening it would
        // change the reports under published (or about to be published) figures.
        if !locked, [.computed, .published].contains(try await AwardService(db: db).state(batchID: batchContext.batch.id).phase) {
            throw Refusal(.awardPublished, zh: "约定采购量已计算或公布，不能解除报量锁定", en: "the agreed volumes are computed or published; the demand stays locked")
        }
        try await db.transaction { db in
            try await BatchStore(db).lock(batchID: batchContext.batch.id, at: locked ? ctx.at : nil)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: locked ? .batchLock : .batchUnlock, key: batchContext.batch.code,
                summary: locked ? "锁定批次" : "解除锁定", ip: ctx.ip, at: ctx.at)
        }
    }

    /// Uploads the scan of the printed, signed and sealed summary (002 §4(三)); the batch must be locked first.
    public func uploadSealed(_ scope: BatchScope, fileName: String, data: Data) async throws {
        let ctx = scope.ctx
        let batchContext = try await context(scope)
        guard Authorizer.canAdminister(ctx.principal, provinceCode: batchContext.batch.provinceCode) else { throw ServiceError.forbidden }
        guard batchContext.lockedAt != nil else {
            throw ServiceError(.notLocked, zh: "请先锁定批次再上传盖章汇总表", en: "lock the batch before uploading the sealed summary")
        }
        let type = try ReportService.checkUpload(name: fileName, data: data)
        try await db.transaction { db in
            let id = try await FileStore(db).add(
                batchID: batchContext.batch.id, institutionID: nil, kind: "sealed", name: fileName, contentType: type, data: data,
                sha256: ReportService.sha256Hex(data), uploadedBy: ctx.principal.username, at: ctx.at)
            try await BatchStore(db).setSealedFile(batchID: batchContext.batch.id, fileID: id)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .batchSealedFile, key: batchContext.batch.code,
                summary: "上传盖章汇总表 \(fileName)", ip: ctx.ip, at: ctx.at)
        }
    }

    /// The history of one report, for the institution itself, its city and the province.
    public func auditTrail(_ scope: BatchScope, institutionCode: String) async throws -> [AuditEntry] {
        let (batchCode, ctx) = (scope.code, scope.ctx)
        _ = try await institution(institutionCode, for: ctx.principal)
        return try await AuditLog(db).entries(entity: "report", keyPrefix: "\(batchCode)/\(institutionCode)", limit: 500)
            .filter { $0.entityKey == "\(batchCode)/\(institutionCode)" }
    }

    /// A file the principal may see: its institution's own files, or anything in its region for reviewers.
    public func file(id: Int64, ctx: RequestContext) async throws -> (StoredFile, Data) {
        let notFound = ServiceError(.fileNotFound, zh: "文件不存在或无权访问", en: "no such file in your scope")
        guard let meta = try await FileStore(db).meta(id: id) else { throw notFound }
        if let inst = meta.institutionID {
            guard let org = try await AccountStore(db).organisation(id: inst),
                Authorizer.canView(ctx.principal, ReportService.ref(org))
            else { throw notFound }
        } else {
            guard Authorizer.canSeeProvince(ctx.principal) else { throw notFound }
        }
        guard let data = try await FileStore(db).data(id: id) else { throw notFound }
        return (meta, data)
    }

    static func sha256Hex(_ data: Data) -> String { AccountService.sha256Hex(data) }
}
