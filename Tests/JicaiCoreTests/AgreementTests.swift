import Foundation
import Testing

@testable import JicaiCore

@Suite struct AgreementTests {
    static let year = AgreementYears.years(start: CivilDate(2025, 4, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)[0]
    static let parties: [AgreementParty: String] = [.institution: "H1", .manufacturer: "M1", .distributor: "D1"]
    static let day = CivilDate(2025, 5, 1)!

    func sent() -> AgreementState {
        try! AgreementState(parties: Self.parties, year: Self.year).sent(on: Self.day).get()
    }

    func code(_ result: Result<AgreementState, Refusal>) -> RefusalCode? {
        if case .failure(let refusal) = result { return refusal.code }
        return nil
    }

    @Test("003 §6: the three parties each sign once, for themselves; the third signature puts the agreement in force")
    func signing() throws {
        var state = sent()
        #expect(state.status == .sent)
        state = try state.signed(as: .institution, by: "H1", on: Self.day).get()
        #expect(code(state.signed(as: .institution, by: "H1", on: Self.day)) == .alreadySigned, "a second signature is refused")
        #expect(code(state.signed(as: .manufacturer, by: "M2", on: Self.day)) == .wrongParty, "another firm cannot sign")
        #expect(code(state.signed(as: .distributor, by: "M1", on: Self.day)) == .wrongParty, "the manufacturer cannot sign as distributor")
        state = try state.signed(as: .manufacturer, by: "M1", on: Self.day).get()
        #expect(state.status == .sent && state.signedBy == [.institution, .manufacturer])
        state = try state.signed(as: .distributor, by: "D1", on: Self.day).get()
        #expect(state.status == .inForce)
    }

    @Test("a draft cannot be signed, is sent once and only with all three parties; after its last day an agreement has expired")
    func lifeOfAnAgreement() {
        let draft = AgreementState(parties: Self.parties, year: Self.year)
        #expect(code(draft.signed(as: .institution, by: "H1", on: Self.day)) == .agreementNotSent)
        #expect(code(sent().sent(on: Self.day)) == .agreementNotDraft)
        #expect(
            code(AgreementState(parties: [.institution: "H1", .manufacturer: "M1"], year: Self.year).sent(on: Self.day)) == .agreementPartyMissing)
        let lastDay = Self.year.lastDay
        #expect(sent().status(on: lastDay) == .sent && sent().status(on: Self.year.end) == .expired)
        #expect(code(sent().signed(as: .institution, by: "H1", on: Self.year.end)) == .agreementExpired)
        #expect(AgreementParty.of(.institutionHead) == .institution && AgreementParty.of(.institutionFiller) == nil)
    }

    @Test("each agreement year takes its part of the exact yearly volume, rounded once (003 §4)")
    func yearlyParts() {
        let winner = WinningProduct(productCode: "W021", specCode: "S021", manufacturer: "丙", packPriceFen: 2800, packSize: 28)
        let calculator = AgreedVolumeCalculator(catalogue: Fixtures.catalogue, result: AwardResult(winners: [winner]), policy: AwardPolicy())
        // 1,001 tablets × 50% = 500.5 → 501 a year; the 456-day first year: 500.5 × 456 ÷ 365 = 625.27 → 625.
        let figure = calculator.agreedVolume(regionCode: "140105", lines: [DemandLine(specCode: "S021", productCode: nil, quantity: 1001)]).figures[0]
        #expect(figure.quantity == 501)
        let years = AgreementYears.years(start: CivilDate(2025, 4, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)
        #expect(years.map { figure.quantity(in: $0) } == [625, 501, 252])
    }
}
