import Foundation

/// The effective content (有效含量) of one minimal unit of a spec, e.g. 0.25 g per tablet or 80万IU per vial.
/// Held exactly as an integer count of the dimension's base unit (nanogram, milli-IU, microlitre, …) so that
/// quantities of different specs in one merge group add up without rounding (000 §5(四), 002 §3(五)).
public struct EffectiveContent: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Dimension: String, Sendable, Codable {
        case mass, activity, volume, count
    }

    /// Units a catalogue may use, each with its size in the dimension's base unit.
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case g, mg, ug, ng
        case wanIU = "万IU"
        case IU, mIU
        case wanU = "万U"
        case U
        case L, ml, ul
        case mmol
        case piece = "个"

        public var dimension: Dimension {
            switch self {
            case .g, .mg, .ug, .ng: .mass
            case .wanIU, .IU, .mIU, .wanU, .U: .activity
            case .L, .ml, .ul: .volume
            case .mmol, .piece: .count
            }
        }

        /// Size of one unit in base units: ng for mass, milli-unit for activity, µl for volume, µmol / 1 for counts.
        public var baseUnits: Int64 {
            switch self {
            case .g: 1_000_000_000
            case .mg: 1_000_000
            case .ug: 1_000
            case .ng: 1
            case .wanIU, .wanU: 10_000_000
            case .IU, .U: 1_000
            case .mIU: 1
            case .L: 1_000_000
            case .ml: 1_000
            case .ul: 1
            case .mmol: 1_000
            case .piece: 1
            }
        }

        /// Accepts common spellings: "mg", "MG", "μg", "µg", "mcg", "万单位", "IU", "单位", "ml", "mL".
        public static func parse(_ text: String) -> Unit? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            switch trimmed.lowercased() {
            case "g", "克": return .g
            case "mg", "毫克": return .mg
            case "ug", "μg", "µg", "mcg", "微克": return .ug
            case "ng", "纳克": return .ng
            case "万iu", "万国际单位": return .wanIU
            case "iu", "国际单位": return .IU
            case "miu": return .mIU
            case "万u", "万单位": return .wanU
            case "u", "单位": return .U
            case "l", "升": return .L
            case "ml", "毫升": return .ml
            case "ul", "μl", "µl", "微升": return .ul
            case "mmol", "毫摩尔": return .mmol
            case "个": return .piece
            default: return nil
            }
        }
    }

    public let baseAmount: Int64
    public let dimension: Dimension
    /// How the content was written, kept for display ("0.25", unit g).
    public let amountText: String
    public let unit: Unit

    /// Builds the content from its decimal text and unit; nil when the amount is not positive or is finer than the
    /// base unit (e.g. 0.0001 ng).
    public init?(amount: String, unit: Unit) {
        guard let decimal = FixedDecimal(parsing: amount), decimal.units > 0,
            let base = decimal.scaled(by: unit.baseUnits), base > 0
        else { return nil }
        self.baseAmount = base
        self.dimension = unit.dimension
        self.amountText = amount.trimmingCharacters(in: .whitespaces)
        self.unit = unit
    }

    /// Parses "0.25g", "80万IU", "5 mg", "100ml".
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let split = trimmed.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) else { return nil }
        guard let unit = Unit.parse(String(trimmed[split...])) else { return nil }
        self.init(amount: String(trimmed[..<split]), unit: unit)
    }

    public var description: String { "\(amountText)\(unit.rawValue)" }
}

extension EffectiveContent {
    /// An amount of base units for people: grams (mass), IU (activity), millilitres (volume), or a count, with up to
    /// three decimals, exact (integer division; trailing zeros dropped).
    public static func display(base: Int64, dimension: Dimension) -> String {
        let (unit, size): (String, Int64) =
            switch dimension {
            case .mass: base >= 1_000_000_000 || base == 0 ? ("g", 1_000_000_000) : ("mg", 1_000_000)
            case .activity: ("IU", 1_000)
            case .volume: ("ml", 1_000)
            case .count: ("", 1)
            }
        let negative = base < 0
        let magnitude = base.magnitude
        let whole = magnitude / UInt64(size)
        // Thousandths, rounded half up.
        let thousandths = ((magnitude % UInt64(size)) * 1000 * 2 + UInt64(size)) / (UInt64(size) * 2)
        let (w, t) = thousandths >= 1000 ? (whole + 1, thousandths - 1000) : (whole, thousandths)
        var text = String(w)
        if t > 0 {
            var decimals = String(t)
            decimals = String(repeating: "0", count: 3 - decimals.count) + decimals
            while decimals.hasSuffix("0") { decimals.removeLast() }
            text += "." + decimals
        }
        return (negative ? "-" : "") + text + unit
    }
}
