import JicaiCore
import Vapor

/// Typed query values: a value that is present but not valid is refused with 400 and a message in both languages,
/// before anything is computed from it; an absent or empty value is nil (the page's default applies).
enum QueryValue {
    static func refusal(zh: String, en: String) -> Refusal { Refusal(.badQuery, zh: zh, en: en) }

    /// A month of the platform's range ("2026-04"); `CivilDate.years` bounds it.
    static func month(_ req: Request, _ key: String) throws -> MonthKey? {
        guard let text: String = req.query[key], !text.isEmpty else { return nil }
        guard let month = MonthKey(text: text) else {
            let (first, last) = (MonthKey(CivilDate.earliest), MonthKey(CivilDate.latest))
            throw refusal(
                zh: "月份应为YYYY-MM，在\(first)至\(last)之间：“\(text.prefix(20))”", en: "a month is YYYY-MM from \(first) to \(last): \"\(text.prefix(20))\"")
        }
        return month
    }
}
