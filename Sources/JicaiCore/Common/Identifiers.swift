import Foundation

/// Why an identifier was refused, in both languages, with a stable code.
public struct IdentifierError: Error, Sendable, Hashable {
    public let code: String
    public let message: LocalizedText

    init(_ code: String, zh: String, en: String) {
        self.code = code
        self.message = LocalizedText(zh: zh, en: en)
    }
}

/// A 6-digit administrative division code (GB/T 2260): 2 digits province, 2 city, 2 county (docs/rules.md, "Identifiers").
public struct DivisionCode: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case province, city, county
    }

    public let value: String

    /// The province prefixes in use (GB/T 2260), including Taiwan 71, Hong Kong 81, Macao 82.
    static let provincePrefixes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    public static func parse(_ text: String) -> Result<DivisionCode, IdentifierError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count == 6, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return .failure(
                IdentifierError(
                    "DIVISION_FORMAT", zh: "行政区划代码应为6位数字：“\(trimmed)”",
                    en: "an administrative division code has 6 digits: \"\(trimmed)\""))
        }
        guard provincePrefixes.contains(String(trimmed.prefix(2))) else {
            return .failure(
                IdentifierError(
                    "DIVISION_PROVINCE", zh: "行政区划代码前两位不是有效的省级代码：“\(trimmed)”",
                    en: "the first two digits are not a province code: \"\(trimmed)\""))
        }
        return .success(DivisionCode(unchecked: trimmed))
    }

    public init(unchecked value: String) { self.value = value }

    public init?(_ text: String) {
        guard case .success(let code) = DivisionCode.parse(text) else { return nil }
        self = code
    }

    public var level: Level {
        if value.hasSuffix("0000") { return .province }
        if value.hasSuffix("00") { return .city }
        return .county
    }

    public var provinceCode: DivisionCode { DivisionCode(unchecked: String(value.prefix(2)) + "0000") }

    /// Whether a text is the shape of a region prefix: a province (2 digits), a city (4) or a county (6), ASCII digits
    /// only (the filters of lists, dashboards and supply problems).
    public static func isPrefix(_ text: String) -> Bool {
        [2, 4, 6].contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The city this code belongs to (itself for a city); nil for a province.
    public var cityCode: DivisionCode? {
        // A county directly under its province (city part 00, e.g. Macau's parishes 8200xx) has no city.
        level == .province || value.dropFirst(2).prefix(2) == "00" ? nil : DivisionCode(unchecked: String(value.prefix(4)) + "00")
    }

    /// Whether `other` lies inside this division (or is it).
    public func contains(_ other: DivisionCode) -> Bool {
        switch level {
        case .province: return other.value.hasPrefix(value.prefix(2))
        case .city: return other.value.hasPrefix(value.prefix(4))
        case .county: return other == self
        }
    }

    public var description: String { value }
    public static func < (a: DivisionCode, b: DivisionCode) -> Bool { a.value < b.value }
}

/// The 18-character unified social credit code (GB 32100) with its check character (docs/rules.md, "Identifiers").
public struct CreditCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let valueOf: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    public let value: String
    public init(unchecked value: String) { self.value = value }

    public static func parse(_ text: String) -> Result<CreditCode, IdentifierError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let chars = Array(trimmed)
        guard chars.count == 18 else {
            return .failure(
                IdentifierError(
                    "USCC_LENGTH", zh: "统一社会信用代码应为18位，实际\(chars.count)位：“\(trimmed)”",
                    en: "a unified social credit code has 18 characters, got \(chars.count): \"\(trimmed)\""))
        }
        var values: [Int] = []
        for (i, ch) in chars.enumerated() {
            guard let value = valueOf[ch] else {
                return .failure(
                    IdentifierError(
                        "USCC_CHARACTER", zh: "统一社会信用代码第\(i + 1)位“\(ch)”不是允许的字符（不含I、O、Z、S、V）",
                        en: "character \(i + 1) \"\(ch)\" is not allowed in a unified social credit code (no I, O, Z, S, V)"))
            }
            values.append(value)
        }
        let expected = checkCharacter(forFirst17: values)
        guard chars[17] == expected else {
            return .failure(
                IdentifierError(
                    "USCC_CHECK", zh: "统一社会信用代码校验位错误：应为“\(expected)”，实际“\(chars[17])”",
                    en: "wrong check character in the unified social credit code: expected \"\(expected)\", got \"\(chars[17])\""))
        }
        return .success(CreditCode(unchecked: trimmed))
    }

    public init?(_ text: String) {
        guard case .success(let code) = CreditCode.parse(text) else { return nil }
        self = code
    }

    static func checkCharacter(forFirst17 values: [Int]) -> Character {
        var sum = 0
        for index in 0..<17 { sum += values[index] * weights[index] }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Completes 17 characters with their check character (used by the demo generator and tests).
    public static func completing(_ first17: String) -> CreditCode? {
        let chars = Array(first17.uppercased())
        guard chars.count == 17 else { return nil }
        var values: [Int] = []
        for ch in chars {
            guard let value = valueOf[ch] else { return nil }
            values.append(value)
        }
        return CreditCode(unchecked: first17.uppercased() + String(checkCharacter(forFirst17: values)))
    }

    /// Positions 3–8: the administrative division code of the registering authority.
    public var divisionPart: String { String(Array(value)[2..<8]) }
    public var description: String { value }
}

/// The national insurance drug code (医保药品编码): 23 characters, X for Western and Z for Chinese patent medicines,
/// upper-case letters and digits.
public struct InsuranceDrugCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String
    public init(unchecked value: String) { self.value = value }

    public static func parse(_ text: String) -> Result<InsuranceDrugCode, IdentifierError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard trimmed.utf8.count == 23, trimmed.count == 23 else {
            return .failure(
                IdentifierError(
                    "DRUG_CODE_LENGTH", zh: "医保药品编码应为23位：“\(trimmed)”",
                    en: "an insurance drug code has 23 characters: \"\(trimmed)\""))
        }
        guard let first = trimmed.first, first == "X" || first == "Z" else {
            return .failure(
                IdentifierError(
                    "DRUG_CODE_TYPE", zh: "医保药品编码应以X（西药）或Z（中成药）开头：“\(trimmed)”",
                    en: "an insurance drug code starts with X (Western) or Z (Chinese patent medicine): \"\(trimmed)\""))
        }
        guard trimmed.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }) else {
            return .failure(
                IdentifierError(
                    "DRUG_CODE_CHARACTER", zh: "医保药品编码只能包含大写字母和数字：“\(trimmed)”",
                    en: "an insurance drug code holds only upper-case letters and digits: \"\(trimmed)\""))
        }
        return .success(InsuranceDrugCode(unchecked: trimmed))
    }

    public var description: String { value }
}

/// A 20-digit drug traceability code (药品追溯码): the first 7 digits identify the product and packaging level,
/// the rest are serial and check part (docs/rules.md, "Identifiers"; 001 §2(五)).
public struct TraceabilityCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String
    public init(unchecked value: String) { self.value = value }

    public static func parse(_ text: String) -> Result<TraceabilityCode, IdentifierError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return .failure(
                IdentifierError(
                    "TRACE_CODE_DIGITS", zh: "药品追溯码只能包含数字：“\(trimmed)”",
                    en: "a drug traceability code holds digits only: \"\(trimmed)\""))
        }
        guard trimmed.utf8.count == 20 else {
            return .failure(
                IdentifierError(
                    "TRACE_CODE_LENGTH", zh: "药品追溯码应为20位数字，实际\(trimmed.utf8.count)位",
                    en: "a drug traceability code has 20 digits, got \(trimmed.utf8.count)"))
        }
        return .success(TraceabilityCode(unchecked: trimmed))
    }

    public var productPrefix: String { String(value.prefix(7)) }
    public var description: String { value }

    /// Codes that occur more than once: the same code settled twice is an anomaly (docs/rules.md, "Identifiers").
    public static func duplicates(in codes: [TraceabilityCode]) -> Set<TraceabilityCode> {
        var seen = Set<TraceabilityCode>()
        var dup = Set<TraceabilityCode>()
        for code in codes where !seen.insert(code).inserted { dup.insert(code) }
        return dup
    }
}
