/// A user-facing text in both interface languages. Chinese is the default language of the platform.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: Language) -> String {
        language == .zh ? zh : en
    }
}

public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// A count with its noun in both languages: "3处问题" / "3 problems", "1 problem".
public func counted(_ n: Int, zh unit: String, en singular: String, _ plural: String? = nil) -> LocalizedText {
    LocalizedText(zh: "\(n)\(unit)", en: "\(n) " + (n == 1 ? singular : plural ?? singular + "s"))
}
