/// Which page of a long list to show: lists that grow with the province (institutions, accounts, the audit log)
/// are paged, filtered and sorted by the database, never loaded whole.
public struct PageRequest: Sendable, Hashable {
    public static let defaultSize = 50
    public static let sizes = [20, 50, 100, 200]
    /// The API may ask for more rows at once than a page shows.
    public static let maxAPISize = 1000

    /// 1-based.
    public var number: Int
    public var size: Int

    /// Out-of-range numbers are clamped (a page below 1 is page 1; a size outside `1...maxSize` the default).
    public init(number: Int? = nil, size: Int? = nil, maxSize: Int = PageRequest.sizes.last!) {
        self.number = max(1, min(number ?? 1, 10_000_000))
        if let size, (1...maxSize).contains(size) { self.size = size } else { self.size = PageRequest.defaultSize }
    }

    public var offset: Int { (number - 1) * size }
}

/// One page of a list with the total the filters match.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int64
    public var request: PageRequest

    public init(items: [Item], total: Int64, request: PageRequest) {
        self.items = items
        self.total = total
        self.request = request
    }

    /// At least 1, so an empty list still has its (empty) first page.
    public var pageCount: Int { max(1, Int((total + Int64(request.size) - 1) / Int64(request.size))) }
    public var hasNext: Bool { request.number < pageCount }
    public var hasPrevious: Bool { request.number > 1 }
    /// 1-based positions of the first and last item shown ("21–40 of 4,015"); 0 and 0 when empty.
    public var range: (first: Int64, last: Int64) {
        items.isEmpty ? (0, 0) : (Int64(request.offset) + 1, Int64(request.offset + items.count))
    }

    /// Every item as one page (an export asks for no page).
    public static func whole(_ items: [Item]) -> Page<Item> {
        Page(items: items, total: Int64(items.count), request: PageRequest(number: 1, size: max(1, items.count), maxSize: Int.max))
    }

    public func map<T: Sendable>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), total: total, request: request)
    }
}

/// A sort column of a list and its direction; the columns a list allows are an enum of its own.
public struct ListOrder<Column: RawRepresentable & Sendable & Hashable>: Sendable, Hashable where Column.RawValue == String {
    public var column: Column
    public var descending: Bool

    public init(_ column: Column, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    /// From `sort` and `dir` query values; an unknown column gives the default.
    public init(sort: String?, dir: String?, default fallback: Column, defaultDescending: Bool = false) {
        if let sort, let chosen = Column(rawValue: sort) {
            self.init(chosen, descending: dir == "desc")
        } else {
            self.init(fallback, descending: dir.map { $0 == "desc" } ?? defaultDescending)
        }
    }
}
