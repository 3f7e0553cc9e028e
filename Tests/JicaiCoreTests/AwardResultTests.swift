import Foundation
import Testing

@testable import JicaiCore

/// Who holds agreed volume and what a results row means (003 §3; 001 §2(一) for county medical communities;
/// docs/rules.md "Award stage" for counted reports).
@Suite struct AwardResultTests {
    func report(_ code: String, _ region: String, lead: String? = nil, _ status: ReportStatus, _ quantity: Int64) -> CountedReport {
        CountedReport(
            institutionCode: code, regionCode: region, communityLeadCode: lead, status: status,
            lines: [DemandLine(specCode: "S021", quantity: quantity)])
    }

    @Test("Counted reports (docs/rules.md, award stage): only reports the province approved count; any other report counts as not reported")
    func countedReports() {
        let holders = AgreedVolumeCalculator.holders([
            report("A", "140105", .provinceApproved, 100), report("B", "140105", .cityApproved, 200), report("C", "140105", .submitted, 300),
            report("D", "140105", .returned, 400), report("E", "140105", .draft, 500),
        ])
        #expect(holders.map(\.institutionCode) == ["A"])
        #expect(holders[0].lines.map(\.quantity) == [100])
    }

    @Test("001 §2(一): a county medical community's members' lines are held by the lead, in the lead's region, each line naming its reporter")
    func communityLead() {
        let holders = AgreedVolumeCalculator.holders([
            report("LEAD", "140122", .provinceApproved, 100), report("M1", "140121", lead: "LEAD", .provinceApproved, 30),
            report("M2", "140122", lead: "LEAD", .cityApproved, 50),
        ])
        #expect(holders.count == 1)
        #expect(holders[0].institutionCode == "LEAD" && holders[0].regionCode == "140122")
        #expect(holders[0].lines.map(\.quantity) == [100, 30])
        #expect(holders[0].lineReporters == ["LEAD", "M1"])
        #expect(holders[0].reporters == ["LEAD", "M1"])
    }

    @Test("a member whose lead did not report: the lead still holds its volume (its region is taken from the member)")
    func leadWithoutReport() {
        let holders = AgreedVolumeCalculator.holders([report("M1", "140121", lead: "LEAD", .provinceApproved, 30)])
        #expect(holders.map(\.institutionCode) == ["LEAD"])
        #expect(holders[0].regionCode == "140121")
    }

    @Test("003 §3: backup suppliers carry no agreed volume and do not count as winners; the restricted flag selects the lower table")
    func resultRows() {
        let catalogue = Fixtures.catalogue
        guard let product = catalogue.products.first else {
            Issue.record("the fixture catalogue has products")
            return
        }
        let spec = catalogue.specByCode[product.specCode]!
        let entries = [
            ResultEntry(productCode: product.code, packPriceFen: 480, restricted: true),
            ResultEntry(productCode: "UNKNOWN", packPriceFen: 100),
        ]
        let award = AwardResult(entries: entries, catalogue: catalogue)
        #expect(award.winners.map(\.productCode) == [product.code])
        #expect(award.winners[0].packSize == spec.packSize)
        #expect(award.restrictedVarieties == [spec.varietyCode])
        let backup = AwardResult(
            entries: [ResultEntry(productCode: product.code, role: .backup, backupOrder: 1, packPriceFen: 480)], catalogue: catalogue)
        #expect(backup.winners.isEmpty)
        #expect(AwardRole.parse("备供") == .backup && AwardRole.parse("") == .winner && AwardRole.parse("第三") == nil)
    }

    @Test("the unit price is the pack price over the pack size, exact")
    func unitPrice() {
        #expect(ResultEntry(productCode: "P", packPriceFen: 280, regions: []).unitPrice(packSize: 28) == Ratio(10, 1))
        #expect(ResultEntry(productCode: "P", packPriceFen: 864, regions: []).unitPrice(packSize: 24) == Ratio(36, 1))
        #expect(ResultEntry(productCode: "P", packPriceFen: 100, regions: []).unitPrice(packSize: 3) == Ratio(100, 3))
    }

    @Test("an agreement's day is the Beijing calendar day: 16:00 UTC on December 31 is already January 1 in Beijing")
    func beijingDay() {
        let lateUTC = Date(timeIntervalSince1970: 1_767_196_800)  // 2025-12-31T16:00:00Z
        #expect(CivilDate(beijing: lateUTC) == CivilDate(2026, 1, 1)!)
        #expect(CivilDate(beijing: lateUTC.addingTimeInterval(-1)) == CivilDate(2025, 12, 31)!)
    }

    @Test("003 §6: a party that has signed is told so even after the agreement is in force; a stranger is told it is not a party")
    func signingOrder() {
        let year = AgreementYears.years(start: CivilDate(2026, 1, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)[0]
        var state = AgreementState(status: .sent, parties: [.institution: "I", .manufacturer: "M", .distributor: "D"], year: year)
        let day = CivilDate(2026, 2, 1)!
        for (party, org) in [(AgreementParty.institution, "I"), (.manufacturer, "M"), (.distributor, "D")] {
            guard case .success(let next) = state.signed(as: party, by: org, on: day) else {
                Issue.record("\(party) signs")
                return
            }
            state = next
        }
        #expect(state.status == .inForce)
        #expect(state.signed(as: .institution, by: "I", on: day) == .failure(Refusal(.alreadySigned)))
        #expect(state.signed(as: .institution, by: "X", on: day) == .failure(Refusal(.wrongParty)))
    }
}
