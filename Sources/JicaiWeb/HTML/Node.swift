import Foundation

/// An attribute; a nil value renders the bare name (boolean attributes).
public struct Attr: Sendable, Hashable {
    public var name: String
    public var value: String?
    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }
    public static func `class`(_ v: String) -> Attr { Attr("class", v) }
    public static func id(_ v: String) -> Attr { Attr("id", v) }
    public static func href(_ v: String) -> Attr { Attr("href", v) }
    public static func name(_ v: String) -> Attr { Attr("name", v) }
    public static func value(_ v: String) -> Attr { Attr("value", v) }
    public static func type(_ v: String) -> Attr { Attr("type", v) }
    public static func action(_ v: String) -> Attr { Attr("action", v) }
    public static func title(_ v: String) -> Attr { Attr("title", v) }
    public static func data(_ key: String, _ v: String) -> Attr { Attr("data-\(key)", v) }
    public static let required = Attr("required", nil)
    public static let checked = Attr("checked", nil)
    public static let selected = Attr("selected", nil)
    public static let disabled = Attr("disabled", nil)
    public static let postMethod = Attr("method", "post")
    public static let multipart = Attr("enctype", "multipart/form-data")
}

/// A piece of HTML. Text and every attribute value are escaped when rendered (`&<>"'`); only `unsafeRaw` is
/// written as is, and only constant markup goes there.
public indirect enum Node: Sendable {
    case element(String, [Attr], [Node])
    case void(String, [Attr])
    case text(String)
    case unsafeRaw(String)
    case fragment([Node])

    static let voidTags: Set<String> = ["br", "hr", "img", "input", "meta", "link"]

    public func render(into out: inout String) {
        switch self {
        case .text(let text): Node.escape(text, into: &out)
        case .unsafeRaw(let markup): out += markup
        case .fragment(let nodes): for node in nodes { node.render(into: &out) }
        case .void(let tag, let attrs):
            out += "<" + tag
            Node.render(attrs, into: &out)
            out += ">"
        case .element(let tag, let attrs, let children):
            out += "<" + tag
            Node.render(attrs, into: &out)
            out += ">"
            for child in children { child.render(into: &out) }
            out += "</" + tag + ">"
        }
    }

    public var rendered: String {
        var html = ""
        render(into: &html)
        return html
    }

    static func render(_ attrs: [Attr], into out: inout String) {
        for attr in attrs {
            out += " " + attr.name
            if let value = attr.value {
                out += "=\""
                escape(value, into: &out)
                out += "\""
            }
        }
    }

    public static func escape(_ s: String, into out: inout String) {
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildBlock(_ parts: [Node]...) -> [Node] { parts.flatMap { $0 } }
    public static func buildExpression(_ n: Node) -> [Node] { [n] }
    public static func buildExpression(_ n: [Node]) -> [Node] { n }
    public static func buildExpression(_ s: String) -> [Node] { [.text(s)] }
    public static func buildOptional(_ n: [Node]?) -> [Node] { n ?? [] }
    public static func buildEither(first n: [Node]) -> [Node] { n }
    public static func buildEither(second n: [Node]) -> [Node] { n }
    public static func buildArray(_ n: [[Node]]) -> [Node] { n.flatMap { $0 } }
}

/// `el("p", .class("x")) { "text" }`
public func el(_ tag: String, _ attrs: Attr..., @HTMLBuilder children: () -> [Node] = { [] }) -> Node {
    Node.voidTags.contains(tag) ? .void(tag, attrs) : .element(tag, attrs, children())
}

public func el(_ tag: String, attrs: [Attr], @HTMLBuilder _ children: () -> [Node] = { [] }) -> Node {
    Node.voidTags.contains(tag) ? .void(tag, attrs) : .element(tag, attrs, children())
}
