import Testing

@testable import JicaiCore

/// The identifiers of docs/rules.md, used by the catalogue, account and traceability rules of 000–004.
@Suite("Identifiers (docs/rules.md)")
struct IdentifierTests {
    @Test("region prefixes: 2, 4 or 6 ASCII digits (a province, a city, a county)")
    func regionPrefixes() {
        for good in ["14", "1401", "140105"] { #expect(DivisionCode.isPrefix(good), "\(good)") }
        for bad in ["", "1", "140", "14010", "1401051", "14ab", "１４", "14 1", "%"] { #expect(!DivisionCode.isPrefix(bad), "\(bad)") }
    }

    @Test("division codes: 6 digits, province prefix, hierarchy")
    func divisionCodes() throws {
        let county = try #require(DivisionCode("140105"))
        #expect(county.level == .county)
        #expect(county.cityCode?.value == "140100")
        #expect(county.provinceCode.value == "140000")
        #expect(DivisionCode("140100")?.level == .city)
        #expect(DivisionCode("140000")?.level == .province)
        #expect(DivisionCode("140000")!.contains(county))
        #expect(DivisionCode("140100")!.contains(county))
        #expect(!DivisionCode("140200")!.contains(county))
        #expect(DivisionCode("14010") == nil)
        #expect(DivisionCode("1401a5") == nil)
        guard case .failure(let e) = DivisionCode.parse("990101") else {
            Issue.record("99 accepted")
            return
        }
        #expect(e.code == "DIVISION_PROVINCE")
        // Counties directly under a province have 00 as their city part (the national table: Macau 820001,
        // Hainan's 4690xx are 90): accepted, with no city.
        let direct = try #require(DivisionCode("820001"))
        #expect(direct.level == .county)
        #expect(direct.cityCode == nil)
        #expect(DivisionCode("820000")!.contains(direct))
    }

    @Test("unified social credit code: alphabet and check character (GB 32100)")
    func creditCode() {
        // Published codes whose check characters follow GB 32100.
        #expect(CreditCode("91350100M000100Y43") != nil)
        #expect(CreditCode("91110000802100433B") != nil)
        let completed = CreditCode.completing("12140000405202690")!
        #expect(CreditCode(completed.value) != nil)
        #expect(completed.divisionPart == "140000")
        // Change the check character: refused with the expected one named.
        var chars = Array(completed.value)
        chars[17] = chars[17] == "0" ? "1" : "0"
        guard case .failure(let e) = CreditCode.parse(String(chars)) else {
            Issue.record("bad check accepted")
            return
        }
        #expect(e.code == "USCC_CHECK")
        #expect(e.message.zh.contains("校验位"))
        guard case .failure(let l) = CreditCode.parse("9135") else {
            Issue.record("short accepted")
            return
        }
        #expect(l.code == "USCC_LENGTH")
        guard case .failure(let c) = CreditCode.parse("91350100M000100YI3") else {
            Issue.record("I accepted")
            return
        }
        #expect(c.code == "USCC_CHARACTER")
    }

    @Test("insurance drug code: 23 characters, X or Z")
    func insuranceCode() {
        if case .failure = InsuranceDrugCode.parse("XC08CAA040A001010100446") { Issue.record("valid code refused") }
        guard case .failure(let e) = InsuranceDrugCode.parse("YC08CAA040A001010100446") else {
            Issue.record()
            return
        }
        #expect(e.code == "DRUG_CODE_TYPE")
        guard case .failure(let l) = InsuranceDrugCode.parse("XC08") else {
            Issue.record()
            return
        }
        #expect(l.code == "DRUG_CODE_LENGTH")
        guard case .failure(let c) = InsuranceDrugCode.parse("XC08CAA040A00101010044-") else {
            Issue.record()
            return
        }
        #expect(c.code == "DRUG_CODE_CHARACTER")
    }

    @Test("traceability code: 20 digits, product prefix, duplicates are anomalies (001 §2(五))")
    func traceability() throws {
        let code = try TraceabilityCode.parse("81234560000000000017").get()
        #expect(code.productPrefix == "8123456")
        guard case .failure(let e) = TraceabilityCode.parse("8123456000000000001") else {
            Issue.record()
            return
        }
        #expect(e.code == "TRACE_CODE_LENGTH")
        guard case .failure(let d) = TraceabilityCode.parse("8123456000000000001X") else {
            Issue.record()
            return
        }
        #expect(d.code == "TRACE_CODE_DIGITS")
        let other = TraceabilityCode(unchecked: "81234560000000000018")
        #expect(TraceabilityCode.duplicates(in: [code, other, code]) == [code])
    }

    @Test("000 §1, 002 §1: public and military institutions must report, primary care is urged, private ones and pharmacies encouraged")
    func participation() {
        #expect(Participation.of(kind: .institution, ownership: .publicOwned, category: .tertiaryHospital) == .required)
        #expect(Participation.of(kind: .institution, ownership: .military, category: .secondaryHospital) == .required)
        #expect(Participation.of(kind: .institution, ownership: .publicOwned, category: .villageClinic) == .urged)
        #expect(Participation.of(kind: .institution, ownership: .privateOwned, category: .primaryHospital) == .encouraged)
        #expect(Participation.of(kind: .pharmacy, ownership: .privateOwned, category: nil) == .encouraged)
        #expect(Participation.of(kind: .manufacturer, ownership: nil, category: nil) == .voluntary)
    }
}
