import Foundation
import CartaCore
import Mustache

/// The coordinator's today screen: one card per enrolled participant — alerts to acknowledge first, then
/// what is due and overdue today, the platelet count with its trend and a small chart, the current CRS and
/// ICANS grades and the product-chain step waiting.
///
/// Stable ids: #today, #today-date, #today-<subject> (data-alerts, data-overdue, data-due), #alert-<subject>-<n>
/// (data-key) with its form #ack-<subject>-<n>, #platelets-<subject>, #today-empty.
/// Source: issue 8 scope 9.
public enum TodayPage {
    public struct Model: PageModel, Equatable {
        public static let template = "today"
        public let title = "Today"
        public let date: String
        public let csrf: String
        public let rows: [Row]
        public let hasRows: Bool
        /// The two views — every participant, or those needing attention today — each with its count.
        public let views: [View]
        /// "Participants 1–100 of 3,000", or nil when everything fits one page.
        public let rangeText: String?
        public let previousHref: String?, nextHref: String?
        /// The view and page the acknowledge forms return to.
        public let show: String, page: Int
        /// What an empty list means in this view.
        public let emptyText: String
        public init(date: String, csrf: String, rows: [Row], views: [View] = [], rangeText: String? = nil,
                    previousHref: String? = nil, nextHref: String? = nil, show: String = TodayPage.Show.all.rawValue, page: Int = 1) {
            self.date = date; self.csrf = csrf; self.rows = rows; self.hasRows = !rows.isEmpty
            self.views = views; self.rangeText = rangeText; self.previousHref = previousHref; self.nextHref = nextHref
            self.show = show; self.page = page
            emptyText = show == TodayPage.Show.attention.rawValue ? "Nobody needs attention today: no alert to acknowledge, no visit due or overdue."
                : "No enrolled participants at your sites yet."
        }
    }

    /// Which participants the page lists: with thousands enrolled, the ones with alerts, overdue or due visits
    /// are what a coordinator works through; the full list is paged.
    public enum Show: String, Sendable, CaseIterable {
        case all, attention
        public var label: String { self == .all ? "All participants" : "Needs attention" }
    }

    /// Participant cards a page holds (a card is ≈ 1 KB; 3,000 on one page made a 3.6 MB page).
    public static let pageSize = 100

    public struct View: Sendable, Equatable {
        public let id: String, label: String, href: String, count: Int, current: Bool
        public init(id: String, label: String, href: String, count: Int, current: Bool) {
            self.id = id; self.label = label; self.href = href; self.count = count; self.current = current
        }
    }

    /// The address of a view's page (page 1 has no page parameter).
    public static func href(show: Show, page: Int = 1) -> String {
        WebPaths.today + (show == .all ? (page > 1 ? "?page=\(page)" : "") : "?show=\(show.rawValue)" + (page > 1 ? "&page=\(page)" : ""))
    }

    /// The page of `rows` (already in the screen's order) for `show` and `page` (`size` rows a page), with the views'
    /// counts (in `Show.allCases` order) and the pager. `needsAttention` tells which rows the attention view keeps. A page
    /// past the last is clamped to the last. The web screen and `GET /api/v1/today` both page through it.
    public static func paged<R>(_ rows: [R], show: Show, page: Int, size: Int = pageSize, needsAttention: (R) -> Bool)
        -> (rows: ArraySlice<R>, views: [View], rangeText: String?, previousHref: String?, nextHref: String?, page: Int, pages: Int, total: Int) {
        let attention = rows.filter(needsAttention)
        let listed = show == .all ? rows : attention
        let pager = Pager(total: listed.count, page: page, size: size)
        let views = [View(id: "today-view-all", label: Show.all.label, href: href(show: .all), count: rows.count, current: show == .all),
                     View(id: "today-view-attention", label: Show.attention.label, href: href(show: .attention), count: attention.count,
                          current: show == .attention)]
        let around = pager.neighbours { href(show: show, page: $0) }
        return (listed[pager.range], views, pager.rangeText("Participants"), around.previous, around.next, pager.page, pager.pages, listed.count)
    }

    public struct Alert: Sendable, Equatable {
        public let n: Int, key: String, severity: String, text: String
        /// Where its data are (`WebPaths.alert`), or nil.
        public let href: String?
        public init(n: Int, key: String, severity: String, text: String, href: String? = nil) {
            self.n = n; self.key = key; self.severity = severity; self.text = text; self.href = href
        }
    }

    public struct Visit: Sendable, Equatable {
        public let name: String, href: String, window: String
        public init(name: String, href: String, window: String) { self.name = name; self.href = href; self.window = window }
    }

    public struct Row: Sendable, Equatable {
        public let subjectId: String, href: String, acknowledgeAction: String
        /// "Day 7", "Day −3 (provisional)" or "No calendar yet".
        public let day: String
        public let alerts: [Alert]
        public let hasAlerts: Bool
        public let alertCount: Int
        public let dueToday: [Visit], overdue: [Visit]
        public let hasDue: Bool, hasOverdue: Bool
        public let dueCount: Int, overdueCount: Int
        public let nextStep: String?
        /// "42 ×10⁹/L on 2026-12-27 (up)", or nil without counts.
        public let platelets: String?
        /// The counts as a small SVG (numbers only; written by `sparkline`).
        public let plateletChart: String?
        public let crs: String, icans: String
        public let canAcknowledge: Bool
        /// "completed on 2026-11-16 (Month 6)" once the end of study is recorded, else nil.
        public let offStudy: String?

        public init(subjectId: String, day: String, alerts: [Alert], dueToday: [Visit], overdue: [Visit], nextStep: String?,
                    platelets: String?, plateletValues: [Double], crs: String, icans: String, canAcknowledge: Bool, offStudy: String? = nil) {
            self.subjectId = subjectId; self.href = WebPaths.participant(subjectId)
            self.acknowledgeAction = WebPaths.participant(subjectId) + "/alerts/acknowledge"
            self.day = day; self.alerts = alerts; self.hasAlerts = !alerts.isEmpty; self.alertCount = alerts.count
            self.dueToday = dueToday; self.overdue = overdue; self.hasDue = !dueToday.isEmpty; self.hasOverdue = !overdue.isEmpty
            self.dueCount = dueToday.count; self.overdueCount = overdue.count
            self.nextStep = nextStep; self.platelets = platelets
            self.plateletChart = plateletValues.count >= 2 ? TodayPage.sparkline(plateletValues) : nil
            self.crs = crs; self.icans = icans; self.canAcknowledge = canAcknowledge; self.offStudy = offStudy
        }
    }

    /// A 160×40 SVG line of the counts with the response thresholds 30 and 100 ×10⁹/L as dashed lines
    /// (spec §1.1); only numbers go into it.
    public static func sparkline(_ values: [Double]) -> String {
        let w = 160.0, h = 40.0
        let top = max(110, values.max() ?? 0) * 1.05
        func y(_ v: Double) -> String { String(format: "%.1f", h - v / top * h) }
        let step = values.count > 1 ? w / Double(values.count - 1) : 0
        let points = values.enumerated().map { String(format: "%.1f", Double($0.offset) * step) + "," + y($0.element) }.joined(separator: " ")
        var out = "<svg class=\"sparkline\" viewBox=\"0 0 160 40\" width=\"160\" height=\"40\" role=\"img\" aria-label=\"Platelet counts\">"
        for threshold in [30.0, 100.0] {
            out += "<line class=\"sparkline__threshold\" x1=\"0\" x2=\"160\" y1=\"\(y(threshold))\" y2=\"\(y(threshold))\"/>"
        }
        out += "<polyline class=\"sparkline__line\" points=\"\(points)\"/></svg>"
        return out
    }
}

extension TodayPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "date": self.date
        case "csrf": self.csrf
        case "rows": self.rows
        case "hasRows": self.hasRows
        case "views": self.views
        case "rangeText": self.rangeText
        case "previousHref": self.previousHref
        case "nextHref": self.nextHref
        case "show": self.show
        case "page": self.page
        case "emptyText": self.emptyText
        default: nil
        }
    }
}

extension TodayPage.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "subjectId": self.subjectId
        case "href": self.href
        case "acknowledgeAction": self.acknowledgeAction
        case "day": self.day
        case "alerts": self.alerts
        case "hasAlerts": self.hasAlerts
        case "alertCount": self.alertCount
        case "dueToday": self.dueToday
        case "overdue": self.overdue
        case "hasDue": self.hasDue
        case "hasOverdue": self.hasOverdue
        case "dueCount": self.dueCount
        case "overdueCount": self.overdueCount
        case "nextStep": self.nextStep
        case "offStudy": self.offStudy
        case "platelets": self.platelets
        case "plateletChart": self.plateletChart
        case "crs": self.crs
        case "icans": self.icans
        case "canAcknowledge": self.canAcknowledge
        default: nil
        }
    }
}

extension TodayPage.Alert: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "n": self.n
        case "key": self.key
        case "severity": self.severity
        case "text": self.text
        case "href": self.href
        default: nil
        }
    }
}

extension TodayPage.Visit: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "window": self.window
        default: nil
        }
    }
}

extension TodayPage.View: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "label": self.label
        case "href": self.href
        case "count": self.count
        case "current": self.current
        default: nil
        }
    }
}
