import JicaiCore

/// The demo batch catalogue: 62 varieties and about 260 specs shaped like a national batch (000: 62 varieties,
/// 263 specs, more than half injections), with merged dosage forms, paediatric non-substitutable specs, non-passed
/// and essential specs, and every variety flag.
enum DemoCatalogue {
    /// (generic name, route, flags "K" key-monitored / "A" antimicrobial / "R" restricted / "U" rising, forms)
    /// A form is (dosage form, strengths with units, minimal unit, pack size).
    struct Form {
        let name: String
        let strengths: [String]
        let unit: String
        let pack: Int64
    }

    static let varieties: [(String, String, String, [Form])] = [
        (
            "阿莫西林", "口服", "A",
            [
                Form(name: "胶囊", strengths: ["0.25g", "0.5g"], unit: "粒", pack: 24), Form(name: "片剂", strengths: ["0.25g"], unit: "片", pack: 24),
                Form(name: "颗粒剂", strengths: ["0.125g"], unit: "袋", pack: 12),
            ]
        ),
        ("头孢呋辛", "注射", "A", [Form(name: "注射用无菌粉末", strengths: ["0.75g", "1.5g"], unit: "瓶", pack: 1)]),
        ("头孢曲松", "注射", "A", [Form(name: "注射用无菌粉末", strengths: ["0.5g", "1g", "2g"], unit: "瓶", pack: 1)]),
        (
            "左氧氟沙星", "注射", "A",
            [Form(name: "注射液", strengths: ["0.5g"], unit: "瓶", pack: 1), Form(name: "氯化钠注射液", strengths: ["0.5g"], unit: "袋", pack: 1)]
        ),
        ("莫西沙星", "口服", "A", [Form(name: "片剂", strengths: ["0.4g"], unit: "片", pack: 3)]),
        ("阿奇霉素", "注射", "A", [Form(name: "注射用无菌粉末", strengths: ["0.25g", "0.5g"], unit: "瓶", pack: 1)]),
        (
            "阿奇霉素", "口服", "A",
            [Form(name: "片剂", strengths: ["0.25g"], unit: "片", pack: 6), Form(name: "干混悬剂", strengths: ["0.1g"], unit: "袋", pack: 6)]
        ),
        ("美罗培南", "注射", "AR", [Form(name: "注射用无菌粉末", strengths: ["0.5g", "1g"], unit: "瓶", pack: 1)]),
        ("万古霉素", "注射", "AR", [Form(name: "注射用无菌粉末", strengths: ["0.5g", "1g"], unit: "瓶", pack: 1)]),
        ("氟康唑", "注射", "A", [Form(name: "氯化钠注射液", strengths: ["0.2g", "0.4g"], unit: "瓶", pack: 1)]),
        ("伏立康唑", "注射", "AR", [Form(name: "注射用无菌粉末", strengths: ["0.1g", "0.2g"], unit: "瓶", pack: 1)]),
        (
            "奥司他韦", "口服", "A",
            [Form(name: "胶囊", strengths: ["75mg"], unit: "粒", pack: 10), Form(name: "颗粒剂", strengths: ["15mg", "25mg"], unit: "袋", pack: 10)]
        ),
        ("奥美拉唑", "注射", "K", [Form(name: "注射用无菌粉末", strengths: ["20mg", "40mg"], unit: "瓶", pack: 1)]),
        ("泮托拉唑", "注射", "K", [Form(name: "注射用无菌粉末", strengths: ["40mg", "60mg", "80mg"], unit: "瓶", pack: 1)]),
        ("埃索美拉唑", "注射", "K", [Form(name: "注射用无菌粉末", strengths: ["20mg", "40mg"], unit: "瓶", pack: 1)]),
        (
            "兰索拉唑", "口服", "",
            [
                Form(name: "肠溶胶囊", strengths: ["15mg", "30mg"], unit: "粒", pack: 14),
                Form(name: "肠溶片", strengths: ["15mg", "30mg"], unit: "片", pack: 14),
            ]
        ),
        ("氨氯地平", "口服", "", [Form(name: "片剂", strengths: ["2.5mg", "5mg", "10mg"], unit: "片", pack: 28)]),
        ("硝苯地平", "口服", "", [Form(name: "控释片", strengths: ["30mg", "60mg"], unit: "片", pack: 12)]),
        (
            "缬沙坦", "口服", "",
            [
                Form(name: "胶囊", strengths: ["80mg", "160mg"], unit: "粒", pack: 14),
                Form(name: "片剂", strengths: ["40mg", "80mg"], unit: "片", pack: 14),
            ]
        ),
        ("厄贝沙坦", "口服", "", [Form(name: "片剂", strengths: ["75mg", "150mg", "300mg"], unit: "片", pack: 14)]),
        ("氯沙坦钾", "口服", "", [Form(name: "片剂", strengths: ["50mg", "100mg"], unit: "片", pack: 14)]),
        ("美托洛尔", "口服", "", [Form(name: "缓释片", strengths: ["23.75mg", "47.5mg", "95mg"], unit: "片", pack: 28)]),
        ("比索洛尔", "口服", "", [Form(name: "片剂", strengths: ["2.5mg", "5mg"], unit: "片", pack: 28)]),
        ("阿托伐他汀", "口服", "", [Form(name: "片剂", strengths: ["10mg", "20mg", "40mg"], unit: "片", pack: 28)]),
        ("瑞舒伐他汀", "口服", "", [Form(name: "片剂", strengths: ["5mg", "10mg", "20mg"], unit: "片", pack: 28)]),
        ("氯吡格雷", "口服", "", [Form(name: "片剂", strengths: ["25mg", "75mg"], unit: "片", pack: 28)]),
        ("替格瑞洛", "口服", "", [Form(name: "片剂", strengths: ["60mg", "90mg"], unit: "片", pack: 14)]),
        ("利伐沙班", "口服", "R", [Form(name: "片剂", strengths: ["10mg", "15mg", "20mg"], unit: "片", pack: 14)]),
        ("达比加群酯", "口服", "R", [Form(name: "胶囊", strengths: ["110mg", "150mg"], unit: "粒", pack: 30)]),
        ("依诺肝素", "注射", "", [Form(name: "注射液", strengths: ["4000IU", "6000IU"], unit: "支", pack: 2)]),
        (
            "二甲双胍", "口服", "",
            [Form(name: "片剂", strengths: ["0.25g", "0.5g"], unit: "片", pack: 48), Form(name: "缓释片", strengths: ["0.5g"], unit: "片", pack: 30)]
        ),
        ("格列美脲", "口服", "", [Form(name: "片剂", strengths: ["1mg", "2mg"], unit: "片", pack: 30)]),
        ("阿卡波糖", "口服", "", [Form(name: "片剂", strengths: ["50mg", "100mg"], unit: "片", pack: 30)]),
        ("西格列汀", "口服", "U", [Form(name: "片剂", strengths: ["50mg", "100mg"], unit: "片", pack: 28)]),
        ("达格列净", "口服", "U", [Form(name: "片剂", strengths: ["5mg", "10mg"], unit: "片", pack: 28)]),
        ("恩格列净", "口服", "U", [Form(name: "片剂", strengths: ["10mg", "25mg"], unit: "片", pack: 28)]),
        ("利拉鲁肽", "注射", "U", [Form(name: "注射液", strengths: ["18mg"], unit: "支", pack: 1)]),
        ("甘精胰岛素", "注射", "", [Form(name: "注射液", strengths: ["300IU"], unit: "支", pack: 1)]),
        ("门冬胰岛素", "注射", "", [Form(name: "注射液", strengths: ["300IU"], unit: "支", pack: 1)]),
        (
            "恩替卡韦", "口服", "",
            [Form(name: "片剂", strengths: ["0.5mg", "1mg"], unit: "片", pack: 28), Form(name: "胶囊", strengths: ["0.5mg"], unit: "粒", pack: 28)]
        ),
        ("替诺福韦", "口服", "", [Form(name: "片剂", strengths: ["300mg"], unit: "片", pack: 30)]),
        (
            "孟鲁司特", "口服", "",
            [
                Form(name: "片剂", strengths: ["10mg"], unit: "片", pack: 10), Form(name: "咀嚼片", strengths: ["4mg", "5mg"], unit: "片", pack: 10),
                Form(name: "颗粒剂", strengths: ["4mg"], unit: "袋", pack: 10),
            ]
        ),
        ("布地奈德", "吸入", "", [Form(name: "吸入用混悬液", strengths: ["0.5mg", "1mg"], unit: "支", pack: 5)]),
        ("氨溴索", "注射", "K", [Form(name: "注射液", strengths: ["15mg", "30mg"], unit: "支", pack: 10)]),
        ("乙酰半胱氨酸", "吸入", "", [Form(name: "吸入溶液", strengths: ["0.3g"], unit: "支", pack: 5)]),
        (
            "布洛芬", "口服", "",
            [
                Form(name: "缓释胶囊", strengths: ["0.3g"], unit: "粒", pack: 20), Form(name: "片剂", strengths: ["0.2g", "0.4g"], unit: "片", pack: 20),
                Form(name: "混悬液", strengths: ["2g"], unit: "瓶", pack: 1),
            ]
        ),
        (
            "对乙酰氨基酚", "口服", "",
            [Form(name: "片剂", strengths: ["0.5g"], unit: "片", pack: 20), Form(name: "口服溶液", strengths: ["2.4g"], unit: "瓶", pack: 1)]
        ),
        ("帕瑞昔布", "注射", "K", [Form(name: "注射用无菌粉末", strengths: ["20mg", "40mg"], unit: "瓶", pack: 1)]),
        ("氟比洛芬酯", "注射", "K", [Form(name: "注射液", strengths: ["50mg"], unit: "支", pack: 5)]),
        ("右美托咪定", "注射", "", [Form(name: "注射液", strengths: ["0.2mg"], unit: "支", pack: 1)]),
        ("丙泊酚", "注射", "", [Form(name: "乳状注射液", strengths: ["0.2g", "0.5g"], unit: "支", pack: 5)]),
        ("罗哌卡因", "注射", "", [Form(name: "注射液", strengths: ["75mg", "100mg"], unit: "支", pack: 5)]),
        ("昂丹司琼", "注射", "", [Form(name: "注射液", strengths: ["4mg", "8mg"], unit: "支", pack: 5)]),
        ("帕洛诺司琼", "注射", "K", [Form(name: "注射液", strengths: ["0.25mg"], unit: "支", pack: 1)]),
        ("奥沙利铂", "注射", "R", [Form(name: "注射用无菌粉末", strengths: ["50mg", "100mg"], unit: "瓶", pack: 1)]),
        ("培美曲塞", "注射", "R", [Form(name: "注射用无菌粉末", strengths: ["0.1g", "0.5g"], unit: "瓶", pack: 1)]),
        ("吉非替尼", "口服", "R", [Form(name: "片剂", strengths: ["0.25g"], unit: "片", pack: 10)]),
        ("来曲唑", "口服", "", [Form(name: "片剂", strengths: ["2.5mg"], unit: "片", pack: 10)]),
        ("度洛西汀", "口服", "", [Form(name: "肠溶胶囊", strengths: ["20mg", "30mg", "60mg"], unit: "粒", pack: 14)]),
        (
            "奥氮平", "口服", "",
            [Form(name: "片剂", strengths: ["5mg", "10mg"], unit: "片", pack: 28), Form(name: "口崩片", strengths: ["5mg"], unit: "片", pack: 14)]
        ),
        (
            "左乙拉西坦", "口服", "",
            [Form(name: "片剂", strengths: ["0.25g", "0.5g"], unit: "片", pack: 30), Form(name: "口服溶液", strengths: ["15g"], unit: "瓶", pack: 1)]
        ),
        ("甲钴胺", "注射", "K", [Form(name: "注射液", strengths: ["0.5mg"], unit: "支", pack: 10)]),
    ]

    /// Builds the catalogue: specs numbered per variety; some second strengths not passed (and essential), paediatric forms
    /// (granules, suspensions, chewable tablets, oral solutions) non-substitutable, every 5th spec essential.
    static func build() -> Catalogue {
        var varieties: [Variety] = []
        var specs: [Spec] = []
        var varietyNumber = 0
        for (i, v) in Self.varieties.enumerated() {
            let code = String(format: "V%02d", i + 1)
            let flags = VarietyFlags(
                keyMonitored: v.2.contains("K"), antimicrobial: v.2.contains("A"),
                restrictedIndication: v.2.contains("R"), rising: v.2.contains("U"))
            varieties.append(Variety(code: code, genericName: v.0, route: v.1, flags: flags))
            var specNumber = 0
            for form in v.3 {
                let paediatric = ["颗粒剂", "干混悬剂", "混悬液", "咀嚼片", "口服溶液"].contains(form.name)
                // Catalogue rows are spec-packs (规格包装), as on provincial platforms: each strength in its usual
                // pack and a larger one (paediatric forms in one pack only).
                for strength in form.strengths {
                    for pack in paediatric ? [form.pack] : [form.pack, form.pack == 1 ? 10 : form.pack * 2] {
                        specNumber += 1
                        varietyNumber += 1
                        let content = EffectiveContent(text: strength)!
                        let passed = !(specNumber > 2 && !paediatric && varietyNumber % 4 == 0)
                        specs.append(
                            Spec(
                                code: "\(code)S\(String(format: "%02d", specNumber))", varietyCode: code, dosageForm: form.name, strength: strength,
                                content: content, minimalUnit: form.unit, packSize: pack, passedEvaluation: passed,
                                essential: varietyNumber % 5 == 0 || !passed, nonSubstitutable: paediatric))
                    }
                }
            }
        }
        return try! Catalogue(varieties: varieties, specs: specs)
    }
}
