import Testing

@testable import JicaiPersistence

@Suite("Code table: codes numbered in order and found from their bytes")
struct CodeTableTests {
    @Test("Every code is found under its number, repeats keep the first number, unknown spellings are not found")
    func lookups() {
        // Enough codes to force probing past collisions in a table of 2× slots; similar spellings on purpose.
        let codes = (0..<700).map { "XP\(String(format: "%05d", $0 * 37 % 1000))-药" } + ["A", "", "AB"]
        let table = CodeTable(codes + ["A", "XP00000-药"])
        #expect(table.codes == codes, "repeats are left out and the order is kept")
        for (number, code) in codes.enumerated() {
            #expect(table.number(code) == Int32(number), "\(code)")
            var bytes = Array(code.utf8)
            #expect(bytes.withUnsafeMutableBufferPointer { table.number(UnsafeBufferPointer($0)) } == Int32(number))
        }
        for stranger in ["XP00001", "XP00000-药 ", "a", "ABC", "XP0000-药"] { #expect(table.number(stranger) == nil, "\(stranger)") }
        #expect(CodeTable([String]()).number("A") == nil)
    }
}
