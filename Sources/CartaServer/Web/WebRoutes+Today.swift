import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The today screen and the acknowledgement of its alerts.
    func addTodayRoutes(to router: Router<AppRequestContext>) {
        router.get("/today", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let (flashes, clear) = self.takeFlash(request)
            let (show, pageNumber) = try Self.todayView(show: request.uri.queryParameters["show"].map(String.init),
                                                        page: request.uri.queryParameters["page"].map(String.init))
            let rows = try await self.runtime.today.today(by: viewer)
            let model = Self.todayPage(rows, today: self.runtime.clock.today, csrf: context.session?.csrfToken ?? "",
                                       canAcknowledge: viewer.may(.enterData), screeningVisitID: self.study.schedule.visits.first?.id,
                                       show: show, page: pageNumber, dispositionLabel: { self.study.codeLabel(ProductChain.dispositionStatus, $0) })
            return try self.html(model, self.layout(context, flashes: flashes, current: .today), extraHeaders: clear)
        })
        router.get("/participants/:subjectID/timeline", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let model = try await self.timelinePage(SubjectID(try context.parameters.require("subjectID")), viewer: viewer)
            return try self.html(model, self.layout(context, current: .participants))
        })
        router.post("/participants/:subjectID/alerts/acknowledge", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            // Back to the view and page the form was on (only a valid one: the address is built, never echoed).
            let back = (try? Self.todayView(show: form["show"], page: form["page"])).map { TodayPage.href(show: $0.show, page: $0.page) } ?? WebPaths.today
            do {
                let alert = try await self.runtime.today.acknowledge(subjectID: subjectID, key: form["key"] ?? "", note: form["note"], by: principal)
                return self.redirect(back, flash: Flash(.success, "Acknowledged for \(subjectID): \(alert.text)"))
            } catch let e as WorkflowError where e.code == .notFound || e.code == .conflict || e.code == .invalidInput {
                return self.redirect(back, flash: Flash(.error, e.message))
            }
        })
    }

    /// The dashboard's conduct summary, counted from what the today screen and the query inbox show this reader.
    func conductSummary(by viewer: Principal) async throws -> [DashboardPage.ConductItem] {
        let rows = try await runtime.today.today(by: viewer)
        var filter = QueryFilter()
        filter.statuses = [.open, .answered]
        let queries = try await runtime.queries.inbox(filter, by: viewer)
        return DashboardPage.conductItems(
            alerts: rows.reduce(0) { $0 + $1.alerts.count }, participantsWithAlerts: rows.filter { !$0.alerts.isEmpty }.count,
            dueToday: rows.reduce(0) { $0 + $1.dueToday.count }, overdue: rows.reduce(0) { $0 + $1.overdue.count },
            openQueries: queries.filter { $0.query.status == .open }.count, answeredQueries: queries.filter { $0.query.status == .answered }.count,
            acknowledges: viewer.may(.enterData))
    }

    /// The timeline page: the participant's course on one axis, from one file read.
    public func timelinePage(_ subjectID: SubjectID, viewer: Principal) async throws -> TimelinePage.Model {
        let file = try await screening.file(subjectID, by: viewer)
        let course = runtime.conduct.course(of: file)
        let chain = course.chain
        let tox = ToxicityCourse(values: file.values, study: study, visitDates: chain.visitDates)
        let counts = runtime.today.plateletCounts(file, chain: chain)
        var doses: [TimelinePage.Mark] = []
        for v in ProductChainState.lymphodepletionVisits(study) {
            if let d = chain.lymphodepletionDates[v.id] { doses.append(.init(date: d, label: v.name)) }
        }
        doses += chain.infusions.map { .init(date: $0.date, label: "CAR-T fraction \($0.fraction), bag \($0.bag)" + ($0.cellsMillions.map { ", \(TodayService.number($0)) ×10⁶ cells" } ?? ""),
                                             cells: true) }
        // Baseline: the last count before lymphodepletion (or Day 0) — the reference of "2 × baseline" (spec §1.1).
        let start = chain.lymphodepletionDates.values.min() ?? chain.dayZero
        let baseline = counts.last { c in start.map { c.date < $0 } ?? true }?.value
        let input = TimelinePage.Input(
            subjectId: subjectID.rawValue, dayZero: course.calendar?.dayZero, provisional: course.calendar?.provisional ?? true,
            visits: course.calendar?.visits ?? [], doses: doses,
            platelets: counts.map { .init(date: $0.date, value: $0.value, label: "\(TodayService.number($0.value)) ×10⁹/L at \($0.visitID)") },
            baselinePlatelets: baseline,
            crs: tox.crs.compactMap { g in g.grade.flatMap { grade in g.date.map { .init(date: $0, value: Double(grade), label: g.visitID) } } },
            icans: tox.icans.compactMap { g in g.grade.flatMap { grade in g.date.map { .init(date: $0, value: Double(grade), label: g.visitID) } } },
            today: runtime.clock.today)
        return TimelinePage.build(input)
    }

    /// Alerts as pages list them: numbered, severity as a message style, each with where its data are.
    static func alertLines(_ alerts: [TodayService.Alert], subjectID: SubjectID, screeningVisitID: String?) -> [TodayPage.Alert] {
        alerts.enumerated().map { n, a in
            TodayPage.Alert(n: n + 1, key: a.key, severity: a.severity == "high" ? "error" : "warning", text: a.text,
                            href: WebPaths.alert(subjectID.rawValue, visitID: a.visitID, field: a.field, adverseEvent: a.adverseEvent,
                                                 screeningVisitID: screeningVisitID))
        }
    }

    /// The today screen's `show` (all, attention) and `page` (a whole number from 1) parameters; absent ones take their
    /// defaults, others are refused naming the parameter.
    static func todayView(show: String?, page: String?) throws -> (show: TodayPage.Show, page: Int) {
        let view: TodayPage.Show
        if let show, !show.isEmpty {
            guard let v = TodayPage.Show(rawValue: show) else {
                throw AppError.invalid("show", "show must be all or attention (got \(show.quotedForMessage)).")
            }
            view = v
        } else { view = .all }
        return (view, try pageParameter(page))
    }

    /// The page model from the service's rows: the page of `show`'s participants numbered `page`.
    static func todayPage(_ rows: [TodayService.Row], today: ClinicalDate, csrf: String, canAcknowledge: Bool, screeningVisitID: String?,
                          show: TodayPage.Show = .all, page: Int = 1, dispositionLabel: (String) -> String = { $0 }) -> TodayPage.Model {
        func visit(_ v: CalendarVisit, _ subject: SubjectID) -> TodayPage.Visit {
            TodayPage.Visit(name: v.name, href: WebPaths.visit(subject.rawValue, v.id),
                            window: v.earliest == v.latest ? "today only" : "window \(v.earliest) to \(v.latest)")
        }
        func grade(_ g: Int?) -> String { g.map { $0 == 0 ? "none" : "grade \($0)" } ?? "not assessed" }
        let listed = TodayPage.paged(rows, show: show, page: page) { $0.needsAttention }
        return TodayPage.Model(date: today.description, csrf: csrf, rows: listed.rows.map { r in
            let s = r.participant.subjectID
            let day = r.studyDay.map { "Day \($0 < 0 ? "−\(-$0)" : "\($0)")" + (r.provisional ? " (provisional)" : "") } ?? "No calendar yet"
            let platelets = r.platelets.last.map { last in
                "\(TodayService.number(last.value)) ×10⁹/L on \(last.date)" + (r.plateletTrend.map { " (\($0))" } ?? "")
            }
            return TodayPage.Row(
                subjectId: s.rawValue, day: day,
                alerts: alertLines(r.alerts, subjectID: s, screeningVisitID: screeningVisitID),
                dueToday: r.dueToday.map { visit($0, s) }, overdue: r.overdue.map { visit($0, s) },
                nextStep: r.nextStep.isEmpty ? nil : r.nextStep, platelets: platelets, plateletValues: r.platelets.map(\.value),
                crs: grade(r.crsGrade), icans: grade(r.icansGrade), canAcknowledge: canAcknowledge,
                offStudy: r.endOfStudy.map { "\(dispositionLabel($0.status)) on \($0.date) (\($0.visitID))" })
        }, views: listed.views, rangeText: listed.rangeText, previousHref: listed.previousHref, nextHref: listed.nextHref,
           show: show.rawValue, page: listed.page)
    }
}
