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
