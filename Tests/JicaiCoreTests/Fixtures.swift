@testable import JicaiCore

/// A small catalogue shaped like a national batch: merged dosage forms, a paediatric non-substitutable spec,
/// a non-passed essential spec, and one variety of each flag.
enum Fixtures {
    static func content(_ text: String) -> EffectiveContent { EffectiveContent(text: text)! }

    static let varieties: [Variety] = [
        Variety(code: "V01", genericName: "阿莫西林", route: "口服", flags: VarietyFlags(antimicrobial: true)),
        Variety(code: "V02", genericName: "氨氯地平", route: "口服"),
        Variety(code: "V03", genericName: "奥美拉唑", route: "注射", flags: VarietyFlags(keyMonitored: true)),
        Variety(code: "V04", genericName: "司美格鲁肽", route: "注射", flags: VarietyFlags(rising: true)),
        Variety(code: "V05", genericName: "利伐沙班", route: "口服", flags: VarietyFlags(restrictedIndication: true)),
    ]

    static let specs: [Spec] = [
        // V01: capsule 0.25 g and tablet 0.5 g merged; paediatric granules kept apart.
        Spec(code: "S011", varietyCode: "V01", dosageForm: "胶囊", strength: "0.25g", content: content("0.25g"), minimalUnit: "粒", packSize: 24),
        Spec(code: "S012", varietyCode: "V01", dosageForm: "片剂", strength: "0.5g", content: content("0.5g"), minimalUnit: "片", packSize: 12),
        Spec(
            code: "S013", varietyCode: "V01", dosageForm: "颗粒剂", strength: "0.125g", content: content("125mg"), minimalUnit: "袋", packSize: 10,
            nonSubstitutable: true),
        // V02: 5 mg passed, 2.5 mg not passed and essential.
        Spec(code: "S021", varietyCode: "V02", dosageForm: "片剂", strength: "5mg", content: content("5mg"), minimalUnit: "片", packSize: 28),
        Spec(
            code: "S022", varietyCode: "V02", dosageForm: "片剂", strength: "2.5mg", content: content("2.5mg"), minimalUnit: "片", packSize: 28,
            passedEvaluation: false, essential: true),
        Spec(code: "S031", varietyCode: "V03", dosageForm: "注射剂", strength: "40mg", content: content("40mg"), minimalUnit: "支"),
        Spec(code: "S041", varietyCode: "V04", dosageForm: "注射液", strength: "2mg", content: content("2mg"), minimalUnit: "支"),
        Spec(code: "S051", varietyCode: "V05", dosageForm: "片剂", strength: "10mg", content: content("10mg"), minimalUnit: "片"),
    ]

    static let products: [Product] = [
        Product(code: "P0111", specCode: "S011", manufacturerName: "甲药业", brand: "甲"),
        Product(code: "P0112", specCode: "S011", manufacturerName: "乙药业", brand: "乙"),
        Product(code: "P0211", specCode: "S021", manufacturerName: "丙药业", brand: "丙"),
    ]

    static let catalogue = try! Catalogue(varieties: varieties, specs: specs, products: products)
    static let letter = CommitmentLetter(fileName: "letter.pdf", signerName: "张三", signerTitle: "院长")

    static func checker(_ policy: BatchPolicy = .default) -> DemandChecker {
        DemandChecker(catalogue: catalogue, policy: policy)
    }
}
