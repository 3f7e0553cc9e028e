import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// The account a command acts as (`--as USERNAME`): the same checks as that account's pages, and its name in the
/// audit log.
func acting(_ username: String?, db: DB) async throws -> RequestContext {
    guard let username, !username.isEmpty else {
        throw Refusal(.badOption, zh: "请用 --as 指定执行操作的账号", en: "name the account that acts with --as")
    }
    return try await AccountService.commandContext(db: db, username: username, at: Date())
}

/// `jicai review <action> --batch B --as USER …`: the city's and the province's review from the command line, through
/// the same service doors as the review pages (000 §5(五), 002 §3(三), §4).
///
///     jicai review approve --batch B --as U --institution I      approve one report (as a city or the province)
///     jicai review return --batch B --as U --institution I --reason R
///     jicai review approve-all --batch B --as U                  approve every report awaiting this reviewer
///     jicai review window --batch B --as U --test-until T --opens T --closes T --review-deadline T
public struct ReviewCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "approve | return | approve-all | window")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "as", help: "the reviewer's or administrator's username")
        var user: String?
        @Option(name: "institution", help: "institution code (approve, return)")
        var institution: String?
        @Option(name: "reason", help: "why (return)")
        var reason: String?
        @Option(name: "test-until", help: "accounts tested until, YYYY-MM-DD HH:MM Beijing time (window)")
        var testUntil: String?
        @Option(name: "opens", help: "filling opens (window)")
        var opens: String?
        @Option(name: "closes", help: "filling closes (window)")
        var closes: String?
        @Option(name: "review-deadline", help: "review deadline (window)")
        var reviewDeadline: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "审核 / review: approve, return, approve all awaiting, the reporting window" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let db = try await context.database()
            let line = try await perform(signature, batch: try requireBatch(signature.batch), db: db)
            context.console.output(line.text(lang), style: .success)
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }

    func perform(_ signature: Signature, batch: String, db: DB) async throws -> LocalizedText {
        let ctx = try await acting(signature.user, db: db)
        let scope = try await BatchScope.resolve(batch, db: db, ctx: ctx)
        let reports = ReportService(db: db)
        let province = [Role.provinceAdmin, .provinceReviewer].contains(ctx.principal.role)
        switch signature.action {
        case "approve", "return":
            guard let institution = signature.institution else {
                throw Refusal(.badOption, zh: "请用 --institution 指定机构", en: "name the institution with --institution")
            }
            let approve = signature.action == "approve"
            let action: ReportAction = province ? (approve ? .provinceApprove : .provinceReturn) : (approve ? .cityApprove : .cityReturn)
            let form = try await reports.review(scope, institutionCode: institution, action: action, reason: signature.reason)
            let status = form.report?.status.label ?? LocalizedText(zh: "", en: "")
            return LocalizedText(zh: "\(institution)：\(status.zh)", en: "\(institution): \(status.en)")
        case "approve-all":
            let (approved, held) = try await reports.approveAll(scope)
            return LocalizedText(
                zh: "已审核通过\(approved)份报量\(held > 0 ? "；\(held)份有须处理的问题，未通过" : "")",
                en: "\(approved) reports approved\(held > 0 ? "; \(held) held back by blocking findings" : "")")
        case "window":
            let dates = [signature.testUntil, signature.opens, signature.closes, signature.reviewDeadline].map {
                $0.flatMap(ReportingWindow.shanghai(text:))
            }
            guard case (let test?, let opens?, let closes?, let deadline?) = (dates[0], dates[1], dates[2], dates[3]) else {
                throw Refusal(
                    .badDate, zh: "请给出 --test-until、--opens、--closes 和 --review-deadline",
                    en: "give --test-until, --opens, --closes and --review-deadline")
            }
            try await reports.setWindow(
                scope, window: ReportingWindow(accountTestUntil: test, fillingOpens: opens, fillingCloses: closes, reviewDeadline: deadline))
            return LocalizedText(zh: "已修改填报时间", en: "reporting window changed")
        default:
            throw Refusal(.badAction, zh: "未知操作“\(signature.action)”", en: "unknown action \"\(signature.action)\"")
        }
    }
}

/// `jicai batch lock|unlock --batch B --as USER`: locks the demand after review (or unlocks it before the award is
/// computed), through the same door as the progress page.
public struct BatchCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "lock | unlock")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "as", help: "the province administrator's username")
        var user: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "批次 / batch: lock or unlock the demand" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let db = try await context.database()
            let batch = try requireBatch(signature.batch)
            let ctx = try await acting(signature.user, db: db)
            guard ["lock", "unlock"].contains(signature.action) else {
                throw Refusal(.badAction, zh: "未知操作“\(signature.action)”", en: "unknown action \"\(signature.action)\"")
            }
            let locked = signature.action == "lock"
            try await ReportService(db: db).setLocked(try await BatchScope.resolve(batch, db: db, ctx: ctx), locked: locked)
            context.console.output(
                (locked ? LocalizedText(zh: "批次已锁定", en: "batch locked") : LocalizedText(zh: "已解除锁定", en: "batch unlocked")).text(lang),
                style: .success)
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }
}
