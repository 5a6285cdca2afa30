import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The participant page and its forms: screening data, eligibility signature, enrol, screen failure.
    /// Thin handlers: read the form, call the screening service, render the page built by `ParticipantPage.build`.
    func addParticipantPageRoutes(to router: Router<AppRequestContext>) {
        router.get("/participants/:subjectID", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let (flashes, clear) = self.takeFlash(request)
            let model = try await self.participantPage(subjectID, viewer: viewer, csrf: context.session?.csrfToken ?? "")
            return try self.html(model, self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.post("/participants/:subjectID/screening", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let reasons = self.typedReasons(from: form)
            let entries = self.entries(from: form, reasons: reasons)
            do {
                let result = try await self.screening.saveForms(
                    subjectID: subjectID, forms: entries,
                    expectedVersion: Int(form["version"] ?? "") ?? -1, by: principal)
                // Each warning names its field and value in words ("Hemoglobin 55 g/L is outside the expected range …").
                let warned = result.warnings.keys.sorted().flatMap { result.warnings[$0] ?? [] }
                let flash = warned.isEmpty ? Flash(.success, "Screening data saved.")
                    : Flash(.warning, "Saved. " + warned.map { $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " "))
                return self.redirect(WebPaths.participant(subjectID.rawValue) + "#screening", flash: flash)
            } catch let e as WorkflowError where e.code == .invalidInput {
                let model = try await self.participantPage(
                    subjectID, viewer: principal, submitted: entries,
                    errors: Dictionary(e.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, b in a + " " + b }),
                    reasons: reasons, csrf: context.session?.csrfToken ?? "")
                let missingReasons = e.fields.filter { $0.field.hasPrefix("reason.") }.count
                let message = missingReasons == e.fields.count
                    ? "Nothing was saved: \(missingReasons.counted("changed value")) \(missingReasons == 1 ? "needs" : "need") a reason for change, given beside each value."
                    : "Nothing was saved: \(e.fields.count.counted("value")) \(e.fields.count == 1 ? "needs" : "need") correcting."
                return try self.html(model, self.layout(context, flashes: [Flash(.error, message)], current: .participants), status: .unprocessableContent)
            } catch let e as WorkflowError where e.code == .conflict {
                // Never re-offer the stale entries under the new version (issue 7: lost update): the
                // inputs show what is saved now, and each differing entry is named beside its field.
                let model = try await self.participantPage(subjectID, viewer: principal, submitted: entries,
                                                           conflict: true, screeningError: e.message,
                                                           csrf: context.session?.csrfToken ?? "")
                return try self.html(model, self.layout(context, flashes: [Flash(.error, "Nothing was saved: someone else saved this participant first. The form now shows the values saved; where yours differed, it says what you had entered.")], current: .participants), status: .conflict)
            }
        })
        router.get("/participants/:subjectID/visits/:visitID", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let (flashes, clear) = self.takeFlash(request)
            let model = try await self.visitPage(SubjectID(try context.parameters.require("subjectID")), visitID: try context.parameters.require("visitID"),
                                                 viewer: viewer, csrf: context.session?.csrfToken ?? "")
            return try self.html(model, self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.post("/participants/:subjectID/visits/:visitID", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let visitID = try context.parameters.require("visitID")
            let reasons = self.typedReasons(from: form)
            let entries = self.entries(from: form, reasons: reasons)
            func again(_ status: HTTPResponse.Status, _ flash: Flash, errors: [String: String] = [:], message: String? = nil) async throws -> Response {
                let model = try await self.visitPage(subjectID, visitID: visitID, viewer: principal, submitted: entries, errors: errors,
                                                     reasons: reasons, error: message, csrf: context.session?.csrfToken ?? "")
                return try self.html(model, self.layout(context, flashes: [flash], current: .participants), status: status)
            }
            do {
                let result = try await self.runtime.conduct.saveVisitForms(
                    subjectID: subjectID, visitID: visitID, forms: entries, expectedVersion: Int(form["version"] ?? "") ?? -1, by: principal)
                let order = result.warnings["order"] ?? []
                let warned = result.warnings.keys.filter { $0 != "order" }.sorted().flatMap { result.warnings[$0] ?? [] }
                var text = "Saved."
                if !warned.isEmpty { text += " " + warned.map { $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " ") }
                if !order.isEmpty { text += " " + order.joined(separator: " ") }
                let flash = Flash(warned.isEmpty && order.isEmpty ? .success : .warning, text)
                return self.redirect(WebPaths.participant(subjectID.rawValue) + "#visit-" + visitID, flash: flash)
            } catch let e as WorkflowError where e.code == .invalidInput {
                return try await again(.unprocessableContent, Flash(.error, "Nothing was saved: \(e.fields.count.counted("value")) \(e.fields.count == 1 ? "needs" : "need") correcting."),
                                       errors: Dictionary(e.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, b in a + " " + b }))
            } catch let e as WorkflowError where e.code == .conflict {
                // Someone saved this participant first: never re-offer the stale entries under the new version (a save with
                // any reason would overwrite their values unseen). The form shows what is saved now; the typed entries are
                // named in the message so they can be entered again.
                let model = try await self.visitPage(subjectID, visitID: visitID, viewer: principal, error: e.message,
                                                     csrf: context.session?.csrfToken ?? "")
                let typed = entries.values.flatMap { $0 }.filter { !$0.value.value.isEmpty }.sorted { $0.key < $1.key }
                    .map { "\(self.study.item($0.key)?.label ?? $0.key) \($0.value.value)\($0.value.unit.map { " " + EligibilityFormat.displayUnit($0) } ?? "")" }
                let flash = Flash(.error, "Nothing was saved: someone else saved this participant first. The form now shows the values saved"
                                  + (typed.isEmpty ? "." : "; you had entered \(typed.joined(separator: ", ")) — enter what still applies again."))
                return try self.html(model, self.layout(context, flashes: [flash], current: .participants), status: .conflict)
            } catch let e as WorkflowError where e.code == .outOfOrder || e.code == .invalidState {
                return try await again(.conflict, Flash(.error, "Nothing was saved."),
                                       errors: Dictionary(e.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, b in a + " " + b }),
                                       message: e.message)
            }
        })
        // The visit's derivations as typed, nothing saved (issue 8 scope 6: grades "computed as the form is filled");
        // carta.js posts the form here (with its CSRF token) as fields change and shows the texts beside the items.
        router.post("/participants/:subjectID/visits/:visitID/preview", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let derived = try await self.runtime.conduct.previewVisit(
                subjectID: SubjectID(try context.parameters.require("subjectID")), visitID: try context.parameters.require("visitID"),
                forms: self.entries(from: form), by: principal)
            return try JSONResponse.make(["derived": derived])
        })
        router.post("/participants/:subjectID/dose-calculation", use: page { request, context in
            let principal = try context.principal(.enterData, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let back = WebPaths.visit(subjectID.rawValue, self.runtime.dosing.visit?.id ?? "")
            let version = Int(form["version"] ?? "") ?? -1
            do {
                switch form["action"] {
                case "calculate":
                    _ = try await self.runtime.dosing.calculate(subjectID: subjectID, expectedVersion: version, by: principal)
                    return self.redirect(back, flash: Flash(.success, "Doses calculated. A second person verifies the calculation before lymphodepletion is recorded."))
                case "verify":
                    _ = try await self.runtime.dosing.verify(subjectID: subjectID, expectedVersion: version, by: principal)
                    return self.redirect(back, flash: Flash(.success, "Dose calculation verified by \(principal.user.displayName)."))
                default:
                    throw AppError.invalid("action", "Choose calculate or verify.")
                }
            } catch let e as WorkflowError where e.code != .notFound {
                return self.redirect(back, flash: Flash(.error, "Nothing was saved: \(e.message)"))
            }
        })
        router.post("/participants/:subjectID/eligibility/sign", use: page { request, context in
            let principal = try context.principal(.signEligibility, .web)
            let user = principal.user
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            guard let decision = EligibilityDecisionKind(rawValue: form["decision"] ?? "") else {
                throw AppError.invalid("decision", "Choose the decision to sign: eligible or not eligible.")
            }
            let verified: Bool
            do {
                verified = try await self.auth.verifySigner(user, password: form["password"] ?? "", code: form["code"], source: .web)
            } catch let e as WorkflowError where e.code == .invalidState {   // signing blocked after wrong passwords
                return self.redirect(WebPaths.participant(subjectID.rawValue), flash: Flash(.error, e.message))
            }
            guard verified else {
                return self.redirect(WebPaths.participant(subjectID.rawValue), flash: Flash(.error, AccountService.signerRefusal(user, nothingDone: "the eligibility decision was not signed")))
            }
            _ = try await self.screening.sign(
                subjectID: subjectID, decision: decision, meaning: form["meaning"], expectedVersion: Int(form["version"] ?? "") ?? -1,
                acknowledgesBinding: form["acknowledge_binding"] == "yes", by: principal)
            return self.redirect(WebPaths.participant(subjectID.rawValue) + "#eligibility", flash: Flash(.success, "Eligibility decision signed by \(user.displayName)."))
        })
        router.post("/participants/:subjectID/enrol", use: page { request, context in
            let principal = try context.principal(.enrol, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let p = try await self.screening.enrol(subjectID: subjectID, expectedVersion: Int(form["version"] ?? "") ?? -1,
                                                   by: principal)
            return self.redirect(WebPaths.participant(subjectID.rawValue) + "#course", flash: Flash(.success, "\(p.subjectID) is enrolled."))
        })
        router.post("/participants/:subjectID/screen-fail", use: page { request, context in
            let principal = try context.principal(.enrol, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let reasons = (form["reasons"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
            let p = try await self.screening.screenFail(subjectID: subjectID, reasons: reasons,
                                                        expectedVersion: Int(form["version"] ?? "") ?? -1,
                                                        by: principal)
            return self.redirect(WebPaths.participant(subjectID.rawValue), flash: Flash(.success, "Screen failure recorded for \(p.subjectID)."))
        })
    }

    /// Loads what the participant page needs (one file: at most three statements) and builds it.
    func participantPage(_ subjectID: SubjectID, viewer: Principal,
                         submitted: [String: [String: ParticipantPage.SubmittedEntry]]? = nil,
                         errors: [String: String] = [:], reasons: [String: ParticipantPage.TypedReason] = [:],
                         conflict: Bool = false, screeningError: String? = nil, csrf: String) async throws -> ParticipantPage.Model {
        let file = try await screening.file(subjectID, by: viewer, identity: true, history: true)
        let evaluation = screening.evaluate(file)
        var pageInput = ParticipantPage.Input(
            file: file, study: study, checklist: screening.checklist(evaluation),
            state: screening.state(file, evaluation: evaluation), role: viewer.user.role, viewerName: viewer.user.displayName,
            siteName: siteName(file.participant.siteID), submitted: submitted, errors: errors, reasons: reasons, conflict: conflict,
            screeningError: screeningError, signatureStanding: screening.signatureStanding(file),
            viewerNeedsSigningAcknowledgement: viewer.user.signatureAttestedAt == nil,
            viewerHasSecondFactor: viewer.user.secondFactorEnrolledAt != nil)
        // Read with the file (no extra statement). A form lock leaves the rest editable (the store refuses
        // a save of that form); casebook and database locks freeze the page.
        pageInput.lock = file.lock
        let monitoring = try await monitoringSection(file, viewer: viewer, csrf: csrf)
        pageInput.queryBadges = monitoring.activeQueriesByItem
        var model = ParticipantPage.build(pageInput)
        model.monitoringHTML = monitoring.html
        if file.participant.status == .enrolled { model.courseHTML = try await courseSection(file).html }
        return model
    }

    /// The record sections of an enrolled participant's page from the same file, plus three statements: the adverse
    /// events (safety and outcomes), and the acknowledgements and unreported serious events behind the open alerts.
    func courseSection(_ file: ParticipantFile) async throws -> CourseSection {
        let course = runtime.conduct.course(of: file)
        let c = course.chain
        let subject = file.participant.subjectID
        var product: [CourseSection.ChainLine] = []
        product.append(.init(label: "Apheresis", value: c.apheresisDate?.description ?? "not recorded"))
        let release = c.released.map { $0 ? "released" + (c.releaseDate.map { " on \($0)" } ?? "") : "not released" } ?? "not recorded"
        product.append(.init(label: "Product", value: (c.lot.map { "lot \($0), " } ?? "") + release + (c.bags.isEmpty ? "" : "; bags \(c.bags.joined(separator: ", "))")))
        let ldVisits = ProductChainState.lymphodepletionVisits(study)
        let ld = ldVisits.map { v in c.lymphodepletionDates[v.id].map { "\(v.id) \($0)" } ?? "\(v.id) —" }
        let dosing: [CourseSection.ChainLine] = [
            .init(label: "Lymphodepletion", value: ld.joined(separator: ", ")),
            .init(label: "Infusions", value: c.infusions.isEmpty ? "none yet"
                : c.infusions.map { "fraction \($0.fraction) on \($0.date) (bag \($0.bag))" }.joined(separator: "; ")),
        ]
        let dosingVisitIDs = ldVisits.map(\.id) + study.schedule.visits.filter { $0.forms.contains(ProductChain.infusionForm) }.map(\.id)
        let steps = study.schedule.visits.filter { $0.kind == .procedure }
        let isProduct = { (v: VisitDefinition) in v.forms.contains(ProductChain.apheresisForm) || v.forms.contains(ProductChain.productForm) }
        let procedures = steps.filter(isProduct).map { CourseSection.ChainLine(label: $0.name, value: $0.id) }
        let otherSteps = steps.filter { !isProduct($0) }.map { CourseSection.ChainLine(label: $0.name, value: $0.id) }
        let events = try await runtime.outcomes.adverseEvents.events(of: file)
        let alerts = Self.alertLines(try await runtime.today.alerts(of: file), subjectID: subject, screeningVisitID: study.schedule.visits.first?.id)
        let o = runtime.outcomes.participant(file, events: events)
        let tox = ToxicityCourse(values: file.values, study: study, visitDates: c.visitDates)
        func grade(_ g: Int?) -> String { g.map { $0 == 0 ? "none" : "grade \($0)" } ?? "not assessed" }
        let openClocks = events.compactMap { AdverseEventService.clock($0, now: runtime.clock.now) }.filter { $0.state == .open || $0.state == .overdue }.count
        let safety: [CourseSection.ChainLine] = [
            .init(label: "CRS now", value: grade(tox.crs.last { $0.grade != nil }?.grade) + (o.maxCRSGrade.map { " (worst \(grade($0)))" } ?? "")),
            .init(label: "ICANS now", value: grade(tox.icans.last { $0.grade != nil }?.grade) + (o.maxICANSGrade.map { " (worst \(grade($0)))" } ?? "")),
            .init(label: "Adverse events", value: "\(events.count) recorded, \(events.filter(\.serious).count) serious"
                  + (openClocks > 0 ? "; \(openClocks.counted("SAE report")) not yet made" : "")),
        ]
        var outcomes: [CourseSection.ChainLine] = []
        if o.dayZero != nil {
            outcomes.append(.init(label: "Baseline platelets", value: o.baseline.map { "\(TodayService.number($0)) ×10⁹/L" } ?? "none (no count before lymphodepletion)"))
            outcomes.append(.init(label: "Best response so far", value: o.bestOverallResponse ?? "not evaluable yet"))
            outcomes.append(.init(label: "Time to response", value: o.timeToResponseDays.map { "day \($0)" } ?? "no response yet"))
            // Before the Month 6 assessment day the engine's "NE" would read as a verdict: say it is not reached yet.
            let month6 = o.dayZero.map { $0.adding(days: study.settings.response.durableResponseDay) }
            let reached = month6.map { $0 <= runtime.clock.today } ?? false
            outcomes.append(.init(label: "Month 6", value: reached ? (o.statusAtMonth6 ?? "not evaluable") : "not reached" + (month6.map { " (Day \(study.settings.response.durableResponseDay), \($0))" } ?? "")))
            var bleeding: String = o.maxBleedingScore.map(String.init) ?? "none recorded"
            if let worst = o.worstITPBAT { bleeding += "; ITP-BAT \(worst)" }
            if o.severeBleeding { bleeding += " — severe bleeding" }
            outcomes.append(.init(label: "Worst bleeding score", value: bleeding))
            outcomes.append(.init(label: "Transfusions / rescue", value: "\(o.plateletTransfusions.counted("platelet transfusion")), \(o.rescueTherapies) rescue therap\(o.rescueTherapies == 1 ? "y" : "ies")"))
        }
        return CourseSection(subjectId: subject.rawValue, calendar: course.calendar, chain: product, procedures: procedures,
                             deviations: course.deviations, today: runtime.clock.today, dosing: dosing, dosingVisitIDs: dosingVisitIDs,
                             safety: safety, alerts: alerts, outcomes: outcomes, otherSteps: otherSteps)
    }

    /// Loads and builds a visit's data-entry page (one file read).
    func visitPage(_ subjectID: SubjectID, visitID: String, viewer: Principal,
                   submitted: [String: [String: ParticipantPage.SubmittedEntry]]? = nil, errors: [String: String] = [:],
                   reasons: [String: ParticipantPage.TypedReason] = [:], error: String? = nil, csrf: String) async throws -> VisitPage.Model {
        guard let visit = study.schedule.visit(visitID), visit.id != study.schedule.visits.first?.id else {
            throw WorkflowError(.notFound, "The schedule has no visit \(visitID.shortenedForMessage) after screening.")
        }
        let file = try await screening.file(subjectID, by: viewer, history: true)
        let course = runtime.conduct.course(of: file)
        let calendarVisit = course.calendar?.visits.first { $0.id == visit.id }
        var panel: VisitPage.DosePanel?
        if visit.forms.contains(LymphodepletionDosing.form) {
            let calc = LymphodepletionDosing.calculation(in: file.values, visitID: visit.id)
            let mayEnter = Permission.enterData.allows(viewer.user.role) && file.participant.status == .enrolled && file.lock == nil
            var rows: [(String, String)] = []
            if let c = calc {
                rows.append(("Body surface area", c.bsaM2.map { "\(LymphodepletionDosing.text($0)) m²" } ?? "—"))
                rows.append(("Creatinine clearance", c.crClMlMin.map { "\(LymphodepletionDosing.text($0)) mL/min (Cockcroft–Gault)" } ?? "—"))
                for (drug, dose) in c.dosesMg.sorted(by: { $0.key < $1.key }) {
                    rows.append((drug.prefix(1).uppercased() + drug.dropFirst() + " daily dose", dose.map { $0 > 0 ? "\(LymphodepletionDosing.text($0)) mg" : "not to be given" } ?? "—"))
                }
                rows.append(("Rules applied", c.rules))
                rows.append(("Values used", c.sources))
            }
            panel = .init(rows: rows, calculatedBy: calc?.calculatedBy, verifiedBy: calc?.verifiedBy, canCalculate: mayEnter,
                          canVerify: mayEnter && calc != nil && calc?.verifiedBy == nil && calc?.calculatedBy != viewer.user.username,
                          action: "/participants/\(file.participant.subjectID)/dose-calculation")
        }
        // Beside the forms, what is derived from them (lab grades, CRS/ICANS grades, bleeding score, SMOG), never typed;
        // carta.js refreshes it from the preview route as the forms are filled.
        let derived = runtime.conduct.visitDerivations(file, visitID: visit.id)
        var input = VisitPage.Input(file: file, study: study, visit: visit, calendarVisit: calendarVisit, role: viewer.user.role, csrf: csrf,
                                    submitted: submitted, errors: errors, reasons: reasons, error: error, grades: derived,
                                    dosePanel: panel,
                                    alerts: Self.alertLines(try await runtime.today.alerts(of: file), subjectID: subjectID,
                                                            screeningVisitID: study.schedule.visits.first?.id))
        let queries = try await store.queries(participantID: file.participant.id)
        input.queryBadges = ParticipantPage.QueryBadge.byItem(queries.filter { $0.status != .closed && $0.address.eventOID.rawValue == visit.id }
            .map { ($0.id, $0.address.itemOID.rawValue) }, page: WebPaths.participant(file.participant.subjectID.rawValue))
        return VisitPage.build(input)
    }

    /// The posted `reason.OID` codes and `reasonText.OID` words, by item OID.
    func typedReasons(from form: FormBody) -> [String: ParticipantPage.TypedReason] {
        let codes = form.withPrefix("reason."), texts = form.withPrefix("reasonText.")
        var out: [String: ParticipantPage.TypedReason] = [:]
        for oid in Set(codes.keys).union(texts.keys) {
            let code = codes[oid] ?? "", text = texts[oid] ?? ""
            if !code.isEmpty || !text.trimmingCharacters(in: .whitespaces).isEmpty { out[oid] = .init(code: code, text: text) }
        }
        return out
    }

    /// Groups posted `item.OID`, `unit.OID`, `lln.OID`, `uln.OID` and `confirm.OID` (a held value confirmed
    /// as typed) fields by the study form that owns each item, each with its own reason for change when one was chosen.
    func entries(from form: FormBody, reasons: [String: ParticipantPage.TypedReason] = [:]) -> [String: [String: ParticipantPage.SubmittedEntry]] {
        let values = form.withPrefix("item."), units = form.withPrefix("unit.")
        let lln = form.withPrefix("lln."), uln = form.withPrefix("uln."), confirmed = form.withPrefix("confirm.")
        var out: [String: [String: ParticipantPage.SubmittedEntry]] = [:]
        for (oid, raw) in values {
            let owner = study.forms.first { f in f.items.contains { $0.oid == oid } }?.oid ?? study.forms.first?.oid ?? ""
            // Yes/no radios post Y/N, which the item check itself accepts for boolean items.
            let reason = reasons[oid].flatMap { r in ChangeReason.Code(rawValue: r.code).map { ChangeReason(code: $0, text: r.text) } }
            out[owner, default: [:]][oid] = .init(value: raw, unit: units[oid], lowerLimitNormal: lln[oid], upperLimitNormal: uln[oid],
                                                  reason: reason, confirmed: confirmed[oid] == "1" ? true : nil)
        }
        // The laboratory chosen for a form (`laboratory.<FormOID>`, offered when the site keeps several) applies to its values.
        for (formOID, lab) in form.withPrefix("laboratory.") where !lab.isEmpty && out[formOID] != nil {
            for oid in out[formOID]!.keys { out[formOID]![oid]!.laboratory = lab }
        }
        return out
    }
}
