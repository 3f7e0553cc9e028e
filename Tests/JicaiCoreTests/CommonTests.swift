import Testing

@testable import JicaiCore

@Suite("Exact numbers: money in fen, quantities in minimal units, exact ratios")
struct CommonTests {
    @Test("ratios parse decimal text exactly")
    func ratios() {
        #expect(Ratio(decimal: "0.8") == Ratio(4, 5))
        #expect(Ratio(decimal: "80%") == Ratio(4, 5))
        #expect(Ratio(decimal: "1.5") == Ratio(3, 2))
        #expect(Ratio(decimal: "-0.8") == nil)
        #expect(Ratio(decimal: "abc") == nil)
        #expect(Ratio(decimal: "") == nil)
        #expect(Ratio.percent(70) < Ratio.percent(80))
        #expect(Ratio.percent(80).description == "80%")
    }

    @Test("money in fen from yuan text, never through Double")
    func money() {
        #expect(Fen(yuanText: "12.34")?.value == 1234)
        #expect(Fen(yuanText: "0.1")?.value == 10)
        #expect(Fen(yuanText: "1,200")?.value == 120_000)
        #expect(Fen(yuanText: "1.234") == nil)
        #expect(Fen(123_456).yuanText == "1234.56")
        #expect(Fen(-5).yuanText == "-0.05")
    }

    @Test("months: parsing, ranges (002 §2 reference period Dec 2024 – Nov 2025)")
    func months() {
        #expect(MonthKey(text: "2024-12")?.yyyymm == 202412)
        #expect(MonthKey(text: "202412")?.yyyymm == 202412)
        #expect(MonthKey(text: "2024年12月")?.yyyymm == 202412)
        #expect(MonthKey(text: "2024/13") == nil)
        #expect(MonthKey(text: "December") == nil)
        let period = BatchPolicy.period002
        #expect(period.count == 12)
        #expect(period.contains(MonthKey(year: 2025, month: 11)!))
        #expect(!period.contains(MonthKey(year: 2025, month: 12)!))
        #expect(period.index(of: MonthKey(year: 2025, month: 1)!) == 1)
    }

    @Test("rounding half up once")
    func rounding() {
        #expect(Int128(5).dividedRoundingHalfUp(by: 2) == 3)
        #expect(Int128(4).dividedRoundingHalfUp(by: 3) == 1)
        #expect(Int128(-5).dividedRoundingHalfUp(by: 2) == -3)
    }
}
