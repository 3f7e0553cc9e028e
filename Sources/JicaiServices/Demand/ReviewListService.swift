import Foundation
import JicaiCore
import JicaiPersistence

/// The reviewers' list of a batch as one page shows it: the region's organisations (one page, filtered and ordered
/// by the database), its status counts, and the page of "has history, did not submit".
public struct ReviewList: Sendable {
    public var context: BatchContext
    public var regionPrefix: String
    public var filter: ReviewFilter
    public var sort: ListOrder<ReviewColumn>
    public var institutions: Page<ReviewRow>
    public var notReported: Page<ReviewRow>
    public var statusCounts: [String: Int64]
}

extension ReportService {
    /// The list for a city reviewer (its city) or the province (everything, or one city by `region`).
    public func reviewList(
        _ scope: BatchScope, region: String?, status: String?, findingCode: String?, text: String?,
        sort: ListOrder<ReviewColumn>, page: PageRequest, notReportedPage: PageRequest
    ) async throws -> ReviewList {
        let prefix = try listingPrefix(scope.principal, region)
        let batchContext = try await context(scope)
        let query = ReviewListQuery(db)
        let filter = ReviewFilter(regionPrefix: prefix, status: status, findingCode: findingCode, text: text)
        let missingFilter = ReviewFilter(regionPrefix: prefix, text: filter.text, notReportedOnly: true)
        return ReviewList(
            context: batchContext, regionPrefix: prefix, filter: filter, sort: sort,
            institutions: try await query.page(batchID: batchContext.batch.id, filter: filter, sort: sort, page: page),
            // In code order: the database stops at the page's last row instead of summing every history first.
            notReported: try await query.page(batchID: batchContext.batch.id, filter: missingFilter, sort: ListOrder(.code), page: notReportedPage),
            statusCounts: try await query.statusCounts(batchID: batchContext.batch.id, regionPrefix: prefix))
    }

    /// One page of the status list for the API, in code order.
    public func statusPage(_ scope: BatchScope, region: String?, status: String?, page: PageRequest) async throws -> Page<
        ReviewRow
    > {
        let ctx = scope.ctx
        let prefix = try listingPrefix(ctx.principal, region)
        let batchContext = try await context(scope)
        return try await ReviewListQuery(db).page(
            batchID: batchContext.batch.id, filter: ReviewFilter(regionPrefix: prefix, status: status),
            sort: ListOrder(.code), page: page)
    }

    func listingPrefix(_ p: Principal, _ requested: String?) throws -> String {
        guard let prefix = Authorizer.listingPrefix(p, requested: requested) else { throw ServiceError.forbidden }
        return prefix
    }
}
