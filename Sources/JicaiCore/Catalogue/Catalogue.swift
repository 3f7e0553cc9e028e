import Foundation

/// Variety-level flags that change the reporting floor (000 §3(二), 002 §3(三)).
public struct VarietyFlags: Sendable, Hashable, Codable {
    /// 国家重点监控合理用药药品目录: no reporting floor.
    public var keyMonitored: Bool
    /// 抗微生物药物: may go somewhat below the floor.
    public var antimicrobial: Bool
    /// 限适应症: may go somewhat below the floor.
    public var restrictedIndication: Bool
    /// Rising use (newly listed in the two previous years, or guideline recommendation raised): strive for 100%.
    public var rising: Bool

    public init(keyMonitored: Bool = false, antimicrobial: Bool = false, restrictedIndication: Bool = false, rising: Bool = false) {
        self.keyMonitored = keyMonitored
        self.antimicrobial = antimicrobial
        self.restrictedIndication = restrictedIndication
        self.rising = rising
    }
}

/// A variety (品种): one generic name and route; its dosage forms are merged following the insurance merged-dosage
/// grouping (000 §5(四)).
public struct Variety: Sendable, Hashable, Codable, Identifiable {
    public var id: String { code }
    public var code: String
    public var genericName: String
    public var route: String
    public var flags: VarietyFlags

    public init(code: String, genericName: String, route: String, flags: VarietyFlags = VarietyFlags()) {
        self.code = code
        self.genericName = genericName
        self.route = route
        self.flags = flags
    }
}

/// A spec (规格) of a variety: a dosage form and strength, counted in its minimal unit (片/粒/支/袋…).
public struct Spec: Sendable, Hashable, Codable, Identifiable {
    public var id: String { code }
    public var code: String
    public var varietyCode: String
    public var dosageForm: String
    public var strength: String
    public var content: EffectiveContent
    public var minimalUnit: String
    public var packSize: Int64
    /// 过评规格: passed the consistency evaluation (or reference/originator); demand is reported on these (002 §2).
    public var passedEvaluation: Bool
    /// 基本药物 spec (000 §5(三), 002 §3(四)).
    public var essential: Bool
    /// 临床使用场景不同、不能完全替代 (e.g. paediatric): never converted or merged (000 §5(四), 002 §3(五)).
    public var nonSubstitutable: Bool
    public var insuranceCode: InsuranceDrugCode?

    public init(
        code: String, varietyCode: String, dosageForm: String, strength: String, content: EffectiveContent,
        minimalUnit: String, packSize: Int64 = 1, passedEvaluation: Bool = true, essential: Bool = false,
        nonSubstitutable: Bool = false, insuranceCode: InsuranceDrugCode? = nil
    ) {
        self.code = code
        self.varietyCode = varietyCode
        self.dosageForm = dosageForm
        self.strength = strength
        self.content = content
        self.minimalUnit = minimalUnit
        self.packSize = packSize
        self.passedEvaluation = passedEvaluation
        self.essential = essential
        self.nonSubstitutable = nonSubstitutable
        self.insuranceCode = insuranceCode
    }
}

/// A product (产品): a spec made by one manufacturer, the brand (厂牌) an institution may choose (002 §2).
public struct Product: Sendable, Hashable, Codable, Identifiable {
    public var id: String { code }
    public var code: String
    public var specCode: String
    public var manufacturerName: String
    public var manufacturerCode: CreditCode?
    public var brand: String

    public init(code: String, specCode: String, manufacturerName: String, manufacturerCode: CreditCode? = nil, brand: String = "") {
        self.code = code
        self.specCode = specCode
        self.manufacturerName = manufacturerName
        self.manufacturerCode = manufacturerCode
        self.brand = brand
    }
}

/// The unit on which demand checks are made: a variety with all its merged, substitutable specs; or one
/// non-substitutable spec on its own (docs/rules.md, "What is checked").
public struct CheckUnit: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let varietyCode: String
    /// Set only for a non-substitutable spec, which is its own unit.
    public let separateSpecCode: String?

    public init(varietyCode: String, separateSpecCode: String? = nil) {
        self.varietyCode = varietyCode
        self.separateSpecCode = separateSpecCode
    }

    /// A stable text key: "V01" or "V01/S07".
    public var key: String { separateSpecCode.map { "\(varietyCode)/\($0)" } ?? varietyCode }

    public init?(key: String) {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        self.init(varietyCode: first, separateSpecCode: parts.count > 1 ? parts[1] : nil)
    }

    public var description: String { key }
    public static func < (a: CheckUnit, b: CheckUnit) -> Bool { a.key < b.key }
}

public struct CatalogueError: Error, Sendable, Hashable {
    public let code: String
    public let message: LocalizedText
}

/// A batch catalogue, validated: every spec belongs to a known variety, specs of one unit share one content
/// dimension, codes are unique, products point at known specs.
public struct Catalogue: Sendable {
    public let varieties: [Variety]
    public let specs: [Spec]
    public let products: [Product]
    public let varietyByCode: [String: Variety]
    public let specByCode: [String: Spec]
    public let productByCode: [String: Product]
    /// Every check unit of the catalogue, in key order (made once: every what-if and check reads it).
    public let units: [CheckUnit]
    /// Their keys ("V01", "V01/S013"), to check a key a request names.
    public let unitKeys: Set<String>

    public init(varieties: [Variety], specs: [Spec], products: [Product] = []) throws(CatalogueError) {
        var vByCode: [String: Variety] = [:]
        for variety in varieties {
            guard vByCode.updateValue(variety, forKey: variety.code) == nil else {
                throw CatalogueError(
                    code: "DUPLICATE_VARIETY",
                    message: LocalizedText(
                        zh: "品种编码重复：\(variety.code)", en: "duplicate variety code: \(variety.code)"))
            }
        }
        var sByCode: [String: Spec] = [:]
        var dimensionOfUnit: [CheckUnit: EffectiveContent.Dimension] = [:]
        for spec in specs {
            guard vByCode[spec.varietyCode] != nil else {
                throw CatalogueError(
                    code: "UNKNOWN_VARIETY",
                    message: LocalizedText(
                        zh: "规格\(spec.code)所属品种\(spec.varietyCode)不存在", en: "spec \(spec.code) names unknown variety \(spec.varietyCode)"))
            }
            guard sByCode.updateValue(spec, forKey: spec.code) == nil else {
                throw CatalogueError(
                    code: "DUPLICATE_SPEC",
                    message: LocalizedText(
                        zh: "规格编码重复：\(spec.code)", en: "duplicate spec code: \(spec.code)"))
            }
            let unit = Catalogue.unit(of: spec)
            if let dimension = dimensionOfUnit[unit], dimension != spec.content.dimension {
                throw CatalogueError(
                    code: "MIXED_CONTENT_DIMENSION",
                    message: LocalizedText(
                        zh: "品种\(spec.varietyCode)的合并剂型有效含量单位不可换算（\(spec.code)：\(spec.content)）",
                        en: "variety \(spec.varietyCode) merges specs whose effective contents cannot be converted (\(spec.code): \(spec.content))"))
            }
            dimensionOfUnit[unit] = spec.content.dimension
        }
        var pByCode: [String: Product] = [:]
        for product in products {
            guard sByCode[product.specCode] != nil else {
                throw CatalogueError(
                    code: "UNKNOWN_SPEC",
                    message: LocalizedText(
                        zh: "产品\(product.code)所属规格\(product.specCode)不存在", en: "product \(product.code) names unknown spec \(product.specCode)"))
            }
            guard pByCode.updateValue(product, forKey: product.code) == nil else {
                throw CatalogueError(
                    code: "DUPLICATE_PRODUCT",
                    message: LocalizedText(
                        zh: "产品编码重复：\(product.code)", en: "duplicate product code: \(product.code)"))
            }
        }
        self.varieties = varieties
        self.specs = specs
        self.products = products
        self.varietyByCode = vByCode
        self.specByCode = sByCode
        self.productByCode = pByCode
        self.units = dimensionOfUnit.keys.sorted()
        self.unitKeys = Set(dimensionOfUnit.keys.map(\.key))
    }

    /// The check unit a spec's quantities count towards (000 §5(四), 002 §3(五)).
    public static func unit(of spec: Spec) -> CheckUnit {
        CheckUnit(varietyCode: spec.varietyCode, separateSpecCode: spec.nonSubstitutable ? spec.code : nil)
    }

    public func unit(ofSpec code: String) -> CheckUnit? { specByCode[code].map(Catalogue.unit(of:)) }

    public func specs(in unit: CheckUnit) -> [Spec] {
        specs.filter { Catalogue.unit(of: $0) == unit }
    }

    /// Passed-evaluation specs of a unit: the ones an institution reports on (002 §2).
    public func reportableSpecs(in unit: CheckUnit) -> [Spec] { specs(in: unit).filter(\.passedEvaluation) }

    public func products(ofSpec code: String) -> [Product] { products.filter { $0.specCode == code } }
}

/// Conversion between specs by effective content, exact (000 §5(四), 002 §2, §3(五)).
public enum ContentConversion {
    /// The total effective content, in base units, of `quantity` minimal units of `spec`.
    public static func content(of quantity: Int64, _ spec: Spec) -> Int128 {
        Int128(quantity) * Int128(spec.content.baseAmount)
    }

    /// A total effective content expressed in minimal units of `spec`, rounded half up once — for display only.
    /// Kept wide: a large total converted into a spec of much smaller content may not fit `Int64`.
    public static func quantity(ofContent content: Int128, in spec: Spec) -> Int128 {
        content.dividedRoundingHalfUp(by: Int128(spec.content.baseAmount))
    }

    /// `quantity` of `from` expressed in `to`, rounded half up once. Fails across units that may not be merged:
    /// different check units (non-substitutable specs, other varieties) or content dimensions, and when the result
    /// does not fit `Int64`.
    public static func convert(_ quantity: Int64, from: Spec, to: Spec) -> Int64? {
        guard Catalogue.unit(of: from) == Catalogue.unit(of: to), from.content.dimension == to.content.dimension else { return nil }
        return Int64(exactly: Self.quantity(ofContent: content(of: quantity, from), in: to))
    }
}
