import Foundation
import Testing

@testable import JicaiWeb

/// The OpenAPI document against the Swift types of the bodies: each body type's stored properties are exactly its
/// schema's properties, so a field added to a type (even an optional one that the recorded bodies leave out) or
/// to the document alone fails here. The type is decoded from a value made from its schema (every property given),
/// then its properties are listed by reflection.
@Suite("OpenAPI schemas match the body types")
struct OpenAPITypeTests {
    static var types: [(schema: String, type: any Decodable.Type)] {
        [
            ("Agreement", AgreementDTO.self), ("Alert", AlertDTO.self), ("Award", AwardDTO.self), ("AwardPolicy", AwardPolicyDTO.self),
            ("AwardPolicyChange", AwardPolicyChange.self), ("Compute", ComputeDTO.self), ("Count", CountDTO.self), ("Group", GroupDTO.self),
            ("Me", MeDTO.self), ("MonitorDashboard", MonitorDashboardDTO.self), ("Recompute", RecomputeDTO.self), ("Report", ReportDTO.self),
            ("SupplyProblem", SupplyProblemDTO.self), ("Token", TokenDTO.self), ("Lock", LockDTO.self), ("Letter", LetterDTO.self),
            ("Evidence", EvidenceDTO.self), ("Correction", CorrectionDTO.self), ("Review", ReviewDTO.self),
            ("AuditList", AuditEntryDTO.self), ("StatusList", StatusRowDTO.self), ("TokenList", TokenInfoDTO.self), ("PriceList", PriceDTO.self),
            ("VolumeList", VolumeDTO.self), ("GapList", GapDTO.self), ("AlertList", AlertDTO.self), ("AgreementList", AgreementDTO.self),
            ("OrderList", OrderSummaryDTO.self), ("Order", OrderDTO.self), ("OrderLine", OrderLineDTO.self), ("Delivery", DeliveryDTO.self),
            ("DeliveryLine", DeliveryLineDTO.self), ("OrderIDs", OrderIDsDTO.self), ("OrderRequest", OrderRequestDTO.self),
            ("Shipment", ShipmentDTO.self), ("Acceptance", AcceptanceDTO.self), ("Money", MoneyDTO.self), ("TraceCodes", TraceCodesDTO.self),
            ("PayableList", PayableDTO.self), ("Ticket", TicketDTO.self), ("TicketList", TicketDTO.self), ("TicketRequest", TicketRequestDTO.self),
            ("TicketAction", TicketActionDTO.self), ("SettlementRun", SettlementRunDTO.self), ("SettlementRunList", SettlementRunDTO.self),
            ("SettlementRequest", SettlementRequestDTO.self), ("Statement", StatementDTO.self), ("Payee", PayeeDTO.self),
            ("PrepaymentList", PrepaymentDTO.self), ("PrepaymentRequest", PrepaymentRequestDTO.self), ("PrepaymentResult", PrepaymentResultDTO.self),
            ("CreditList", CreditEntryDTO.self), ("CodeCaptureRequest", CodeCaptureRequestDTO.self), ("CodeCapture", CodeCaptureDTO.self),
            ("CodeAnomalyList", CodeAnomalyDTO.self), ("WhatIfList", WhatIfDTO.self),
            ("AssessmentReport", AssessmentReportDTO.self), ("AssessmentCity", AssessmentCityDTO.self),
        ]
    }

    /// The object schema of a name, following a list's items.
    static func objectSchema(_ name: String) -> [String: Any]? {
        guard var schema = OpenAPIShape.schemas[name] as? [String: Any] else { return nil }
        if schema["type"] as? String == "array", let items = schema["items"] as? [String: Any] {
            if let ref = items["$ref"] as? String, let target = OpenAPIShape.schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any] {
                schema = target
            } else {
                schema = items
            }
        }
        return schema
    }

    /// A value for a schema with every property given.
    static func example(_ schema: [String: Any], depth: Int = 0) -> Any {
        if let ref = schema["$ref"] as? String, let target = OpenAPIShape.schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any] {
            return depth > 6 ? [String: Any]() : example(target, depth: depth + 1)
        }
        if let choices = schema["enum"] as? [Any], let first = choices.first(where: { !($0 is NSNull) }) { return first }
        let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String) ?? "object"]
        let type = types.first { $0 != "null" } ?? "object"
        switch type {
        case "string": return (schema["format"] as? String) == "date-time" ? "2026-03-01T00:00:00Z" : "2026-03-01"
        case "integer": return 1
        case "number": return 1.5
        case "boolean": return true
        case "array": return [example(schema["items"] as? [String: Any] ?? [:], depth: depth + 1)]
        default:
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return properties.reduce(into: [String: Any]()) { out, entry in
                out[entry.key] = example(entry.value as? [String: Any] ?? [:], depth: depth + 1)
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> Any {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: data)
    }

    @Test("Every body type has exactly its schema's properties")
    func typesMatchSchemas() throws {
        for (name, type) in Self.types {
            let schema = try #require(Self.objectSchema(name), "no schema \(name)")
            let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
            let data = try JSONSerialization.data(withJSONObject: Self.example(schema))
            let value: Any
            do {
                value = try Self.decode(type, data)
            } catch {
                Issue.record("\(name): the schema's example does not decode as \(type): \(error)")
                continue
            }
            let stored = Set(Mirror(reflecting: value).children.compactMap(\.label))
            #expect(
                stored == properties,
                "\(name) (\(type)): only in the type \(stored.subtracting(properties).sorted()), only in the schema \(properties.subtracting(stored).sorted())"
            )
        }
    }
}
