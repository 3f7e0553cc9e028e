import Foundation

/// A batch as stored.
public struct BatchRecord: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    public var provinceCode: String
    public var policy: BatchPolicy

    public init(id: Int64, code: String, name: String, provinceCode: String, policy: BatchPolicy) {
        self.id = id
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.policy = policy
    }
}

/// A finding with the institution it concerns.
public struct StoredFinding: Sendable, Hashable {
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var finding: Finding

    public init(institutionCode: String, institutionName: String, regionCode: String, finding: Finding) {
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.finding = finding
    }
}
