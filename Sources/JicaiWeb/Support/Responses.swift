import Foundation
import JicaiCore
import Vapor

extension Response {
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The stylesheet or script with cache headers: browsers keep it for an hour and then revalidate by its ETag.
    static func asset(_ asset: SiteURL.Asset) -> Response {
        let (text, type): (String, HTTPMediaType) =
            switch asset {
            case .css: (StaticAssets.css, HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
            case .js: (StaticAssets.js, HTTPMediaType(type: "application", subType: "javascript", parameters: ["charset": "utf-8"]))
            }
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.add(name: .cacheControl, value: "public, max-age=3600")
        headers.add(name: .eTag, value: "\"\(StaticAssets.etag(text))\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func download(_ data: Data, name: String, type: String) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: type)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        headers.add(name: .contentDisposition, value: "attachment; filename=\"download\"; filename*=UTF-8''\(encoded)")
        headers.add(name: "Cache-Control", value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func json(_ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// One page of a list: the total in `X-Total-Count`, the next page in `Link` (rel="next").
    static func paged<T: Content>(_ req: Request, _ items: [T], total: Int64, page: PageRequest, params: ListParams) async throws -> Response {
        let response = try await items.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        if Int64(page.offset + items.count) < total {
            let next = params.href(["page": String(page.number + 1), "size": String(page.size)])
            response.headers.replaceOrAdd(name: .link, value: "<\(next)>; rel=\"next\"")
        }
        return response
    }
}
