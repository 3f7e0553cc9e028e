import Foundation
import Testing

@testable import JicaiWeb

/// Checks a JSON value against a schema of the OpenAPI document: every key the body has is a property of the
/// schema, every required property is there, and a property left out may be null. Arrays and `$ref`s are followed.
enum OpenAPIShape {
    static var schemas: [String: Any] {
        let json = try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        return (json?["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    /// The problems, empty when the value fits.
    static func problems(_ value: Any, schema name: String, at path: String = "$") -> [String] {
        guard let schema = schemas[name] as? [String: Any] else { return ["no schema \(name)"] }
        return problems(value, schema, at: path)
    }

    static func problems(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String { return problems(value, schema: String(ref.split(separator: "/").last ?? ""), at: path) }
        if let array = value as? [Any] {
            guard let items = schema["items"] as? [String: Any] else { return [] }
            return array.enumerated().flatMap { problems($0.element, items, at: "\(path)[\($0.offset)]") }
        }
        guard let object = value as? [String: Any], let properties = schema["properties"] as? [String: Any] else { return [] }
        var out: [String] = []
        for key in object.keys.sorted() where properties[key] == nil { out.append("\(path).\(key) is not in the schema") }
        for key in (schema["required"] as? [String] ?? []) where object[key] == nil { out.append("\(path).\(key) is required but missing") }
        for (key, property) in properties {
            guard let property = property as? [String: Any] else { continue }
            if let inner = object[key] {
                out += problems(inner, property, at: "\(path).\(key)")
            } else if !(schema["required"] as? [String] ?? []).contains(key), !nullable(property) {
                out.append("\(path).\(key) is left out but not nullable")
            }
        }
        return out
    }

    static func nullable(_ property: [String: Any]) -> Bool {
        if let types = property["type"] as? [String] { return types.contains("null") }
        return property["$ref"] == nil && property["type"] as? String == "object" && property["properties"] == nil
    }

    static func check(_ body: String, schema: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) else {
            Issue.record("not JSON: \(body.prefix(200))", sourceLocation: sourceLocation)
            return
        }
        let found = problems(value, schema: schema)
        #expect(found.isEmpty, "\(schema): \(found.prefix(10))", sourceLocation: sourceLocation)
    }
}
