import CartaCore
import CartaModel
import CartaStudy

extension ConductService {
    /// What a visit's forms give, derived from the values (never typed), by "FORM/ITEM" — the item it is shown
    /// under: the CTCAE v5.0 grade of each lab value; the ASTCT 2019 CRS and ICANS grades from the raw signs
    /// (under the form's first item), or what is still missing to grade them; the Chinese bleeding score
    /// (spec §2.1) and the ITP-BAT SMOG summary (§2.2).
    ///
    /// Source: issue 8 scope 6 (lab values "with the CTCAE grade shown on entry"; "daily CRS and ICANS assessments
    /// from raw signs with the ASTCT grade computed as the form is filled"; bleeding "from symptoms").
    public func visitDerivations(_ file: ParticipantFile, visitID: String) -> [String: String] {
        guard let visit = study.schedule.visit(visitID) else { return [:] }
        let chain = ProductChainState(values: file.values, study: study)
        let grades = LabGrades(file: file, study: study, visitDates: chain.visitDates, baselineBefore: chain.lymphodepletionDates.values.min())
        var out = grades.texts(visitID: visitID)
        let labels = study.itemLabels
        func firstItem(_ form: String) -> String? { study.form(form)?.items.first.map { "\(form)/\($0.oid)" } }
        func missingText(_ missing: [String]) -> String { missing.map { labels[$0] ?? $0 }.joined(separator: ", ") }
        if visit.forms.contains(ToxicityCourse.crsForm) || visit.forms.contains(ToxicityCourse.icansForm) {
            let tox = ToxicityCourse(values: file.values, study: study, visitDates: chain.visitDates)
            if let key = firstItem(ToxicityCourse.crsForm), let g = tox.crs.first(where: { $0.visitID == visitID }) {
                out[key] = g.grade.map { "ASTCT 2019 CRS grade \($0): \(g.rule)" }
                    ?? "CRS not graded yet: \(g.missing.isEmpty ? g.rule : "missing " + missingText(g.missing))"
            }
            if let key = firstItem(ToxicityCourse.icansForm), let g = tox.icans.first(where: { $0.visitID == visitID }) {
                out[key] = g.grade.map { "ASTCT 2019 ICANS grade \($0): \(g.rule)" }
                    ?? "ICANS not graded yet: \(g.missing.isEmpty ? g.rule : "missing " + missingText(g.missing))"
            }
        }
        if visit.forms.contains(ParticipantCourseRecord.bleedingForm) || visit.forms.contains(ParticipantCourseRecord.itpBatForm) {
            let record = ParticipantCourseRecord(file: file, study: study)
            if let b = record.bleeding.first(where: { $0.source.visitID == visitID }) {
                out["\(ParticipantCourseRecord.bleedingForm)/BLEED_SKIN"] = b.score.map { "Bleeding score \($0)" + (b.severe ? " — severe" : "") }
                    ?? (b.present ? "Bleeding (no score: the date of birth is not recorded, or the assessment is incomplete)" : "No bleeding")
            }
            if let t = record.itpBat.first(where: { $0.source.visitID == visitID }) {
                out["\(ParticipantCourseRecord.itpBatForm)/BAT_ANY"] = "ITP-BAT \(t.assessment.notation) (highest grade per domain: skin, mucosae, organs)"
            }
        }
        return out
    }

    /// The derivations of a visit as its forms are being filled, before anything is saved: the entries are checked
    /// as a save checks them (with the site laboratory's range for blank limits), laid over the values saved, and
    /// derived as the saved page is (`visitDerivations`). An entry the save would refuse or hold is left out, so
    /// the preview never shows a grade from a value that cannot be stored. Nothing is written and nothing audited:
    /// it is a read.
    ///
    /// Source: issue 8 scope 6 ("the ASTCT grade computed as the form is filled").
    public func previewVisit(subjectID: SubjectID, visitID: String, forms: [String: [String: ScreeningService.RawEntry]],
                             by principal: Principal) async throws -> [String: String] {
        try principal.require(.enterData)
        guard let visit = study.schedule.visit(visitID), visit.id != study.schedule.visits.first?.id else {
            throw WorkflowError(.notFound, "The schedule has no visit \(visitID.shortenedForMessage) after screening.")
        }
        let file = try await screening.file(subjectID, by: principal)
        let event = EventOID(rawValue: visit.id)
        var values = Dictionary(file.values.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let date = screening.eventDate(event, file: file, forms: forms)
        for (formOID, entries) in forms where visit.forms.contains(formOID) {
            guard let form = study.form(formOID) else { continue }
            for item in form.items {
                guard var entry = entries[item.oid] else { continue }
                screening.fillReferenceRange(&entry, item: item, site: file.participant.siteID, on: date)
                let stored = values.first { $0.key.eventOID == event && $0.key.formOID.rawValue == formOID && $0.key.itemOID.rawValue == item.oid }
                guard case .ok(let input, _) = EntryCheck.check(item, entry, saved: stored?.value.value) else { continue }
                let address = ItemAddress(eventOID: event, formOID: FormOID(formOID), itemOID: input.itemOID, repeatKey: input.repeatKey)
                if input.value == nil {
                    values[address] = nil
                } else {
                    values[address] = ItemValue(participantID: file.participant.id, address: address, value: input.value,
                                                updatedAt: screening.clock.now, updatedBy: principal.user.username)
                }
            }
        }
        var preview = file
        preview.values = Array(values.values)
        return visitDerivations(preview, visitID: visit.id)
    }
}
