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
    public var results: URL { directory.appendingPathComponent("results.csv") }
    public var distributors: URL { directory.appendingPathComponent("distributors.csv") }
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
        var writer = DemoWriter(province: self, files: DemoFiles(directory: directory))
        try writer.writeRegions()
        try writer.writeOrganisations()
        let catalogue = DemoCatalogue.build()
        try writer.writeCatalogue(catalogue)
        try writer.writeProducts(catalogue)
        try writer.writeHistoryAndDemand(catalogue)
        try writer.writeAward(catalogue)
        return (writer.files, writer.stats)
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

/// Writes a demo province's files step by step. The steps draw from one seeded generator in a fixed order, so a seed
/// always gives the same province: reordering the draws changes every file.
struct DemoWriter {
    /// A reporting organisation as the generator made it.
    struct Institution {
        var code: String
        var category: InstitutionCategory?
        var kind: OrganisationKind
        var county: Int
        var specs: ClosedRange<Int>
        var scale: Int
        var beds: Int
    }

    static let makers = [
        "华北制药股份有限公司", "石药集团欧意药业有限公司", "齐鲁制药有限公司", "扬子江药业集团有限公司", "山西亚宝药业集团股份有限公司",
        "江苏恒瑞医药股份有限公司", "正大天晴药业集团股份有限公司", "浙江华海药业股份有限公司", "四川科伦药业股份有限公司", "山西振东制药股份有限公司",
    ]
    static let distributors = ["国药控股山西有限公司", "华润山西医药有限公司", "九州通医药集团山西有限公司"]

    let province: DemoProvince
    let files: DemoFiles
    var stats = DemoStatistics()
    var rng: SeededRandom
    let regions: [Region]
    let counties: [Region]
    var serial = 0
    var organisationRows: [[String]] = []
    var institutions: [Institution] = []
    var makerCodes: [String] = []
    var distributorCodes: [String] = []
    var makerOfProduct: [String: Int] = [:]
    var productsOfSpec: [String: [String]] = [:]

    init(province: DemoProvince, files: DemoFiles) {
        self.province = province
        self.files = files
        rng = SeededRandom(seed: province.seed)
        regions = province.divisions.filter { $0.code.provinceCode.value == DemoProvince.provinceCode }
        counties = regions.filter { $0.level == .county }
        precondition(!counties.isEmpty, "the division table has no county of \(DemoProvince.provinceCode)")
    }

    mutating func writeRegions() throws {
        let writer = try CSVWriter(path: files.regions.path)
        try writer.write(Schemas.regions.columns.map(\.zh))
        for region in regions {
            let level = region.level == .province ? "省" : region.level == .city ? "市" : "县"
            try writer.write([region.code.value, region.name, level, region.parentCode?.value ?? ""])
        }
        try writer.finish()
        stats.regions = regions.count
    }

    /// A new unified social credit code of the given type and region, numbered in order.
    mutating func code(_ type: String, _ region: String, _ letters: String = "MB") -> String {
        serial += 1
        return CreditCode.completing(type + region + letters + String(format: "%07d", serial))!.value
    }

    /// The bureaus, manufacturers, distributors, then institutions spread over the counties, then the county medical
    /// communities.
    mutating func writeOrganisations() throws {
        organisationRows.append([code("11", DemoProvince.provinceCode, "MA"), "山西省医疗保障局", "省医保局", "", "", "", DemoProvince.provinceCode, ""])
        for city in regions where city.level == .city {
            organisationRows.append([code("11", city.code.value, "MA"), "\(city.name)医疗保障局", "市医保局", "", "", "", city.code.value, ""])
        }
        for maker in Self.makers {
            let makerCode = code("91", "140100", "MA")
            makerCodes.append(makerCode)
            organisationRows.append([makerCode, maker, "生产企业", "", "", "", "140105", ""])
        }
        for name in Self.distributors {
            distributorCodes.append(code("91", "140100", "MA"))
            organisationRows.append([distributorCodes.last!, name, "配送企业", "", "", "", "140105", ""])
        }
        var counts = DemoProvince.mix.map { Int((Double(province.institutions) * $0.2).rounded()) }
        counts[counts.count - 2] += province.institutions - counts.reduce(0, +)  // village clinics take the rounding
        for (mix, count) in zip(DemoProvince.mix, counts) {
            for index in 0..<max(0, count) { addInstitution(mix, index) }
        }
        linkCommunities()
        let writer = try CSVWriter(path: files.institutions.path)
        try writer.write(Schemas.organisations.columns.map(\.zh))
        for row in organisationRows { try writer.write(row) }
        try writer.finish()
        stats.institutions = organisationRows.count
    }

    mutating func addInstitution(_ mix: (InstitutionCategory?, OrganisationKind, Double, specs: ClosedRange<Int>, scale: Int), _ index: Int) {
        let (category, kind) = (mix.0, mix.1)
        // Tertiary hospitals sit in city districts (the first counties of each city); others anywhere.
        let county = category == .tertiaryHospital ? (index * 7) % counties.count : rng.int(0...(counties.count - 1))
        let ownership: Ownership =
            kind == .pharmacy
            ? .privateOwned
            : (rng.chance(0.004) ? .military : (rng.chance(category == .villageClinic ? 0.3 : 0.15) ? .privateOwned : .publicOwned))
        let type = ownership == .privateOwned ? (kind == .pharmacy ? "91" : "52") : "12"
        let beds: Int
        switch category {
        case .tertiaryHospital?: beds = rng.int(800...2500)
        case .secondaryHospital?: beds = rng.int(150...600)
        case .primaryHospital?: beds = rng.int(20...99)
        case .communityHealthCentre?, .townshipHealthCentre?: beds = rng.int(10...60)
        default: beds = 0
        }
        let institutionCode = code(type, counties[county].code.value)
        institutions.append(
            Institution(
                code: institutionCode, category: category, kind: kind, county: county, specs: mix.specs, scale: mix.scale,
                beds: beds))
        let name = DemoProvince.name(category: category, kind: kind, county: counties[county].name, index: institutions.count)
        organisationRows.append([
            institutionCode, name, kind.label.zh, category?.label.zh ?? "", ownership.label.zh, beds > 0 ? String(beds) : "",
            counties[county].code.value, "",
        ])
    }

    /// In every county, the first public secondary hospital leads its public township health centres and village
    /// clinics.
    mutating func linkCommunities() {
        var leadOfCounty: [Int: String] = [:]
        for institution in institutions where institution.category == .secondaryHospital && leadOfCounty[institution.county] == nil {
            leadOfCounty[institution.county] = institution.code
        }
        let firstRow = organisationRows.count - institutions.count
        for (index, institution) in institutions.enumerated()
        where institution.category == .townshipHealthCentre || institution.category == .villageClinic {
            if let lead = leadOfCounty[institution.county], organisationRows[firstRow + index][4] == "公立" {
                organisationRows[firstRow + index][7] = lead
            }
        }
    }

    mutating func writeCatalogue(_ catalogue: Catalogue) throws {
        let writer = try CSVWriter(path: files.catalogue.path)
        try writer.write(Schemas.catalogue.columns.map(\.zh))
        func yesNo(_ flag: Bool) -> String { flag ? "是" : "否" }
        for spec in catalogue.specs {
            let variety = catalogue.varietyByCode[spec.varietyCode]!
            try writer.write([
                variety.code, variety.genericName, variety.route, spec.code, spec.dosageForm, spec.strength, spec.content.description,
                spec.minimalUnit, String(spec.packSize), yesNo(spec.passedEvaluation), yesNo(spec.essential),
                yesNo(spec.nonSubstitutable), yesNo(variety.flags.keyMonitored), yesNo(variety.flags.antimicrobial),
                yesNo(variety.flags.restrictedIndication), yesNo(variety.flags.rising), "",
            ])
        }
        try writer.finish()
        stats.varieties = catalogue.varieties.count
        stats.specs = catalogue.specs.count
    }

    mutating func writeProducts(_ catalogue: Catalogue) throws {
        let writer = try CSVWriter(path: files.products.path)
        try writer.write(Schemas.products.columns.map(\.zh))
        var count = 0
        for spec in catalogue.specs where spec.passedEvaluation {
            for _ in 0..<rng.int(2...4) {
                count += 1
                let maker = rng.int(0...(Self.makers.count - 1))
                let productCode = String(format: "P%05d", count)
                productsOfSpec[spec.code, default: []].append(productCode)
                makerOfProduct[productCode] = maker
                try writer.write([productCode, spec.code, Self.makers[maker], makerCodes[maker], String(Self.makers[maker].prefix(2))])
            }
        }
        try writer.finish()
        stats.products = count
    }

    mutating func writeHistoryAndDemand(_ catalogue: Catalogue) throws {
        let history = try CSVWriter(path: files.history.path, bom: false)
        try history.write(Schemas.history.columns.map(\.zh))
        let demand = try CSVWriter(path: files.demand.path)
        try demand.write(Schemas.demand.columns.map(\.zh))
        let plan = DemoDemand(catalogue: catalogue, productsOfSpec: productsOfSpec)
        for (index, institution) in institutions.enumerated() {
            var random = SeededRandom(seed: province.seed &+ UInt64(index) &* 7919)
            let historyByUnit = try plan.writeHistory(institution, &random, history, &stats)
            try plan.writeDemand(institution, index: index, historyByUnit, &random, demand, &stats)
        }
        try history.finish()
        try demand.finish()
    }
}

/// History and demand of one institution at a time (`DemoWriter.writeHistoryAndDemand`).
struct DemoDemand {
    let catalogue: Catalogue
    let productsOfSpec: [String: [String]]
    let specs: [Spec]
    /// Popularity: oral chronic-disease drugs are bought everywhere; injections mostly by hospitals.
    let weights: [Int]
    let unitOf: [String: CheckUnit]
    /// Dictionary order changes from run to run: anything picked from a dictionary goes through a sorted list.
    let brandOrder: [(String, String)]
    let passedOfUnit: [CheckUnit: [Spec]]
    let months = BatchPolicy.default.referencePeriod.months

    init(catalogue: Catalogue, productsOfSpec: [String: [String]]) {
        self.catalogue = catalogue
        self.productsOfSpec = productsOfSpec
        specs = catalogue.specs
        weights = specs.map { spec -> Int in catalogue.varietyByCode[spec.varietyCode]!.route == "口服" ? 3 : 1 }
        let unitOf = Dictionary(uniqueKeysWithValues: specs.map { ($0.code, Catalogue.unit(of: $0)) })
        self.unitOf = unitOf
        brandOrder = productsOfSpec.keys.sorted().compactMap { key in productsOfSpec[key]!.first.map { (key, $0) } }
        passedOfUnit = Dictionary(grouping: specs.filter(\.passedEvaluation), by: { unitOf[$0.code]! })
    }

    static func isHospital(_ institution: DemoWriter.Institution) -> Bool {
        institution.category == .tertiaryHospital || institution.category == .secondaryHospital || institution.category == .primaryHospital
    }

    /// Which specs the institution bought: hospitals anything, others mostly oral drugs.
    func chosenSpecs(_ institution: DemoWriter.Institution, _ random: inout SeededRandom) -> [Int] {
        var chosen = Set<Int>()
        let target = min(specs.count, random.int(institution.specs))
        while chosen.count < target {
            let index = random.int(0...(specs.count - 1))
            if !Self.isHospital(institution) && catalogue.varietyByCode[specs[index].varietyCode]!.route != "口服" && random.chance(0.7) { continue }
            if weights[index] == 1 && random.chance(0.3) { continue }
            chosen.insert(index)
        }
        return chosen.sorted()
    }

    /// Twelve months of history per chosen spec; returns the content bought per check unit.
    func writeHistory(
        _ institution: DemoWriter.Institution, _ random: inout SeededRandom, _ writer: CSVWriter,
        _ stats: inout DemoStatistics
    ) throws -> [CheckUnit: Int128] {
        var historyByUnit: [CheckUnit: Int128] = [:]
        for index in chosenSpecs(institution, &random) {
            let spec = specs[index]
            let variety = catalogue.varietyByCode[spec.varietyCode]!
            let base = max(1, institution.scale * random.int(20...180) / 100)
            var total: Int64 = 0
            for (monthIndex, month) in months.enumerated() {
                // Antimicrobials and antivirals peak in winter; rising varieties grow through the year.
                var quantity = Double(base)
                if variety.flags.antimicrobial { quantity *= [1.5, 1.6, 1.4, 1.1, 0.9, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.3][(month.month + 11) % 12] }
                if variety.flags.rising { quantity *= 0.7 + 0.06 * Double(monthIndex) }
                quantity *= 0.85 + 0.3 * Double(random.next() % 1000) / 1000
                let whole = Int64(quantity.rounded())
                if whole == 0 || (institution.category == .villageClinic && random.chance(0.15)) { continue }
                total += whole
                let price = 50 + Int64(index % 40) * 37  // fen per minimal unit
                try writer.write([institution.code, spec.code, month.description, String(whole), Fen(whole * price).yuanText])
                stats.historyRows += 1
            }
            historyByUnit[unitOf[spec.code]!, default: 0] += ContentConversion.content(of: total, spec)
        }
        return historyByUnit
    }

    /// Demand: 92% report; of those, most between 80% and 120% of history, some below the floor (some with an
    /// explanation), some far above (capacity), a few new varieties, a few without a letter.
    func writeDemand(
        _ institution: DemoWriter.Institution, index: Int, _ historyByUnit: [CheckUnit: Int128], _ random: inout SeededRandom,
        _ writer: CSVWriter, _ stats: inout DemoStatistics
    ) throws {
        guard random.chance(institution.kind == .pharmacy ? 0.6 : 0.92), !historyByUnit.isEmpty else { return }
        stats.reportingInstitutions += 1
        var rows = DemoDemandRows(institution: institution.code, index: index, letter: random.chance(0.96))
        for (unit, content) in historyByUnit.sorted(by: { $0.key < $1.key }) {
            guard let target = passedOfUnit[unit]?.first else { continue }
            try rows.write(line(unit, content, target, Self.isHospital(institution), &random), writer, &stats)
        }
        if random.chance(0.03),
            let extra = specs.filter({ $0.passedEvaluation && historyByUnit[unitOf[$0.code]!] == nil }).randomElement(using: &random)
        {
            try rows.write(DemoDemandRows.Line(spec: extra.code, quantity: Int64(random.int(10...200)), explanation: "新增临床需求"), writer, &stats)
        }
    }

    /// One unit's line: the quantity as a factor of history in the unit's first passed spec, sometimes a brand.
    func line(_ unit: CheckUnit, _ content: Int128, _ target: Spec, _ hospital: Bool, _ random: inout SeededRandom) -> DemoDemandRows.Line {
        var factor = Double(random.int(80...125)) / 100
        var explanation = ""
        if random.chance(0.08) {
            factor = Double(random.int(30...75)) / 100
            if random.chance(0.6) { explanation = "近一年该品种门诊用量下降" }
        }
        if random.chance(0.02) { factor = Double(random.int(160...300)) / 100 }
        // Demo quantities are small: a clinic's year of one variety.
        let inTarget = Int64(clamping: ContentConversion.quantity(ofContent: content, in: target))
        let quantity = Int64((Double(inTarget) * factor).rounded())
        var product = productsOfSpec[target.code].flatMap { random.chance(0.7) ? $0[random.int(0...($0.count - 1))] : nil } ?? ""
        // A few reports name a brand of another spec (BRAND_SPEC_MISMATCH) or a non-passed spec (NOT_PASSED_SPEC).
        if random.chance(0.003), let other = brandOrder.first(where: { $0.0 != target.code })?.1 { product = other }
        var spec = target.code
        if random.chance(0.003), let notPassed = specs.first(where: { unitOf[$0.code] == unit && !$0.passedEvaluation }) {
            spec = notPassed.code
            product = ""
        }
        // Special-needs use outside basic insurance (002 §3(三)), a tenth of the history: the import refuses more than
        // the history (the draw that once chose that is kept, so a seed still gives the same province).
        var exclusion: Int64?
        var reason = ""
        if hospital && random.chance(0.01) {
            _ = random.chance(0.2)
            exclusion = inTarget / 10
            reason = "国际医疗部特需用药"
        }
        return DemoDemandRows.Line(
            spec: spec, product: product, quantity: quantity, explanation: explanation, exclusion: exclusion,
            exclusionReason: reason)
    }
}

/// The demand rows of one institution; the first row carries the commitment letter when it has one.
struct DemoDemandRows {
    struct Line {
        var spec: String
        var product = ""
        var quantity: Int64
        var explanation = ""
        var exclusion: Int64?
        var exclusionReason = ""
    }

    let institution: String
    let index: Int
    let letter: Bool
    var first = true

    mutating func write(_ line: Line, _ writer: CSVWriter, _ stats: inout DemoStatistics) throws {
        let signed = first && letter
        let values: [String: String] = [
            "institution": institution, "spec": line.spec, "product": line.product, "quantity": String(line.quantity),
            "explanation": line.explanation, "exclusion": line.exclusion.map(String.init) ?? "", "exclusionReason": line.exclusionReason,
            "letter": signed ? "承诺函.pdf" : "", "signer": signed ? "王\(index % 97)" : "",
            "signerTitle": signed ? (index % 5 == 0 ? "党委书记" : "院长") : "",
        ]
        try writer.write(Schemas.demand.columns.map { values[$0.key] ?? "" })
        first = false
        stats.demandRows += 1
    }
}
