import Foundation
import Testing

@testable import JicaiCore

@Suite("Access and workflow — 000 §4, §5(五); 001 §2(一); 002 §3(三), §4")
struct AccessTests {
    let hospital = InstitutionRef(code: "H1", regionCode: "140105")
    let lead = InstitutionRef(code: "T1", regionCode: "140122")
    let member = InstitutionRef(code: "V1", regionCode: "140122", communityLeadCode: "T1")
    let otherCity = InstitutionRef(code: "D1", regionCode: "140202")

    @Test("scope: an institution sees only itself; a community lead also its members (001 §2(一)); a city its region; the province all")
    func scope() {
        let filler = Principal(username: "h1", role: .institutionFiller, organisationCode: "H1")
        #expect(Authorizer.canView(filler, hospital))
        #expect(Authorizer.canFill(filler, hospital))
        #expect(!Authorizer.canView(filler, lead))
        let leadFiller = Principal(username: "t1", role: .institutionFiller, organisationCode: "T1")
        #expect(Authorizer.canFill(leadFiller, member))
        #expect(!Authorizer.canFill(Principal(username: "v1", role: .institutionFiller, organisationCode: "V1"), lead))
        let city = Principal(username: "c", role: .cityReviewer, regionCode: "140100")
        #expect(Authorizer.canReviewAsCity(city, hospital) && Authorizer.canReviewAsCity(city, member))
        #expect(!Authorizer.canView(city, otherCity))
        #expect(!Authorizer.canFill(city, hospital))
        #expect(!Authorizer.canReviewAsProvince(city, hospital))
        let province = Principal(username: "p", role: .provinceReviewer, regionCode: "140000")
        #expect(Authorizer.canReviewAsProvince(province, otherCity))
        #expect(!Authorizer.canView(province, InstitutionRef(code: "X", regionCode: "110101")))
        #expect(!Authorizer.canAdminister(province, provinceCode: "140000"))
        #expect(Authorizer.canAdminister(Principal(username: "a", role: .provinceAdmin, regionCode: "140000"), provinceCode: "140000"))
        let maker = Principal(username: "m", role: .manufacturer, organisationCode: "M1")
        #expect(!Authorizer.canView(maker, hospital))
        #expect(Authorizer.listingPrefix(city, requested: nil) == "1401")
        #expect(Authorizer.listingPrefix(city, requested: "140105") == "140105")
        #expect(Authorizer.listingPrefix(city, requested: "1402") == nil)
        #expect(Authorizer.listingPrefix(filler, requested: nil) == nil)
        let admin = Principal(username: "a", role: .provinceAdmin, regionCode: "140000")
        #expect(Authorizer.canSeeProvince(province) && Authorizer.canSeeProvince(admin) && !Authorizer.canSeeProvince(city))
        #expect(Authorizer.canManageAccounts(admin) && Authorizer.canManageAccounts(admin, accountRegion: "140105"))
        #expect(!Authorizer.canManageAccounts(admin, accountRegion: "110101"), "another province's account")
        #expect(!Authorizer.canManageAccounts(province) && !Authorizer.canManageAccounts(admin, accountRegion: ""))
    }

    @Test("lock-out after 5 failures for 15 minutes; password rules")
    func login() {
        let p = LoginPolicy()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for failures in 1...4 { #expect(p.lockUntil(failures: failures, at: t0) == nil) }
        let until = p.lockUntil(failures: 5, at: t0)
        #expect(until == t0.addingTimeInterval(900))
        // Parallel failures counted past the limit still lock (the count is read back from the database).
        #expect(p.lockUntil(failures: 40, at: t0) == t0.addingTimeInterval(900))
        #expect(p.isLocked(until: until, at: t0.addingTimeInterval(899)))
        #expect(!p.isLocked(until: until, at: t0.addingTimeInterval(900)))
        #expect(p.problem(newPassword: "short1", username: "u", current: nil) != nil)
        #expect(p.problem(newPassword: "onlyletters", username: "u", current: nil) != nil)
        #expect(p.problem(newPassword: "abc12345", username: "u", current: "abc12345") != nil)
        #expect(p.problem(newPassword: "h1000abc9", username: "H1000", current: nil) != nil)
        #expect(p.problem(newPassword: "Jicai2025x", username: "u", current: "old") == nil)
    }

    let window = ReportingWindow.notice002

    func apply(_ a: ReportAction, _ s: ReportStatus?, _ t: Date, locked: Bool = false) -> String {
        switch ReportWorkflow.apply(a, to: s, window: window, locked: locked, at: t) {
        case .success(let next): next.rawValue
        case .failure(let r): r.code.rawValue
        }
    }

    @Test("002 §4(二): filling Dec 19 00:00 – Dec 29 24:00 Beijing time; a second before and after is refused; no late data (000 §4)")
    func fillingWindow() {
        let opens = window.fillingOpens
        let closes = window.fillingCloses
        #expect(apply(.submit, .draft, opens.addingTimeInterval(-1)) == "WINDOW_NOT_OPEN")
        #expect(apply(.save, nil, opens.addingTimeInterval(-1)) == "WINDOW_NOT_OPEN")
        #expect(apply(.save, nil, opens) == "draft")
        #expect(apply(.submit, .draft, closes.addingTimeInterval(-1)) == "submitted")
        #expect(apply(.save, .draft, closes) == "WINDOW_CLOSED")
        #expect(apply(.submit, .draft, closes.addingTimeInterval(1)) == "WINDOW_CLOSED")
        #expect(apply(.save, .submitted, opens) == "REPORT_NOT_EDITABLE")
        #expect(apply(.save, .draft, opens, locked: true) == "BATCH_LOCKED")
    }

    @Test("002 §3(三), §4(三): a returned report may be fixed after the window until the review deadline; reviewers act until it")
    func reviewDeadline() {
        let deadline = window.reviewDeadline
        #expect(apply(.submit, .returned, deadline.addingTimeInterval(-1)) == "submitted")
        #expect(apply(.submit, .returned, deadline) == "WINDOW_CLOSED")
        #expect(apply(.cityApprove, .submitted, deadline.addingTimeInterval(-1)) == "cityApproved")
        #expect(apply(.cityApprove, .submitted, deadline) == "REVIEW_CLOSED")
        #expect(apply(.cityReturn, .submitted, deadline.addingTimeInterval(-1)) == "returned")
        #expect(apply(.provinceApprove, .submitted, deadline.addingTimeInterval(-1)) == "WRONG_STATUS")
        #expect(apply(.provinceApprove, .cityApproved, deadline.addingTimeInterval(-1)) == "provinceApproved")
        #expect(apply(.provinceReturn, .provinceApproved, deadline.addingTimeInterval(-1)) == "returned")
        #expect(apply(.cityApprove, nil, deadline.addingTimeInterval(-1)) == "WRONG_STATUS")
        #expect(apply(.cityCorrect, .submitted, window.fillingOpens) == "submitted")
        #expect(apply(.cityCorrect, .cityApproved, window.fillingOpens) == "WRONG_STATUS")
    }

    @Test("000 §3(二), 002 §3(三), 001 §2(一): has history and no submitted report is 'not reported', unless the community lead submitted for it")
    func notReported() {
        let leadOf = ["V1": "T1", "V2": "T1"]
        var list = MedicalCommunity.notReported(withHistory: ["H1", "T1", "V1", "V2", "N1"], submitted: ["H1"], leadOf: leadOf)
        #expect(list == ["T1", "V1", "V2", "N1"])
        list = MedicalCommunity.notReported(withHistory: ["H1", "T1", "V1", "V2"], submitted: ["H1", "T1", "V2"], leadOf: leadOf)
        #expect(list.isEmpty, "V1 is covered by its lead; V2 reported itself")
    }

    @Test("002 §4: Beijing wall-clock times, 24:00 meaning the end of the day; bad text refused")
    func wallClock() {
        #expect(ReportingWindow.shanghai(text: "2025-12-29T24:00") == ReportingWindow.notice002.fillingCloses)
        #expect(ReportingWindow.shanghai(text: "2025-12-19") == ReportingWindow.notice002.fillingOpens)
        #expect(ReportingWindow.shanghai(text: "2025-12-31 17:00") == ReportingWindow.notice002.reviewDeadline)
        #expect(ReportingWindow.shanghaiText(ReportingWindow.notice002.fillingCloses) == "2025-12-30 00:00")
        for bad in ["2025-13-01", "yesterday", "2025-12", "2025-12-01T25:00", "2025-12-01T10:61"] {
            #expect(ReportingWindow.shanghai(text: bad) == nil, "\(bad)")
        }
    }
}
