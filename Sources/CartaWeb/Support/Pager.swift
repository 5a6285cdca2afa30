/// Which slice of a list one page shows, for lists paged by a fixed number of rows (the today screen, the
/// participant list): a page past the last shows the last, and "Participants 101–200 of 3,000" says where one is.
public struct Pager: Sendable, Equatable {
    /// The 1-based page shown (clamped to 1…pages).
    public let page: Int
    public let pages: Int
    /// The rows of the whole list this page holds.
    public let range: Range<Int>
    public let total: Int

    public init(total: Int, page: Int, size: Int) {
        self.total = total
        pages = max(1, (total + size - 1) / size)
        self.page = min(max(page, 1), pages)
        let start = (self.page - 1) * size
        range = start..<min(total, start + size)
    }

    /// "Participants 101–200 of 3,000", or nil when the whole list fits one page.
    public func rangeText(_ noun: String) -> String? {
        pages == 1 ? nil : "\(noun) \(range.lowerBound + 1)–\(range.upperBound) of \(total)"
    }

    /// The previous and next pages' addresses, nil at either end.
    public func neighbours(_ href: (Int) -> String) -> (previous: String?, next: String?) {
        (page > 1 ? href(page - 1) : nil, page < pages ? href(page + 1) : nil)
    }
}
