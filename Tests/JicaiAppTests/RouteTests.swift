import Foundation
import JicaiApp
import RoutingKit
import Testing
import Vapor

@testable import JicaiWeb

/// `SiteURL` is the one place paths are spelled: every value of it is registered, reads back to its values through
/// Vapor's router, and no other file of the web layer writes a path.
@Suite struct RouteTests {
    /// Values with characters that must be percent-encoded to stay inside their segment.
    static let examples = SiteURL.examples(
        batch: "GY-2025/11 批", institution: "12%34?x", file: "42", job: "job#1", token: "tok en",
        user: "city1401/x")

    @Test("every SiteURL value is registered under its pattern, and no route is registered outside SiteURL")
    func everyPathIsRegistered() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let registered = Set(app.routes.all.map { route in route.path.map(\.description).joined(separator: "/") })
            let patterns = Set(Self.examples.map { url in url.pattern.map(\.description).joined(separator: "/") })
            #expect(patterns.subtracting(registered).isEmpty, "not registered: \(patterns.subtracting(registered).sorted())")
            #expect(registered.subtracting(patterns).isEmpty, "registered outside SiteURL: \(registered.subtracting(patterns).sorted())")
        }
    }

    @Test("every path reads back to the values it was built from (percent-encoded values stay in their segment)")
    func pathsRoundTrip() {
        let router = TrieRouter(SiteURL.self)
        // As Vapor does, under a first component (the method), so that the start page's empty path can be registered.
        for url in Self.examples { router.register(url, at: [.constant("GET")] + url.pattern) }
        for url in Self.examples {
            var parameters = Parameters()
            let components = ["GET"] + url.path.split(separator: "/").map(String.init)
            let found = router.route(path: components, parameters: &parameters)
            #expect(found.map { $0.pattern } == url.pattern, "\(url.path) routes to \(String(describing: found))")
            for case .value(let name, let text) in url.segments {
                #expect(parameters.get(name) == text, "\(url.path): \(name)")
            }
            #expect(!url.path.contains(" ") && !url.path.contains("?") && !url.path.contains("#"), "\(url.path)")
        }
        #expect(Self.examples.count == Set(Self.examples).count)
    }

    @Test("OpenAPI paths come from SiteURL: every /api/v1 route has an operation and every operation a route")
    func openAPIMatchesRoutes() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let apiRoutes = Set(
                app.routes.all.compactMap { route -> String? in
                    let path =
                        "/"
                        + route.path.map { component in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                    return path.hasPrefix(SiteURL.apiPrefix) ? "\(route.method.rawValue.lowercased()) \(path)" : nil
                })
            let documented = Set(OpenAPIDocument.operations.map { "\($0.method) \($0.url.openAPIPath)" })
            #expect(
                apiRoutes == documented,
                "routes without an operation: \(apiRoutes.subtracting(documented)); operations without a route: \(documented.subtracting(apiRoutes))")
        }
    }

    @Test("no file of the web layer but SiteURL.swift spells a path or registers a route by string")
    func noPathLiterals() throws {
        let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/JicaiWeb")
        let files = FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let pattern = try Regex(#""/[A-Za-z{]|\.(get|post|put|delete|grouped|on)\(""#)
        var offenders: [String] = []
        for file in files where file.pathExtension == "swift" && file.lastPathComponent != "SiteURL.swift" {
            for (number, line) in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) {
                offenders.append("\(file.lastPathComponent):\(number + 1)")
            }
        }
        #expect(offenders.isEmpty, "path literals: \(offenders)")
        #expect(files.count > 20)
    }
}
