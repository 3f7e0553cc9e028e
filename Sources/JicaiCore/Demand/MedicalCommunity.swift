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
}
