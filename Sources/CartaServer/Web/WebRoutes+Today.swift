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
            let rows = try await self.runtime.today.today(by: viewer)
            let model = Self.todayPage(rows, today: self.runtime.clock.today, csrf: context.session?.csrfToken ?? "",
                                       canAcknowledge: viewer.may(.enterData))
            return try self.html(model, self.layout(context, flashes: flashes, current: .today), extraHeaders: clear)
        })
        router.post("/participants/:subjectID/alerts/acknowledge", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            do {
                let alert = try await self.runtime.today.acknowledge(subjectID: subjectID, key: form["key"] ?? "", note: form["note"], by: principal)
                return self.redirect(WebPaths.today, flash: Flash(.success, "Acknowledged for \(subjectID): \(alert.text)"))
            } catch let e as WorkflowError where e.code == .notFound || e.code == .conflict || e.code == .invalidInput {
                return self.redirect(WebPaths.today, flash: Flash(.error, e.message))
            }
        })
    }

    /// The page model from the service's rows.
    static func todayPage(_ rows: [TodayService.Row], today: ClinicalDate, csrf: String, canAcknowledge: Bool) -> TodayPage.Model {
        func visit(_ v: CalendarVisit, _ subject: SubjectID) -> TodayPage.Visit {
            TodayPage.Visit(name: v.name, href: WebPaths.visit(subject.rawValue, v.id),
                            window: v.earliest == v.latest ? "today only" : "window \(v.earliest) to \(v.latest)")
        }
        func grade(_ g: Int?) -> String { g.map { $0 == 0 ? "none" : "grade \($0)" } ?? "not assessed" }
        return TodayPage.Model(date: today.description, csrf: csrf, rows: rows.map { r in
            let s = r.participant.subjectID
            let day = r.studyDay.map { "Day \($0 < 0 ? "−\(-$0)" : "\($0)")" + (r.provisional ? " (provisional)" : "") } ?? "No calendar yet"
            let platelets = r.platelets.last.map { last in
                "\(TodayService.number(last.value)) ×10⁹/L on \(last.date)" + (r.plateletTrend.map { " (\($0))" } ?? "")
            }
            return TodayPage.Row(
                subjectId: s.rawValue, day: day,
                alerts: r.alerts.enumerated().map { TodayPage.Alert(n: $0.offset + 1, key: $0.element.key,
                                                                    severity: $0.element.severity == "high" ? "error" : "warning", text: $0.element.text) },
                dueToday: r.dueToday.map { visit($0, s) }, overdue: r.overdue.map { visit($0, s) },
                nextStep: r.nextStep.isEmpty ? nil : r.nextStep, platelets: platelets, plateletValues: r.platelets.map(\.value),
                crs: grade(r.crsGrade), icans: grade(r.icansGrade), canAcknowledge: canAcknowledge)
        })
    }
}
