import Foundation

/// What a filler enters on the form: quantities per spec (and brand), explanations and special-needs exclusions
/// per check unit.
public struct DraftInput: Sendable, Hashable, Codable {
    public var lines: [DemandLine]
    public var explanations: [String: String]
    public var exclusions: [String: SpecialNeedsExclusion]

    public init(lines: [DemandLine], explanations: [String: String] = [:], exclusions: [String: SpecialNeedsExclusion] = [:]) {
        self.lines = lines
        self.explanations = explanations
        self.exclusions = exclusions
    }

    /// Why a draft is refused: a stable code and the message.
    public typealias Refusal = JicaiCore.Refusal

    /// The draft as it is stored, or why it is refused (002 §2: institutions report on the catalogue's specs, with a
    /// brand of that spec). Lines name specs of the catalogue and brands of that spec, with whole quantities from 0
    /// to `InputLimits.maxQuantity`, one line per spec and brand; zero lines are dropped. Exclusions and explanations
    /// name units of the catalogue and stay within the text limit.
    public func validated(against catalogue: Catalogue) -> Result<DraftInput, Refusal> {
        var seen = Set<String>()
        var clean: [DemandLine] = []
        for line in lines {
            guard let spec = catalogue.specByCode[line.specCode] else {
                return .failure(
                    Refusal(.unknownSpec, zh: "规格“\(line.specCode)”不在本批次清单中", en: "spec \"\(line.specCode)\" is not in the batch catalogue"))
            }
            if let product = line.productCode, !product.isEmpty, catalogue.productByCode[product]?.specCode != spec.code {
                return .failure(
                    Refusal(.badProduct, zh: "厂牌产品“\(product)”不属于规格\(spec.code)", en: "product \"\(product)\" is not of spec \(spec.code)"))
            }
            if let problem = QuantityText.problem(line.quantity) {
                return .failure(.quantity(problem, what: spec.code, text: String(line.quantity)))
            }
            guard seen.insert("\(line.specCode)|\(line.productCode ?? "")").inserted else {
                return .failure(Refusal(.duplicateLine, zh: "规格\(spec.code)重复填写", en: "spec \(spec.code) is entered twice"))
            }
            if line.quantity > 0 {
                clean.append(
                    DemandLine(
                        specCode: line.specCode, productCode: (line.productCode ?? "").isEmpty ? nil : line.productCode, quantity: line.quantity))
            }
        }
        let units = catalogue.unitKeys
        for (key, ex) in exclusions {
            if let problem = QuantityText.problem(ex.quantity) { return .failure(.quantity(problem, what: key, text: String(ex.quantity))) }
            if ex.reason.count > InputLimits.maxExplanationCharacters { return .failure(.tooLong(key)) }
        }
        for key in explanations.keys where !units.contains(key) {
            return .failure(Refusal(.unknownUnit, zh: "品种“\(key)”不在本批次清单中", en: "unit \"\(key)\" is not in the batch catalogue"))
        }
        for (key, text) in explanations where text.count > InputLimits.maxExplanationCharacters {
            return .failure(.tooLong(key))
        }
        let kept = explanations.filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return .success(
            DraftInput(
                lines: clean.sorted { ($0.specCode, $0.productCode ?? "") < ($1.specCode, $1.productCode ?? "") },
                explanations: kept, exclusions: exclusions))
    }

    /// The draft of the web form's fields: `quantities[spec]`, `brands[spec]`, `explanations[unit]`,
    /// `exclusions[unit]` (a quantity in the unit's display spec), `exclusionSpecs[unit]`, `exclusionReasons[unit]`.
    /// Empty quantity fields are left out; text that is not a whole quantity within the limit is refused.
    public static func fromForm(
        quantities: [String: String], brands: [String: String], explanations: [String: String],
        exclusions: [String: String], exclusionSpecs: [String: String],
        exclusionReasons: [String: String]
    ) -> Result<DraftInput, Refusal> {
        var lines: [DemandLine] = []
        for (spec, text) in quantities.sorted(by: { $0.key < $1.key }) {
            guard let parsed = QuantityText.parse(text) else { continue }
            switch parsed {
            case .failure(let problem): return .failure(.quantity(problem, what: spec, text: text))
            case .success(let quantity):
                let product = brands[spec].flatMap { $0.isEmpty ? nil : $0 }
                lines.append(DemandLine(specCode: spec, productCode: product, quantity: quantity))
            }
        }
        var excluded: [String: SpecialNeedsExclusion] = [:]
        for (unit, text) in exclusions {
            guard let parsed = QuantityText.parse(text) else { continue }
            switch parsed {
            case .failure(let problem): return .failure(.quantity(problem, what: unit, text: text))
            case .success(let quantity) where quantity > 0:
                excluded[unit] = SpecialNeedsExclusion(specCode: exclusionSpecs[unit] ?? "", quantity: quantity, reason: exclusionReasons[unit] ?? "")
            case .success: continue
            }
        }
        return .success(DraftInput(lines: lines, explanations: explanations, exclusions: excluded))
    }
}

extension Refusal {
    public static func quantity(_ problem: QuantityText.Problem, what: String, text: String) -> Refusal {
        let message = QuantityText.message(problem, what: what, text: text)
        return Refusal(problem == .tooLarge ? .quantityTooLarge : .badQuantity, zh: message.zh, en: message.en)
    }

    public static func tooLong(_ what: String) -> Refusal {
        Refusal(
            .textTooLong, zh: "\(what)的说明超过\(InputLimits.maxExplanationCharacters)字",
            en: "the text of \(what) exceeds \(InputLimits.maxExplanationCharacters) characters")
    }
}
