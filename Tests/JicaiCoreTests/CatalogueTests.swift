import Testing

@testable import JicaiCore

@Suite("Catalogue and conversion by effective content — 000 §5(四), 002 §2, §3(五)")
struct CatalogueTests {
    let cat = Fixtures.catalogue

    @Test("merged dosage forms share one unit; non-substitutable specs are their own (000 §5(四), 002 §3(五))")
    func units() {
        #expect(cat.unit(ofSpec: "S011") == CheckUnit(varietyCode: "V01"))
        #expect(cat.unit(ofSpec: "S012") == CheckUnit(varietyCode: "V01"))
        #expect(cat.unit(ofSpec: "S013") == CheckUnit(varietyCode: "V01", separateSpecCode: "S013"))
        #expect(cat.units.map(\.key) == ["V01", "V01/S013", "V02", "V03", "V04", "V05"])
        #expect(cat.reportableSpecs(in: CheckUnit(varietyCode: "V02")).map(\.code) == ["S021"])
    }

    @Test("conversion is exact and rounds once, half up (002 §3(五))")
    func conversion() {
        let s011 = cat.specByCode["S011"]!
        let s012 = cat.specByCode["S012"]!
        let s013 = cat.specByCode["S013"]!
        #expect(ContentConversion.convert(100, from: s011, to: s012) == 50)
        #expect(ContentConversion.convert(3, from: s011, to: s012) == 2)  // 1.5 → 2
        #expect(ContentConversion.convert(50, from: s012, to: s011) == 100)
        // Paediatric granules are never converted (000 §5(四)).
        #expect(ContentConversion.convert(10, from: s013, to: s011) == nil)
        // Across varieties: never.
        #expect(ContentConversion.convert(10, from: s011, to: cat.specByCode["S021"]!) == nil)
    }

    @Test("effective content parses units into exact base amounts")
    func contents() {
        #expect(EffectiveContent(text: "0.25g")?.baseAmount == EffectiveContent(text: "250mg")?.baseAmount)
        #expect(EffectiveContent(text: "80万IU")?.baseAmount == EffectiveContent(text: "800000IU")?.baseAmount)
        #expect(EffectiveContent(text: "0.25μg")?.baseAmount == 250)
        #expect(EffectiveContent(text: "0g") == nil)
        #expect(EffectiveContent(text: "5 furlongs") == nil)
        #expect(EffectiveContent(text: "mg") == nil)
    }

    @Test("catalogue refuses duplicates, unknown varieties and unmergeable contents")
    func validation() {
        #expect(throws: CatalogueError.self) {
            try Catalogue(varieties: Fixtures.varieties, specs: Fixtures.specs + [Fixtures.specs[0]])
        }
        var orphan = Fixtures.specs[0]
        orphan.code = "S999"
        orphan.varietyCode = "V99"
        #expect(throws: CatalogueError.self) { try Catalogue(varieties: Fixtures.varieties, specs: [orphan]) }
        var iu = Fixtures.specs[1]
        iu.code = "S014"
        iu.content = EffectiveContent(text: "100IU")!
        do {
            _ = try Catalogue(varieties: Fixtures.varieties, specs: Fixtures.specs + [iu])
            Issue.record("mass and activity merged")
        } catch {
            #expect(error.code == "MIXED_CONTENT_DIMENSION")
        }
    }

    @Test("a county medical community's history is its members' added up (001 §2(一), 004 §1)")
    func community() {
        let combined = MedicalCommunity.combinedHistory([["S011": 10, "S021": 5], ["S011": 7]])
        #expect(combined == ["S011": 17, "S021": 5])
    }

    @Test("001 §2(一): a lead that submitted reports for the members that did not; members that submitted report for themselves")
    func communityCoverage() {
        let leadOf = ["M1": "L", "M2": "L", "M3": "L", "N1": "K"]
        let covered = MedicalCommunity.coveredMembers(leadOf: leadOf, submitted: ["L", "M2"])
        #expect(covered == ["L": ["M1", "M3"]])
        #expect(MedicalCommunity.coveredMembers(leadOf: leadOf, submitted: ["M1"]).isEmpty)
    }

    @Test("001 §2(一), 004 §1: a community's lead is another medical institution of the same city")
    func communityLead() throws {
        func org(_ code: String, _ kind: OrganisationKind, _ region: String) throws -> Organisation {
            Organisation(
                code: code, name: code, kind: kind, category: nil, ownership: nil, beds: nil,
                regionCode: try DivisionCode.parse(region).get(), communityLeadCode: nil)
        }
        let clinic = try org("C", .institution, "140122")
        #expect(MedicalCommunity.leadProblem(member: clinic, lead: try org("H", .institution, "140105")) == nil)
        #expect(MedicalCommunity.leadProblem(member: clinic, lead: clinic) != nil)
        #expect(MedicalCommunity.leadProblem(member: clinic, lead: try org("P", .pharmacy, "140122")) != nil)
        #expect(MedicalCommunity.leadProblem(member: clinic, lead: try org("D", .institution, "140202"))?.en.contains("another city") == true)
    }
}
