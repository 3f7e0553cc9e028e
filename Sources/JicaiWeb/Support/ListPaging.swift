import Foundation
import JicaiCore
import Vapor

/// The query of a list page (filters, order, page) and the links that change one part of it and keep the rest.
struct ListParams: Sendable {
    var path: String
    var items: [(String, String)]

    init(_ req: Request) {
        path = req.url.path
        items = (req.url.query ?? "").split(separator: "&").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = kv.first?.removingPercentEncoding, !key.isEmpty else { return nil }
            let value = kv.count > 1 ? (kv[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            return (key, value)
        }
    }

    subscript(key: String) -> String? { items.last(where: { $0.0 == key })?.1 }

    /// This list with `changes` applied (nil removes a key); changing a filter or the order goes back to page 1.
    func href(_ changes: [String: String?]) -> String {
        var out = items.filter { changes[$0.0] == nil }
        for (k, v) in changes.sorted(by: { $0.key < $1.key }) { if let v { out.append((k, v)) } }
        let query = out.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return query.isEmpty ? path : path + "?" + query
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    func page(_ key: String = "page", maxSize: Int = PageRequest.sizes.last!) -> PageRequest {
        PageRequest(number: self[key].flatMap { Int($0) }, size: self["size"].flatMap { Int($0) }, maxSize: maxSize)
    }

    /// The page of a machine API list: `page` from 1, `size` up to `PageRequest.maxAPISize` (also the default).
    func apiPage() -> PageRequest {
        PageRequest(
            number: self["page"].flatMap { Int($0) }, size: self["size"].flatMap { Int($0) } ?? PageRequest.maxAPISize,
            maxSize: PageRequest.maxAPISize)
    }

    func sort<C>(default column: C, descending: Bool = false) -> ListOrder<C> {
        ListOrder(sort: self["sort"], dir: self["dir"], default: column, defaultDescending: descending)
    }
}

extension Layout {
    /// A column heading that orders the list by its column (a second click reverses the order).
    static func sortHeader<C>(_ title: String, _ column: C, _ current: ListOrder<C>, _ params: ListParams) -> Node {
        let active = current.column == column
        let nextDescending = active ? !current.descending : false
        let arrow = active ? (current.descending ? " ▼" : " ▲") : ""
        return el(
            "a", .href(params.href(["sort": column.rawValue, "dir": nextDescending ? "desc" : "asc", "page": nil, "mpage": nil])),
            .class(active ? "sort active" : "sort"), .data("sort", column.rawValue)
        ) { title + arrow }
    }

    /// A table whose headings may be links (server-side order); rows come one page at a time.
    static func pagedTable(id: String, headers: [Node], rows: [[Node]]) -> Node {
        el("div", .class("table-wrap")) {
            el("table", .id(id), .class("paged")) {
                el("thead") { el("tr") { for header in headers { el("th") { header } } } }
                el("tbody") {
                    for row in rows { el("tr") { for cell in row { el("td") { cell } } } }
                }
            }
        }
    }

    /// "1–50 of 4,015 · page 1 of 81" with first / previous / next / last links and the page sizes.
    static func pager<T>(_ lang: Lang, _ page: Page<T>, _ params: ListParams, key: String = "page", id: String) -> Node {
        let number = page.request.number
        let last = page.pageCount
        let (first, end) = page.range
        func link(_ text: String, _ target: Int, _ enabled: Bool, _ rel: String) -> Node {
            enabled
                ? el("a", .href(params.href([key: String(target)])), Attr("rel", rel), .class("page-link")) { text }
                : el("span", .class("page-link disabled")) { text }
        }
        return el("nav", .class("pager no-print"), .id(id), Attr("aria-label", lang.t("分页", "Pages"))) {
            link(lang.t("« 首页", "« First"), 1, page.hasPrevious, "first")
            link(lang.t("‹ 上一页", "‹ Previous"), number - 1, page.hasPrevious, "prev")
            el("span", .class("page-info")) {
                lang.t("第\(first)–\(end)条，共\(page.total)条 · 第\(number)/\(last)页", "\(first)–\(end) of \(page.total) · page \(number) of \(last)")
            }
            link(lang.t("下一页 ›", "Next ›"), number + 1, page.hasNext, "next")
            link(lang.t("末页 »", "Last »"), last, number < last, "last")
            el("span", .class("page-sizes")) {
                lang.t("每页", "Per page")
                for size in PageRequest.sizes {
                    " "
                    if size == page.request.size {
                        el("strong") { String(size) }
                    } else {
                        el("a", .href(params.href(["size": String(size), key: nil]))) { String(size) }
                    }
                }
            }
        }
    }
}
