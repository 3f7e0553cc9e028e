import Foundation
import JicaiCore
import Testing

@Suite struct CommitmentLetterTests {
    @Test("001 §2(一), 002 §2: the letter is signed by a named director or party secretary; attaching and checking share the rule")
    func signer() {
        let policy = BatchPolicy.default
        #expect(CommitmentLetter.signerRefusal(name: "张院长", title: "院长", policy: policy) == nil)
        #expect(CommitmentLetter.signerRefusal(name: " 李书记 ", title: " 党委书记 ", policy: policy) == nil)
        #expect(CommitmentLetter.signerRefusal(name: "", title: "院长", policy: policy)?.code == .signerMissing)
        let long = String(repeating: "名", count: InputLimits.maxSignerNameCharacters + 1)
        #expect(CommitmentLetter.signerRefusal(name: long, title: "院长", policy: policy)?.code == .signerMissing)
        #expect(CommitmentLetter.signerRefusal(name: "王科长", title: "科长", policy: policy)?.code == .signerTitle)
        var custom = policy
        custom.commitmentSignerTitles = ["院长"]
        #expect(CommitmentLetter.signerRefusal(name: "李书记", title: "党委书记", policy: custom)?.code == .signerTitle)
        #expect(CommitmentLetter.accepts(title: "党委书记", policy: policy) && !CommitmentLetter.accepts(title: "党委书记", policy: custom))
    }
}
