import Foundation
import JicaiCore
import JicaiServices
import Testing

@testable import JicaiWeb

/// The hand-written JSON of the hot API answers says exactly what their `Codable` form says.
@Suite("JSON bodies written by hand")
struct JSONBodyTests {
    static func object(_ data: Data) throws -> NSObject { try #require(try JSONSerialization.jsonObject(with: data) as? NSObject) }

    @Test("The what-if list by hand equals JSONEncoder's, with quotes, backslashes, control characters and Chinese in its texts")
    func whatIf() throws {
        let tricky = WhatIfDTO.GradeRange(grade: "A", lowFen: 0, highFen: Int64.max)
        var first = try WhatIfDTO.fixture(unit: "V01/S013")
        first.assumptions = ["按1家企业估算（003 §3）", "引号\"与反斜杠\\", "换行\n制表\t\u{1}"]
        first.assumptionsEn = ["a \"quoted\" word", "path/with/slashes", ""]
        first.retention = [tricky, WhatIfDTO.GradeRange(grade: "D", lowFen: -1, highFen: 0)]
        let list = [first, try WhatIfDTO.fixture(unit: "V02")]
        let byHand = Data(WhatIfDTO.body(list).bytes)
        #expect(try Self.object(byHand) == (try Self.object(try JSONEncoder().encode(list))))
        #expect(try Self.object(Data(WhatIfDTO.body([]).bytes)) == (try Self.object(Data("[]".utf8))))
    }

    @Test("A token's hash is SHA-256 in lower-case hex, as stored")
    func tokenHash() {
        #expect(AccountService.secretHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(AccountService.secretHash("").count == 64)
    }
}

extension WhatIfDTO {
    static func fixture(unit: String) throws -> WhatIfDTO {
        let text = """
            {"unit":"\(unit)","winners":3,"winnersKnown":true,"ratio":"70%","reportedContent":1250000000,"agreedContent":875000000,
             "displaySpec":"S011","agreedQuantity":3500,"monthlyQuantity":292,"retention":[],"assumptions":[],"assumptionsEn":[]}
            """
        return try JSONDecoder().decode(WhatIfDTO.self, from: Data(text.utf8))
    }
}
