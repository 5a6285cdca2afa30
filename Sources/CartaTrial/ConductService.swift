import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Trial conduct after enrolment, shared by the web pages, the JSON API and the CLI: the visit forms
/// with the order of events enforced, the calendar from Day 0, and the deviations it shows.
///
/// Source: issue 8 scope 2–5 and 8; standards.md R-OS-1 (21 CFR 11.10(f): permitted sequences — no
/// apheresis before enrolment, no lymphodepletion before release, no infusion before lymphodepletion is
/// complete and within the study's interval; each refusal names the missing step); spec/clinical.md §6.5, §7.
public struct ConductService: Sendable {
    public let screening: ScreeningService
    var study: Study { screening.study }

    public init(screening: ScreeningService) { self.screening = screening }

    /// A participant's course: the chain as recorded, the calendar (provisional until Day 0) and the deviations.
    public struct Course: Sendable {
        public var participant: Participant
        public var chain: ProductChainState
        /// Nil while neither a first infusion nor a planned infusion date is recorded.
        public var calendar: VisitCalendar?
        public var deviations: [ProtocolDeviation]
    }

    // MARK: reading

    /// The participant's course as it stands on the site's today.
    public func course(_ subjectID: SubjectID, by principal: Principal) async throws -> Course {
        course(of: try await screening.file(subjectID, by: principal))
    }

    /// The course shown by one participant file on the site's today.
    public func course(of file: ParticipantFile) -> Course {
        let chain = ProductChainState(values: file.values, study: study)
        guard file.participant.status == .enrolled, let anchor = chain.dayZero ?? chain.plannedInfusionDate else {
            return Course(participant: file.participant, chain: chain, calendar: nil, deviations: [])
        }
        let calendar = VisitCalendar(schedule: study.schedule, dayZero: anchor, provisional: chain.dayZero == nil,
                                     today: screening.clock.today, doneOn: chain.visitDates, endOfStudy: chain.endOfStudy?.date)
        let dosing = Set(study.schedule.visits.filter {
            $0.forms.contains(ProductChain.lymphodepletionForm)
        }.map(\.id))
        let deviations = ProtocolDeviation.detect(calendar, dosingVisits: dosing,
                                                  lastLymphodepletion: chain.lymphodepletionDates.values.max(),
                                                  interval: study.schedule.infusionAfterLymphodepletion)
        return Course(participant: file.participant, chain: chain, calendar: calendar, deviations: deviations)
    }

    // MARK: data entry

    /// Checks and saves the entries of forms recorded at visit `visitID` in one transaction (reason for
    /// change, device time and edit checks as at screening), after the order of events admits them.
    /// Returns soft-range warnings, plus any order warning under `order`.
    public func saveVisitForms(subjectID: SubjectID, visitID: String, forms: [String: [String: ScreeningService.RawEntry]],
                               expectedVersion: Int, reason: ChangeReason? = nil, enteredAt: String? = nil,
                               by principal: Principal) async throws -> ScreeningService.SaveResult {
        guard let visit = study.schedule.visit(visitID), visit.id != study.schedule.visits.first?.id else {
            throw WorkflowError(.notFound, "The schedule has no visit \(visitID.shortenedForMessage) after screening; visits are \(study.schedule.visits.dropFirst().map(\.id).joined(separator: ", ")).")
        }
        for formOID in forms.keys.sorted() where !visit.forms.contains(formOID) {
            throw WorkflowError.invalid("form", "\(formOID) is not recorded at \(visit.name) (\(visit.id)); its forms are \(visit.forms.joined(separator: ", ")).")
        }
        // An override of the hold rule counts only with the investigator's signature on the hold form (read before the save).
        var holdSignatures: [CasebookSignature] = []
        if visit.forms.contains(ProductChain.holdForm), forms[ProductChain.infusionForm] != nil {
            let file = try await screening.file(subjectID, by: principal)
            holdSignatures = try await screening.mapped { try await screening.store.casebookSignatures(participantID: file.participant.id) }
                .filter { $0.formOID?.rawValue == ProductChain.holdForm }
        }
        return try await screening.saveEventForms(
            subjectID: subjectID, eventOID: EventOID(rawValue: visit.id), forms: forms, expectedVersion: expectedVersion,
            reason: reason, enteredAt: enteredAt, by: principal) { file, writes in
            try admit(visit: visit, file: file, writes: writes, by: principal, holdSignatures: holdSignatures)
        }
    }

    /// The order of events (R-OS-1) for writes at `visit`: refuses with `outOfOrder` naming the missing
    /// step, or returns warnings (an infusion later than the study's interval).
    func admit(visit: VisitDefinition, file: ParticipantFile, writes: [(formOID: FormOID, values: [ItemValueInput])],
               by principal: Principal, holdSignatures: [CasebookSignature] = []) throws -> [String] {
        let p = file.participant
        guard p.status == .enrolled else {
            throw WorkflowError(.outOfOrder, "\(p.subjectID) is \(p.status.rawValue.replacingOccurrences(of: "_", with: " ")); \(visit.name) is recorded only after enrolment (sign eligibility and enrol first).")
        }
        guard !writes.isEmpty else { return [] }
        let event = EventOID(rawValue: visit.id)
        // The chain as it will be after this save.
        var merged = Dictionary(file.values.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for (formOID, inputs) in writes {
            for input in inputs {
                let address = ItemAddress(eventOID: event, formOID: formOID, itemOID: input.itemOID, repeatKey: input.repeatKey)
                merged[address] = ItemValue(participantID: p.id, address: address, value: input.value, updatedAt: screening.clock.now, updatedBy: "")
            }
        }
        let before = ProductChainState(values: file.values, study: study)
        let after = ProductChainState(values: Array(merged.values), study: study)
        let written = Set(writes.map(\.formOID.rawValue))
        var warnings: [String] = []
        func refuse(_ message: String) -> WorkflowError { WorkflowError(.outOfOrder, "\(visit.name): \(message) Nothing was saved.") }

        // No data after the end of study (R-OS-1): a visit dated after it is refused, and an end of study dated
        // before data already recorded is refused too (either the date or that data is wrong).
        if let eos = before.endOfStudy, visit.id != eos.visitID, let date = after.visitDates[visit.id], date > eos.date {
            throw refuse("\(p.subjectID) ended the study on \(eos.date) (\(eos.status), recorded at \(eos.visitID)); no data dated after the end of study (\(date)) is accepted. If the end-of-study record is wrong, correct it first.")
        }
        if written.contains(ProductChain.dispositionForm), let eos = after.endOfStudy {
            if let later = after.visitDates.filter({ $0.key != eos.visitID && $0.value > eos.date }).min(by: { $0.value < $1.value }) {
                throw refuse("the end of study on \(eos.date) is before \(later.key), recorded on \(later.value); the end of study is the last contact, so check its date.")
            }
            let reason = writes.first { $0.formOID.rawValue == ProductChain.dispositionForm }?.values.first { $0.itemOID.rawValue == ProductChain.dispositionReason }?.value?.text
                ?? file.values.first { $0.address.eventOID == event && $0.address.itemOID.rawValue == ProductChain.dispositionReason }?.value?.text
            if eos.status != "completed", (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw WorkflowError.invalid(ProductChain.dispositionReason, "\(visit.name): an end of study other than \"completed\" (\(eos.status)) needs its reason in words. Nothing was saved.")
            }
        }
        if written.contains(ProductChain.apheresisForm), let aph = after.apheresisDate, let enrolled = p.enrolledAt {
            let enrolmentDay = SiteClock.localDate(of: enrolled, in: screening.clock.timeZone)
            if aph < enrolmentDay { throw refuse("apheresis on \(aph) is before enrolment on \(enrolmentDay).") }
        }
        if written.contains(ProductChain.productForm) {
            guard let aph = before.apheresisDate ?? after.apheresisDate else {
                throw refuse("no apheresis is recorded, so there is no product to release; record leukapheresis (\(ProductChain.apheresisForm)) first.")
            }
            if let release = after.releaseDate, release < aph {
                throw refuse("release date \(release) is before the apheresis on \(aph).")
            }
        }
        if written.contains(ProductChain.lymphodepletionForm) {
            guard after.released == true, let release = after.releaseDate else {
                throw refuse("the product is not released (\(ProductChain.productForm): released for infusion = Y with its release date), so lymphodepletion cannot start.")
            }
            let ldVisits = ProductChainState.lymphodepletionVisits(study)
            if let i = ldVisits.firstIndex(where: { $0.id == visit.id }) {
                if i > 0, let previous = ldVisits[..<i].first(where: { after.lymphodepletionDates[$0.id] == nil }) {
                    throw refuse("\(previous.name) (\(previous.id)) is not recorded yet; record the lymphodepletion days in order.")
                }
                if let date = after.lymphodepletionDates[visit.id] {
                    if date < release { throw refuse("administration on \(date) is before the product's release on \(release).") }
                    if i > 0, let prev = after.lymphodepletionDates[ldVisits[i - 1].id], date <= prev {
                        throw refuse("administration on \(date) is not after \(ldVisits[i - 1].name) on \(prev).")
                    }
                }
            }
            // The dose calculation, its verification and the weight it used (spec §6.2, §6.5), read with this save's values.
            var afterFile = file
            afterFile.values = Array(merged.values)
            if let problem = LymphodepletionDosing.admitAdministration(after: afterFile.values, file: afterFile, study: study,
                                                                      visitDates: LymphodepletionDosing.dates(course(of: afterFile)), writtenAt: visit.id) {
                throw refuse(problem)
            }
        }
        // A hold or an override names its reason (spec §6.4: "the reason is recorded").
        if written.contains(ProductChain.holdForm) {
            func text(_ item: String) -> String {
                merged[ItemAddress(eventOID: event, formOID: FormOID(ProductChain.holdForm), itemOID: ItemOID(item))]?.value?.text
                    .trimmingCharacters(in: .whitespaces) ?? ""
            }
            if !text(ProductChain.holdAction).isEmpty, text(ProductChain.holdReason).isEmpty {
                throw WorkflowError(.invalidInput, "\(visit.name): a hold or an override of the hold rule needs its reason. Nothing was saved.",
                                    fields: [.init(field: "item.\(ProductChain.holdReason)", message: "Give the reason for the hold or the override.")])
            }
        }
        if written.contains(ProductChain.infusionForm) {
            let ldVisits = ProductChainState.lymphodepletionVisits(study)
            if let missing = ldVisits.first(where: { after.lymphodepletionDates[$0.id] == nil }) {
                throw refuse("lymphodepletion is not complete: \(missing.name) (\(missing.id)) is not recorded, so no CAR-T cells can be infused.")
            }
            guard let infusion = after.infusions.first(where: { $0.visitID == visit.id }) else { return warnings }
            if after.infusions.filter({ $0.fraction == infusion.fraction }).count > 1 {
                throw refuse("fraction \(infusion.fraction) is already recorded at \(after.infusions.first { $0.fraction == infusion.fraction && $0.visitID != visit.id }?.visitID ?? "another visit").")
            }
            if infusion.fraction > 1, !after.infusions.contains(where: { $0.fraction == infusion.fraction - 1 }) {
                throw refuse("fraction \(infusion.fraction - 1) is not recorded; fractions are given in order.")
            }
            guard after.bags.contains(infusion.bag) else {
                let known = after.bags.isEmpty ? "none are recorded" : after.bags.joined(separator: ", ")
                throw WorkflowError(.outOfOrder, "Bag \(infusion.bag) is not one of \(p.subjectID)'s bags (\(known)): a bag is infused only into the participant whose product it is. Check the label and scan again. Nothing was saved.",
                                    fields: [.init(field: "item.\(ProductChain.infusedBag)", message: "Bag \(infusion.bag) is not one of \(p.subjectID)'s bags (\(known)).")])
            }
            if let other = after.infusions.first(where: { $0.bag == infusion.bag && $0.fraction != infusion.fraction }) {
                throw refuse("bag \(infusion.bag) was already infused as fraction \(other.fraction) on \(other.date).")
            }
            if infusion.fraction > 1 {
                warnings += try holdRule(before: infusion, file: file, merged: Array(merged.values), chain: after, visit: visit, by: principal,
                                         signatures: holdSignatures)
            }
            if let lastLD = after.lymphodepletionDates.values.max() {
                let interval = study.schedule.infusionAfterLymphodepletion
                if infusion.fraction == 1 {
                    let gap = lastLD.days(to: infusion.date)
                    if gap < interval.minDays {
                        throw refuse("the first infusion on \(infusion.date) is \(gap) day\(gap == 1 ? "" : "s") after the last lymphodepletion dose (\(lastLD)); the study needs at least \(interval.minDays).")
                    }
                    if gap > interval.maxDays {
                        warnings.append("The first infusion is \(gap) days after the last lymphodepletion dose (\(lastLD)); the study allows up to \(interval.maxDays). A protocol deviation is raised.")
                    }
                } else if let day0 = after.dayZero, infusion.date < day0 {
                    throw refuse("fraction \(infusion.fraction) on \(infusion.date) is before the first fraction on \(day0).")
                }
            }
        }
        // A visit's data are dated by the visit (its date form, or the dose's date).
        // Computed records (the dose calculation, made before the day it is for) are dated by their audit records.
        let onlyComputed = written.allSatisfy { study.form($0)?.entry == .computed }
        if visit.kind == .visit, after.visitDates[visit.id] == nil, !onlyComputed {
            let dated = visit.forms.compactMap { study.form($0) }.first { $0.items.contains { $0.type == .date } }
            let dateItem = dated?.items.first { $0.type == .date }
            throw refuse("the visit has no date yet; enter " + (dated.flatMap { form in dateItem.map { "\($0.label) (form \(form.name), \(form.oid).\($0.oid))" } } ?? "its date")
                         + " first or with these data.")
        }
        // Visits after Day 0 are counted from the first infusion (Day 0 itself may hold pre-infusion data).
        if visit.day > 0, visit.kind == .visit {
            guard let day0 = after.dayZero else {
                throw refuse("Day 0 is not fixed: record the first CAR-T infusion (\(ProductChain.infusionForm), fraction 1) before data of this visit.")
            }
            if let date = after.visitDates[visit.id], date < day0 {
                throw refuse("visit date \(date) is before Day 0 (\(day0)).")
            }
        }
        return warnings
    }

    /// The CRS/ICANS rule before a later fraction (spec §6.4): the latest graded assessments on or before
    /// the infusion date decide. Hold or stop refuses the fraction; "investigator decides" (CRS grade 1)
    /// needs the investigator's recorded reason (`INF_DECISION`), entered by an investigator.
    func holdRule(before infusion: ProductChainState.Infusion, file: ParticipantFile, merged: [ItemValue], chain: ProductChainState,
                  visit: VisitDefinition, by principal: Principal, signatures: [CasebookSignature] = []) throws -> [String] {
        let tox = ToxicityCourse(values: merged, study: study, visitDates: chain.visitDates)
        let crs = ToxicityCourse.latest(tox.crs, onOrBefore: infusion.date), icans = ToxicityCourse.latest(tox.icans, onOrBefore: infusion.date)
        let decision = study.settings.carT.holdRule.evaluate(crsGrade: crs?.grade, icansGrade: icans?.grade)
        let fraction = "fraction \(infusion.fraction)"
        switch decision {
        case .give: return []
        case .notEvaluable:
            let missing = [crs == nil ? "CRS (\(ToxicityCourse.crsForm))" : nil, icans == nil ? "ICANS (\(ToxicityCourse.icansForm))" : nil].compactMap { $0 }
            throw WorkflowError(.outOfOrder, "\(visit.name): the hold rule needs graded \(missing.joined(separator: " and ")) assessments on or before \(infusion.date) before \(fraction) is given; record them first. Nothing was saved.")
        case .hold(let reason):
            // An override: the investigator's "override" with its reason on this visit's hold form, signed after its last change.
            func held(_ item: String) -> String {
                merged.first { $0.address.eventOID.rawValue == visit.id && $0.address.formOID.rawValue == ProductChain.holdForm
                    && $0.address.itemOID.rawValue == item }?.value?.text.trimmingCharacters(in: .whitespaces) ?? ""
            }
            let holdForm = study.form(ProductChain.holdForm)?.name ?? ProductChain.holdForm
            guard visit.forms.contains(ProductChain.holdForm), held(ProductChain.holdAction) == "override", !held(ProductChain.holdReason).isEmpty else {
                throw WorkflowError(.outOfOrder, "\(visit.name): \(fraction) is held — \(reason) (hold rule, spec §6.4). Nothing was saved. Record the hold and its reason in “\(holdForm)”; to give the fraction anyway, the investigator records “override” with the clinical reason there and signs that form.")
            }
            var signedFile = file
            signedFile.values = merged
            let content = CasebookService.contentHash(signedFile, formOID: ProductChain.holdForm)
            guard let signature = signatures.last(where: { $0.contentHash == content }) else {
                throw WorkflowError(.outOfOrder, "\(visit.name): \(fraction) is held — \(reason). The investigator's override is recorded but not signed as it stands now; the investigator signs “\(holdForm)” (casebook → sign a form, password re-entered) before the fraction is given. Nothing was saved.")
            }
            return ["\(fraction) given despite the hold rule (\(reason)) on \(signature.signerName)'s signed override (\(signature.signedAt.formatted(.iso8601))): \(held(ProductChain.holdReason))."]
        case .stop(let reason):
            throw WorkflowError(.outOfOrder, "\(visit.name): \(fraction) is stopped — \(reason) (hold rule, spec §6.4). Nothing was saved; the remaining fractions are not given.")
        case .investigatorDecides(let reason):
            let decided = merged.first { $0.address.eventOID.rawValue == visit.id && $0.address.itemOID.rawValue == ProductChain.infusionDecision }?
                .value?.text ?? ""
            guard !decided.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw WorkflowError(.outOfOrder, "\(visit.name): \(reason); the investigator records why \(fraction) is given (\(ProductChain.infusionDecision)). Nothing was saved.",
                                    fields: [.init(field: "item.\(ProductChain.infusionDecision)", message: "The investigator's reason for giving \(fraction) at CRS grade \(crs?.grade ?? 0) is required.")])
            }
            guard principal.may(.attestEligibility) else {
                throw WorkflowError(.forbidden, "\(visit.name): \(reason); only an investigator or sub-investigator records the decision to give \(fraction). Nothing was saved.")
            }
            return ["\(fraction) given on the investigator's decision: \(reason)."]
        }
    }
}
