/// A close-knit county medical community (紧密型县域医共体) may report, buy, settle and be assessed as one unit
/// through its lead institution (001 §2(一), 004 §1): its history is the members' history added up.
public enum MedicalCommunity {
    public static func combinedHistory<S: Sequence>(_ members: S) -> [String: Int64] where S.Element == [String: Int64] {
        var total: [String: Int64] = [:]
        for history in members {
            for (spec, q) in history { total[spec, default: 0] += q }
        }
        return total
    }

    /// Which members a lead reports for (001 §2(一)): a member with a submitted report of its own reports for itself;
    /// a member without one is covered by its lead when the lead has submitted. Returns lead → covered members.
    public static func coveredMembers(leadOf: [String: String], submitted: Set<String>) -> [String: [String]] {
        var covered: [String: [String]] = [:]
        for (member, lead) in leadOf where member != lead && !submitted.contains(member) && submitted.contains(lead) {
            covered[lead, default: []].append(member)
        }
        return covered.mapValues { $0.sorted() }
    }

    /// The institutions listed as "has history, did not report" (000 §3(二), 002 §3(三)): history and no submitted
    /// report of their own, unless their county medical community lead submitted for them (001 §2(一)). The same rule
    /// as `CheckService`'s `NOT_REPORTED` findings (coverage by `coveredMembers`, then `notReportedFinding`).
    public static func notReported(withHistory: Set<String>, submitted: Set<String>, leadOf: [String: String]) -> Set<String> {
        let covered = Set(coveredMembers(leadOf: leadOf, submitted: submitted).values.joined())
        return withHistory.subtracting(submitted).subtracting(covered)
    }

    /// Why `lead` cannot lead `member`'s county medical community (001 §2(一), 004 §1): it must be a medical
    /// institution other than the member, in the same city (a county community lies within one county; region
    /// tables sometimes register the lead hospital at the city district, so the city is the check). Nil when fine.
    public static func leadProblem(member: Organisation, lead: Organisation) -> LocalizedText? {
        if lead.code == member.code {
            return LocalizedText(zh: "牵头机构不能是本机构", en: "an institution cannot lead itself")
        }
        if lead.kind != .institution {
            return LocalizedText(zh: "牵头机构“\(lead.code)”不是医疗机构", en: "lead \"\(lead.code)\" is not a medical institution")
        }
        if lead.regionCode.cityCode != member.regionCode.cityCode {
            return LocalizedText(zh: "牵头机构“\(lead.code)”与本机构不在同一地市", en: "lead \"\(lead.code)\" is in another city")
        }
        return nil
    }
}
