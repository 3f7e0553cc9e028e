import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The start page (the batches of the user's province) and each batch's home with its five stages.
struct BatchHomeController: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.home) { req in try await home(req) }
        routes.get(.batch(.any, .home)) { req in try await batchHome(req) }
    }

    func home(_ req: Request) async throws -> Response {
        let ctx = try req.context(deps)
        let batches = try await deps.services(req).platform.batches(visibleTo: ctx.principal)
        let model = HomeView.Model(principal: ctx.principal, batches: batches, now: ctx.at)
        let page = Layout.page(req, title: req.lang.t("首页", "Start"), flash: Flashes.take(req)) { HomeView(model: model, lang: req.lang).body }
        return Flashes.clear(req, page)
    }

    func batchHome(_ req: Request) async throws -> Response {
        let ctx = try req.context(deps)
        let key = try BatchKey(req)
        // Another province's batch reads as unknown here, as on the start page's list.
        let scope: BatchScope
        do {
            scope = try await req.scope(deps)
        } catch let refusal as Refusal where refusal.code == .forbidden || refusal.code == .batchNotFound {
            throw Refusal(.batchNotFound, zh: "批次“\(key.code)”不存在", en: "batch \"\(key.code)\" does not exist")
        }
        let batch = scope.batch
        let context = try await deps.services(req).reports.context(scope)
        let award = try await deps.services(req).award.state(scope)
        let supply = award.phase == .published ? try? await deps.services(req).supply.todo(scope) : nil
        let model = BatchHomeView.Model(principal: ctx.principal, batch: batch, lockedAt: context.lockedAt, award: award, now: ctx.at, supply: supply)
        if award.phase == .published { await MonitorPages.badge(req, key, services: deps.services(req), scope: scope) }
        return Layout.page(req, title: batch.name, crumbs: [Crumb(title: batch.name, url: nil)]) {
            BatchHomeView(model: model, lang: req.lang).body
        }
    }
}
