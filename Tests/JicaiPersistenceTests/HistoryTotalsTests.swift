import JicaiPersistence
import Testing

@testable import JicaiServices

@Suite("History totals per institution × spec, summed while a file streams")
struct HistoryTotalsTests {
    @Test("Rows in any order sum per institution × spec; an amount is absent only when no row of the key had one; totals come out in key order")
    func sums() {
        var t = HistoryTotals()
        t.add(institution: 9, spec: 3, quantity: 5, amount: nil)
        t.add(institution: 9, spec: 3, quantity: 6, amount: nil)
        t.add(institution: 2, spec: 7, quantity: 1, amount: 100)
        t.add(institution: 9, spec: 3, quantity: 7, amount: 250)  // the key again, after another one
        t.add(institution: 2, spec: 1, quantity: 4, amount: nil)
        t.add(institution: 2, spec: 7, quantity: 2, amount: nil)
        let out = Array(t.sorted())
        #expect(
            out == [
                HistoryTotal(institutionID: 2, specID: 1, quantity: 4, amountFen: nil),
                HistoryTotal(institutionID: 2, specID: 7, quantity: 3, amountFen: 100),
                HistoryTotal(institutionID: 9, specID: 3, quantity: 18, amountFen: 250),
            ])
    }

    @Test("Millions of runs in no order are merged as the list grows, and still sum exactly")
    func mergesAsItGrows() {
        var t = HistoryTotals()
        // 3,000,000 single-row runs over 1,000 keys, each key every 1,000th row: the list passes its merge bound.
        for i in 0..<3_000_000 {
            t.add(institution: Int64(i % 1_000), spec: 1, quantity: 1, amount: i % 3 == 0 ? 2 : nil)  // a third of each key's rows
        }
        let out = Array(t.sorted())
        #expect(out.count == 1_000)
        #expect(out.allSatisfy { $0.quantity == 3_000 && $0.amountFen == 2_000 })
        #expect(out.map(\.institutionID) == (0..<1_000).map(Int64.init))
    }
}
