import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The adverse-event log page, its add form and the SAE report button.
    func addAdverseEventPageRoutes(to router: Router<AppRequestContext>) {
        router.get("/participants/:subjectID/adverse-events", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let (flashes, clear) = self.takeFlash(request)
            // `?edit=N` opens AE-N in the form, to be changed with a reason.
            let model = try await self.adverseEventsPage(SubjectID(try context.parameters.require("subjectID")), viewer: viewer,
                                                         csrf: context.session?.csrfToken ?? "",
                                                         editing: request.uri.queryParameters["edit"].flatMap { Int(String($0)) })
            return try self.html(model, self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.post("/participants/:subjectID/adverse-events", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let input = Self.adverseEventInput(form)
            do {
                let event = try await self.runtime.adverseEvents.record(input, subjectID: subjectID, by: principal)
                return self.redirect(WebPaths.participant(subjectID.rawValue) + "/adverse-events",
                                     flash: Flash(.success, "AE-\(event.number) \(event.term) grade \(event.grade) recorded."))
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .invalidState {
                let model = try await self.adverseEventsPage(subjectID, viewer: principal, csrf: context.session?.csrfToken ?? "", submitted: input,
                                                             errors: e.fields.isEmpty ? [e.message] : e.fields.map(\.message))
                return try self.html(model, self.layout(context, flashes: [Flash(.error, "Nothing was saved; correct the fields named below.")],
                                                        current: .participants), status: e.code == .invalidInput ? .unprocessableContent : .conflict)
            }
        })
        router.post("/participants/:subjectID/adverse-events/:number", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            guard let number = Int(try context.parameters.require("number")) else { throw AppError.invalid("number", "The event number is a whole number.") }
            let input = Self.adverseEventInput(form)
            let reasonCode = form["reason"] ?? "", reasonText = form["reason_text"] ?? ""
            do {
                guard let version = Int(form["version"] ?? "") else { throw WorkflowError.invalid("version", "The form has no version; reload the page.") }
                let reason = ChangeReason.Code(rawValue: reasonCode).map { ChangeReason(code: $0, text: reasonText.isEmpty ? nil : reasonText) }
                let event = try await self.runtime.adverseEvents.update(number: number, input, expectedVersion: version, reason: reason,
                                                                        subjectID: subjectID, by: principal)
                return self.redirect(WebPaths.participant(subjectID.rawValue) + "/adverse-events",
                                     flash: Flash(.success, "AE-\(event.number) \(event.term) changed (version \(event.version))."))
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .invalidState || e.code == .conflict {
                let model = try await self.adverseEventsPage(subjectID, viewer: principal, csrf: context.session?.csrfToken ?? "", submitted: input,
                                                             errors: e.fields.isEmpty ? [e.message] : e.fields.map(\.message), editing: number,
                                                             reason: (reasonCode, reasonText))
                return try self.html(model, self.layout(context, flashes: [Flash(.error, "Nothing was saved; correct the fields named below.")],
                                                        current: .participants), status: e.code == .conflict ? .conflict : .unprocessableContent)
            }
        })
        router.post("/participants/:subjectID/adverse-events/:number/report", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            _ = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            guard let number = Int(try context.parameters.require("number")) else { throw AppError.invalid("number", "The event number is a whole number.") }
            let event = try await self.runtime.adverseEvents.report(number: number, reportedAt: nil, subjectID: subjectID, by: principal)
            return self.redirect(WebPaths.participant(subjectID.rawValue) + "/adverse-events",
                                 flash: Flash(.success, "AE-\(event.number): report to the sponsor recorded."))
        })
    }

    /// The adverse-event form's fields as posted.
    static func adverseEventInput(_ form: FormBody) -> AdverseEventService.Input {
        AdverseEventService.Input(
            term: form["term"] ?? "", specify: form["specify"], grade: Int(form["grade"] ?? "") ?? 0, onset: form["onset"] ?? "",
            resolution: form["resolution"], seriousCriteria: form.all("serious"), awareAt: form["aware_at"],
            causalityLymphodepletion: form["causality_ld"] ?? "", causalityCART: form["causality_cart"] ?? "", causalityITP: form["causality_itp"] ?? "",
            action: form["action"], outcome: form["outcome"])
    }

    /// `editing`: the number of the event the form changes (prefilled from it unless `submitted`).
    func adverseEventsPage(_ subjectID: SubjectID, viewer: Principal, csrf: String, submitted: AdverseEventService.Input? = nil,
                           errors: [String] = [], editing: Int? = nil, reason: (code: String, text: String) = ("", "")) async throws -> AdverseEventsPage.Model {
        let log = try await runtime.adverseEvents.log(subjectID, by: viewer)
        let canRecord = viewer.may(.enterData) && log.participant.status == .enrolled
        let edited = canRecord ? editing.flatMap { n in log.events.first { $0.number == n } } : nil
        if let editing, canRecord, edited == nil { throw AppError(.notFound, code: "not_found", message: "\(subjectID) has no adverse event AE-\(editing).") }
        let clocks = Dictionary(log.clocks.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let events = log.events.map { e -> AdverseEventsPage.Event in
            let clock = clocks[e.number]
            let text: String
            switch clock?.state {
            case .open?: text = "open: \(clock?.hoursLeft ?? 0) h left"
            case .overdue?: text = "overdue by \(-(clock?.hoursLeft ?? 0)) h"
            case .met?: text = "reported in time"
            case .late?: text = "reported late"
            case nil: text = e.serious ? "no awareness time" : ""
            }
            return AdverseEventsPage.Event(
                number: e.number, term: e.term + (e.specify.map { ": \($0)" } ?? ""), grade: e.grade, onset: e.onset.description,
                resolution: e.resolution?.description ?? "ongoing",
                seriousness: e.serious ? e.seriousCriteria.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ") : "no",
                serious: e.serious, causality: "\(e.causalityLymphodepletion.rawValue) / \(e.causalityCART.rawValue) / \(e.causalityITP.rawValue)",
                outcome: e.outcome?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "—", clock: text, clockState: clock?.state.rawValue ?? "none",
                canReport: canRecord && e.serious && e.reportedAt == nil,
                reportAction: WebPaths.participant(subjectID.rawValue) + "/adverse-events/\(e.number)/report",
                editHref: canRecord ? WebPaths.participant(subjectID.rawValue) + "/adverse-events?edit=\(e.number)#ae-form" : nil)
        }
        var counts: [String: Int] = [:]
        let episodes = log.episodes.map { ep -> AdverseEventsPage.Episode in
            counts[ep.syndrome, default: 0] += 1
            return AdverseEventsPage.Episode(n: counts[ep.syndrome] ?? 1, syndrome: ep.syndrome, term: ep.term, maxGrade: ep.maxGrade,
                                             onset: ep.onset.description, resolution: ep.resolution?.description ?? "ongoing", visits: ep.visits.joined(separator: ", "))
        }
        let siteTime = ISO8601DateFormatter()
        siteTime.timeZone = runtime.clock.timeZone
        siteTime.formatOptions = [.withInternetDateTime]
        let s = submitted ?? edited.map { e in
            AdverseEventService.Input(
                term: e.term, specify: e.specify, grade: e.grade, onset: e.onset.description, resolution: e.resolution?.description,
                seriousCriteria: e.seriousCriteria.map(\.rawValue), awareAt: e.awareAt.map { siteTime.string(from: $0) },
                causalityLymphodepletion: e.causalityLymphodepletion.rawValue, causalityCART: e.causalityCART.rawValue,
                causalityITP: e.causalityITP.rawValue, action: e.action.rawValue, outcome: e.outcome?.rawValue)
        }
        func options<E: RawRepresentable & CaseIterable>(_ t: E.Type, _ current: String?, blank: String? = nil) -> [SelectOption] where E.RawValue == String {
            let choices: [(String, String)] = (blank.map { [("", $0)] } ?? []) + E.allCases.map { ($0.rawValue, $0.rawValue.replacingOccurrences(of: "_", with: " ")) }
            return choices.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == (current ?? "")) }
        }
        let form = AdverseEventsPage.Form(
            term: s?.term ?? "", specify: s?.specify ?? "", onset: s?.onset ?? runtime.clock.today.description, resolution: s?.resolution ?? "",
            awareAt: s?.awareAt ?? "",
            // No grade is preselected: an event saved without a grade chosen would otherwise be grade 1 by default.
            grades: [SelectOption(value: "", label: "— choose —", selected: (s?.grade ?? 0) == 0)]
                + (1...5).map { SelectOption(value: String($0), label: "Grade \($0)", selected: $0 == s?.grade) },
            criteria: SeriousnessCriterion.allCases.map { .init(value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "_", with: " "),
                                                                checked: s?.seriousCriteria?.contains($0.rawValue) ?? false) },
            causalityLD: options(Causality.self, s?.causalityLymphodepletion, blank: "— choose —"),
            causalityCART: options(Causality.self, s?.causalityCART, blank: "— choose —"),
            causalityITP: options(Causality.self, s?.causalityITP, blank: "— choose —"),
            actions: options(AdverseEventAction.self, s?.action ?? "none"), outcomes: options(AdverseEventOutcome.self, s?.outcome, blank: "— not yet known —"))
        let editingModel = edited.map { e in
            AdverseEventsPage.Editing(number: e.number, version: e.version,
                                      reasons: [SelectOption(value: "", label: "— choose —", selected: reason.code.isEmpty)]
                                        + ChangeReason.Code.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == reason.code) },
                                      reasonText: reason.text)
        }
        return AdverseEventsPage.Model(subjectId: subjectID.rawValue, participantPath: WebPaths.participant(subjectID.rawValue), csrf: csrf,
                                       events: events, episodes: episodes, canRecord: canRecord, form: form, errors: errors,
                                       terms: canRecord ? runtime.adverseEvents.terms.terms.map(\.term) : [], editing: editingModel)
    }
}
