import Foundation
import NIOCore
import Vapor

/// A JSON body written straight into bytes, for the hot API answers whose `Codable` encoding showed in the profile
/// (the demand form's what-if: about a tenth of its time under load was `JSONEncoder`). The same members, in the
/// same order and with the same values as the DTO's `Codable` form (tested).
struct JSONBody {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }
    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }
    mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }
    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's name; its value follows.
    mutating func key(_ name: String) {
        separator()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func value(_ text: String) {
        separator()
        string(text)
        needsComma = true
    }

    mutating func value(_ number: Int64) {
        separator()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    mutating func value(_ number: Int) { value(Int64(number)) }

    mutating func value(_ flag: Bool) {
        separator()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func value(_ texts: [String]) {
        beginArray()
        for text in texts { value(text) }
        endArray()
    }

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// A JSON string: quotes, backslashes and control characters escaped; everything else as its UTF-8 bytes.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = text.utf8
        // Most texts need no escape: copied whole.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0f)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The body as a 200 response, typed as Vapor types its JSON.
    func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }
}

extension WhatIfDTO {
    /// The list written as `JSONBody`: the members of the `Codable` form, in its order.
    static func body(_ list: [WhatIfDTO]) -> JSONBody {
        var json = JSONBody(capacity: 1024 * max(1, list.count))
        json.beginArray()
        for w in list {
            json.beginObject()
            json.key("unit")
            json.value(w.unit)
            json.key("winners")
            json.value(w.winners)
            json.key("winnersKnown")
            json.value(w.winnersKnown)
            json.key("ratio")
            json.value(w.ratio)
            json.key("reportedContent")
            json.value(w.reportedContent)
            json.key("agreedContent")
            json.value(w.agreedContent)
            json.key("displaySpec")
            json.value(w.displaySpec)
            json.key("agreedQuantity")
            json.value(w.agreedQuantity)
            json.key("monthlyQuantity")
            json.value(w.monthlyQuantity)
            json.key("retention")
            json.beginArray()
            for r in w.retention {
                json.beginObject()
                json.key("grade")
                json.value(r.grade)
                json.key("lowFen")
                json.value(r.lowFen)
                json.key("highFen")
                json.value(r.highFen)
                json.endObject()
            }
            json.endArray()
            json.key("assumptions")
            json.value(w.assumptions)
            json.key("assumptionsEn")
            json.value(w.assumptionsEn)
            json.endObject()
        }
        json.endArray()
        return json
    }
}
