import Foundation
import JicaiCore
import JicaiInterchange

/// The files of a demo province, written by `DemoProvince.write`.
public struct DemoFiles: Sendable {
    public var directory: URL
    public var regions: URL { directory.appendingPathComponent("regions.csv") }
    public var institutions: URL { directory.appendingPathComponent("institutions.csv") }
    public var catalogue: URL { directory.appendingPathComponent("catalogue.csv") }
    public var products: URL { directory.appendingPathComponent("products.csv") }
    public var history: URL { directory.appendingPathComponent("history.csv") }
    public var demand: URL { directory.appendingPathComponent("demand.csv") }
}

/// What the generator wrote.
public struct DemoStatistics: Sendable, Codable {
    public var regions = 0
    public var institutions = 0
    public var varieties = 0
    public var specs = 0
    public var products = 0
    public var historyRows = 0
    public var demandRows = 0
    public var reportingInstitutions = 0
}

/// A demo province (Shanxi, division codes 14xxxx from the national table), generated deterministically from a seed:
/// the institution mix the notices name, county medical communities, a national-batch-shaped catalogue, 12 months of
/// history with seasonality and trends, and demand reports that set off every finding.
public struct DemoProvince: Sendable {
    public static let provinceCode = "140000"
    public static let batchCode = "GY-2025-11"
    public static let batchName = "第十一批国家组织药品集中带量采购（山西）"

    public var institutions: Int
    public var seed: UInt64
    /// The national division table (Resources/divisions.csv).
    public var divisions: [Region]

    public init(institutions: Int = 3000, seed: UInt64 = 2025, divisions: [Region]) {
        self.institutions = institutions
        self.seed = seed
        self.divisions = divisions
    }

    /// The category mix of reporting organisations, as shares of the total (tertiary … village clinic, pharmacies).
    static let mix: [(InstitutionCategory?, OrganisationKind, Double, specs: ClosedRange<Int>, scale: Int)] = [
        (.tertiaryHospital, .institution, 0.015, 110...170, 4000),
        (.secondaryHospital, .institution, 0.06, 60...110, 1200),
        (.primaryHospital, .institution, 0.08, 25...50, 300),
        (.communityHealthCentre, .institution, 0.04, 25...45, 250),
        (.townshipHealthCentre, .institution, 0.10, 18...35, 160),
        (.communityHealthStation, .institution, 0.05, 8...16, 50),
        (.villageClinic, .institution, 0.555, 4...10, 20),
        (nil, .pharmacy, 0.10, 10...30, 60),
    ]

    public func write(to directory: URL) throws -> (DemoFiles, DemoStatistics) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = DemoFiles(directory: directory)
        var stats = DemoStatistics()
        var rng = SeededRandom(seed: seed)
        let province = divisions.filter { $0.code.provinceCode.value == Self.provinceCode }
        let counties = province.filter { $0.level == .county }
        precondition(!counties.isEmpty, "the division table has no county of \(Self.provinceCode)")

        // Regions
        let rw = try CSVWriter(path: files.regions.path)
        try rw.write(Schemas.regions.columns.map(\.zh))
        for r in province { try rw.write([r.code.value, r.name, r.level == .province ? "省" : r.level == .city ? "市" : "县", r.parentCode?.value ?? ""]) }
        try rw.finish()
        stats.regions = province.count

        // Organisations: the bureaus, manufacturers, distributors, then institutions spread over the counties.
        struct Inst { var code: String; var category: InstitutionCategory?; var kind: OrganisationKind; var county: Int; var specs: ClosedRange<Int>; var scale: Int; var beds: Int }
        var orgRows: [[String]] = []
        var serial = 0
        func code(_ type: String, _ region: String, _ letters: String = "MB") -> String {
            serial += 1
            return CreditCode.completing(type + region + letters + String(format: "%07d", serial))!.value
        }
        orgRows.append([code("11", Self.provinceCode, "MA"), "山西省医疗保障局", "省医保局", "", "", "", Self.provinceCode, ""])
        for city in province where city.level == .city {
            orgRows.append([code("11", city.code.value, "MA"), "\(city.name)医疗保障局", "市医保局", "", "", "", city.code.value, ""])
        }
        let makers = ["华北制药股份有限公司", "石药集团欧意药业有限公司", "齐鲁制药有限公司", "扬子江药业集团有限公司", "山西亚宝药业集团股份有限公司",
                      "江苏恒瑞医药股份有限公司", "正大天晴药业集团股份有限公司", "浙江华海药业股份有限公司", "四川科伦药业股份有限公司", "山西振东制药股份有限公司"]
        var makerCodes: [String] = []
        for m in makers {
            let c = code("91", "140100", "MA")
            makerCodes.append(c)
            orgRows.append([c, m, "生产企业", "", "", "", "140105", ""])
        }
        for name in ["国药控股山西有限公司", "华润山西医药有限公司", "九州通医药集团山西有限公司"] {
            orgRows.append([code("91", "140100", "MA"), name, "配送企业", "", "", "", "140105", ""])
        }
        var insts: [Inst] = []
        var counts = Self.mix.map { Int((Double(institutions) * $0.2).rounded()) }
        counts[counts.count - 2] += institutions - counts.reduce(0, +)  // village clinics take the rounding
        for (m, n) in zip(Self.mix, counts) {
            for i in 0..<max(0, n) {
                // Tertiary hospitals sit in city districts (the first counties of each city); others anywhere.
                let county = m.0 == .tertiaryHospital ? (i * 7) % counties.count : rng.int(0...(counties.count - 1))
                let ownership: Ownership = m.1 == .pharmacy ? .privateOwned : (rng.chance(0.004) ? .military : (rng.chance(m.0 == .villageClinic ? 0.3 : 0.15) ? .privateOwned : .publicOwned))
                let type = ownership == .privateOwned ? (m.1 == .pharmacy ? "91" : "52") : "12"
                let beds: Int
                switch m.0 {
                case .tertiaryHospital?: beds = rng.int(800...2500)
                case .secondaryHospital?: beds = rng.int(150...600)
                case .primaryHospital?: beds = rng.int(20...99)
                case .communityHealthCentre?, .townshipHealthCentre?: beds = rng.int(10...60)
                default: beds = 0
                }
                let c = code(type, counties[county].code.value)
                insts.append(Inst(code: c, category: m.0, kind: m.1, county: county, specs: m.specs, scale: m.scale, beds: beds))
                let name = Self.name(category: m.0, kind: m.1, county: counties[county].name, index: insts.count)
                orgRows.append([c, name, m.1.label.zh, m.0?.label.zh ?? "", ownership.label.zh, beds > 0 ? String(beds) : "", counties[county].code.value, ""])
            }
        }
        // County medical communities: in every county, the first public secondary hospital leads its township health
        // centres and village clinics.
        var leadOfCounty: [Int: String] = [:]
        for inst in insts where inst.category == .secondaryHospital && leadOfCounty[inst.county] == nil { leadOfCounty[inst.county] = inst.code }
        let firstInstRow = orgRows.count - insts.count
        for (i, inst) in insts.enumerated() where inst.category == .townshipHealthCentre || inst.category == .villageClinic {
            if let lead = leadOfCounty[inst.county], orgRows[firstInstRow + i][4] == "公立" { orgRows[firstInstRow + i][7] = lead }
        }
        let ow = try CSVWriter(path: files.institutions.path)
        try ow.write(Schemas.organisations.columns.map(\.zh))
        for r in orgRows { try ow.write(r) }
        try ow.finish()
        stats.institutions = orgRows.count

        // Catalogue and products
        let catalogue = DemoCatalogue.build()
        let cw = try CSVWriter(path: files.catalogue.path)
        try cw.write(Schemas.catalogue.columns.map(\.zh))
        func yn(_ b: Bool) -> String { b ? "是" : "否" }
        for s in catalogue.specs {
            let v = catalogue.varietyByCode[s.varietyCode]!
            try cw.write([v.code, v.genericName, v.route, s.code, s.dosageForm, s.strength, s.content.description, s.minimalUnit, String(s.packSize),
                          yn(s.passedEvaluation), yn(s.essential), yn(s.nonSubstitutable), yn(v.flags.keyMonitored), yn(v.flags.antimicrobial),
                          yn(v.flags.restrictedIndication), yn(v.flags.rising), ""])
        }
        try cw.finish()
        stats.varieties = catalogue.varieties.count
        stats.specs = catalogue.specs.count
        var productsOfSpec: [String: [String]] = [:]
        let pw = try CSVWriter(path: files.products.path)
        try pw.write(Schemas.products.columns.map(\.zh))
        var p = 0
        for s in catalogue.specs where s.passedEvaluation {
            for _ in 0..<rng.int(2...4) {
                p += 1
                let m = rng.int(0...(makers.count - 1))
                let productCode = String(format: "P%05d", p)
                productsOfSpec[s.code, default: []].append(productCode)
                try pw.write([productCode, s.code, makers[m], makerCodes[m], String(makers[m].prefix(2))])
            }
        }
        try pw.finish()
        stats.products = p

        // History and demand, institution by institution.
        let months = BatchPolicy.default.referencePeriod.months
        let hw = try CSVWriter(path: files.history.path, bom: false)
        try hw.write(Schemas.history.columns.map(\.zh))
        let dw = try CSVWriter(path: files.demand.path)
        try dw.write(Schemas.demand.columns.map(\.zh))
        let specs = catalogue.specs
        // Popularity: oral chronic-disease drugs are bought everywhere; injections mostly by hospitals.
        let weights = specs.map { s -> Int in catalogue.varietyByCode[s.varietyCode]!.route == "口服" ? 3 : 1 }
        let unitOf = Dictionary(uniqueKeysWithValues: specs.map { ($0.code, Catalogue.unit(of: $0)) })
        // Dictionary order changes from run to run: anything picked from a dictionary goes through a sorted list.
        let brandOrder = productsOfSpec.keys.sorted().compactMap { k in productsOfSpec[k]!.first.map { (k, $0) } }
        let passedOfUnit = Dictionary(grouping: specs.filter(\.passedEvaluation), by: { unitOf[$0.code]! })
        for (index, inst) in insts.enumerated() {
            var r = SeededRandom(seed: seed &+ UInt64(index) &* 7919)
            let hospital = inst.category == .tertiaryHospital || inst.category == .secondaryHospital || inst.category == .primaryHospital
            var chosen = Set<Int>()
            let target = min(specs.count, r.int(inst.specs))
            while chosen.count < target {
                let i = r.int(0...(specs.count - 1))
                if !hospital && catalogue.varietyByCode[specs[i].varietyCode]!.route != "口服" && r.chance(0.7) { continue }
                if weights[i] == 1 && r.chance(0.3) { continue }
                chosen.insert(i)
            }
            var historyByUnit: [CheckUnit: Int128] = [:]
            for i in chosen.sorted() {
                let s = specs[i]
                let v = catalogue.varietyByCode[s.varietyCode]!
                let base = max(1, inst.scale * r.int(20...180) / 100)
                var total: Int64 = 0
                for (mi, month) in months.enumerated() {
                    // Antimicrobials and antivirals peak in winter; rising varieties grow through the year.
                    var q = Double(base)
                    if v.flags.antimicrobial { q *= [1.5, 1.6, 1.4, 1.1, 0.9, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.3][(month.month + 11) % 12] }
                    if v.flags.rising { q *= 0.7 + 0.06 * Double(mi) }
                    q *= 0.85 + 0.3 * Double(r.next() % 1000) / 1000
                    let quantity = Int64(q.rounded())
                    if quantity == 0 || (inst.category == .villageClinic && r.chance(0.15)) { continue }
                    total += quantity
                    let price = 50 + Int64(i % 40) * 37  // fen per minimal unit
                    try hw.write([inst.code, s.code, month.description, String(quantity), Fen(quantity * price).yuanText])
                    stats.historyRows += 1
                }
                historyByUnit[unitOf[s.code]!, default: 0] += ContentConversion.content(of: total, s)
            }
            // Demand: 92% report; of those, most between 80% and 120% of history, some below the floor (some with an
            // explanation), some far above (capacity), a few new varieties, a few without a letter.
            guard r.chance(inst.kind == .pharmacy ? 0.6 : 0.92), !historyByUnit.isEmpty else { continue }
            stats.reportingInstitutions += 1
            let letter = r.chance(0.96)
            var first = true
            func row(_ spec: String, product: String = "", quantity: Int64, explanation: String = "", exclusion: Int64? = nil,
                     exclusionReason: String = "") throws {
                let signed = first && letter
                let values: [String: String] = [
                    "institution": inst.code, "spec": spec, "product": product, "quantity": String(quantity), "explanation": explanation,
                    "exclusion": exclusion.map(String.init) ?? "", "exclusionReason": exclusionReason,
                    "letter": signed ? "承诺函.pdf" : "", "signer": signed ? "王\(index % 97)" : "",
                    "signerTitle": signed ? (index % 5 == 0 ? "党委书记" : "院长") : "",
                ]
                try dw.write(Schemas.demand.columns.map { values[$0.key] ?? "" })
                first = false
                stats.demandRows += 1
            }
            for (unit, content) in historyByUnit.sorted(by: { $0.key < $1.key }) {
                guard let target = passedOfUnit[unit]?.first else { continue }
                var factor = Double(r.int(80...125)) / 100
                var explanation = ""
                if r.chance(0.08) {
                    factor = Double(r.int(30...75)) / 100
                    if r.chance(0.6) { explanation = "近一年该品种门诊用量下降" }
                }
                if r.chance(0.02) { factor = Double(r.int(160...300)) / 100 }
                // Demo quantities are small: a clinic's year of one variety.
                let inTarget = Int64(clamping: ContentConversion.quantity(ofContent: content, in: target))
                let quantity = Int64((Double(inTarget) * factor).rounded())
                var product = productsOfSpec[target.code].flatMap { r.chance(0.7) ? $0[r.int(0...($0.count - 1))] : nil } ?? ""
                // A few reports name a brand of another spec (BRAND_SPEC_MISMATCH) or a non-passed spec (NOT_PASSED_SPEC).
                if r.chance(0.003), let other = brandOrder.first(where: { $0.0 != target.code })?.1 { product = other }
                var spec = target.code
                if r.chance(0.003), let notPassed = specs.first(where: { unitOf[$0.code] == unit && !$0.passedEvaluation }) {
                    spec = notPassed.code
                    product = ""
                }
                // Special-needs use outside basic insurance (002 §3(三)), a tenth of the history: the import refuses
                // more than the history (the draw that once chose that is kept, so a seed still gives the same province).
                var exclusion: Int64?
                var reason = ""
                if hospital && r.chance(0.01) {
                    _ = r.chance(0.2)
                    exclusion = inTarget / 10
                    reason = "国际医疗部特需用药"
                }
                try row(spec, product: product, quantity: quantity, explanation: explanation, exclusion: exclusion, exclusionReason: reason)
            }
            if r.chance(0.03), let extra = specs.filter({ $0.passedEvaluation && historyByUnit[unitOf[$0.code]!] == nil }).randomElement(using: &r) {
                try row(extra.code, quantity: Int64(r.int(10...200)), explanation: "新增临床需求")
            }
        }
        try hw.finish()
        try dw.finish()
        return (files, stats)
    }

    static func name(category: InstitutionCategory?, kind: OrganisationKind, county: String, index: Int) -> String {
        let short = county.count > 2 && (county.hasSuffix("县") || county.hasSuffix("区") || county.hasSuffix("市")) ? String(county.dropLast()) : county
        switch category {
        case .tertiaryHospital?: return "\(short)第\(index % 9 + 1)人民医院（三级）"
        case .secondaryHospital?: return "\(county)人民医院\(index % 50 == 0 ? "" : "第\(index % 5 + 1)分院")"
        case .primaryHospital?: return "\(county)\(["仁和", "康宁", "惠民", "同济", "博爱"][index % 5])医院"
        case .communityHealthCentre?: return "\(county)第\(index % 12 + 1)社区卫生服务中心"
        case .townshipHealthCentre?: return "\(short)第\(index % 20 + 1)乡镇卫生院"
        case .communityHealthStation?: return "\(county)第\(index % 30 + 1)社区卫生服务站"
        case .villageClinic?: return "\(short)第\(index)村卫生室"
        default: return kind == .pharmacy ? "\(county)\(["老百姓", "益丰", "大参林", "一心堂"][index % 4])大药房第\(index)店" : "\(county)机构\(index)"
        }
    }
}
