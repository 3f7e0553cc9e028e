import Testing

@testable import JicaiCore

/// The fractions of retention reduce by this gcd; its 64-bit fast path must agree with the 128-bit one.
@Suite("Greatest common divisor of the exact fractions")
struct GcdTests {
    @Test("Edges: zeros, signs, Int128.min, values beyond 64 bits that meet the fast path part-way")
    func edges() {
        #expect(ScoreRules.gcd(0, 0) == 1)
        #expect(ScoreRules.gcd(12, -18) == 6 && ScoreRules.gcd(-12, 0) == 12 && ScoreRules.gcd(0, 7) == 7)
        #expect(ScoreRules.gcd(Int128.min, 0) == 1, "2^127 does not fit: 1, never a trap")
        #expect(ScoreRules.gcd(Int128.min, 6) == 2)
        let big = Int128(1) << 100
        #expect(ScoreRules.gcd(big * 3, (Int128(1) << 64) * 9) == (Int128(1) << 64) * 3)
        #expect(ScoreRules.gcd(Int128(UInt64.max) * 5, 10) == 5)
        // Against Euclid on Int128, for a spread of pairs.
        var x: Int128 = 1
        for i in 0..<200 {
            x = (x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407) & ((Int128(1) << 90) - 1)
            let y = Int128(i) * 1_000_003 + 17
            var (a, b) = (x, y)
            while b != 0 { (a, b) = (b, a % b) }
            #expect(ScoreRules.gcd(x, y) == a)
        }
    }
}
