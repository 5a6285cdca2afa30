import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Source data verification: a monitor marks a form's values (or some of them) verified against the
/// source; a later change to a value leaves its mark behind; progress per form, participant and site,
/// with the study file's critical items (`critical: true`) needing 100 %.
///
/// Source: issue 7 scope 6; ICH E6(R3) 3.11.4.1 (risk-based SDV of critical data).
public struct SourceVerificationService: Sendable {
    let store: CartaStore
    let study: Study
    let screening: ScreeningService

    public init(store: CartaStore, study: Study, screening: ScreeningService) {
        self.store = store
        self.study = study
        self.screening = screening
    }

    /// A participant's verification state: every mark, and progress by form and overall.
    public struct ParticipantProgress: Sendable {
        public let subjectID: SubjectID
        public let siteID: SiteID
        public let marks: [SourceVerification]
        public let byForm: [(formOID: String, progress: SourceVerificationProgress)]
        public let overall: SourceVerificationProgress
    }

    /// Marks the recorded values of `formOID` verified (all of them, or `itemOIDs`) — at screening, or at the visit
    /// `visitID` (e.g. `D7`), which must collect the form.
    /// `expectedVersion`: the participant's version the monitor's page showed; a change since refuses the whole mark.
    public func verify(subjectID: SubjectID, formOID: String, visitID: String? = nil, itemOIDs: [String]? = nil, expectedVersion: Int? = nil,
                       by principal: Principal) async throws -> [SourceVerification] {
        try principal.require(.verifySource)
        let (event, forms) = try QueryService.event(visitID, study: study)
        guard let form = forms.first(where: { $0.oid == formOID }) else {
            throw WorkflowError.invalid("formOID", visitID.map { "Visit \($0) does not collect form \(formOID); name one of its forms." }
                                        ?? "The study has no form \(formOID); name the form to verify.")
        }
        if let unknown = itemOIDs?.first(where: { oid in !form.items.contains { $0.oid == oid } }) {
            throw WorkflowError.invalid("items", "Form \(formOID) has no item \(unknown).")
        }
        let p = try await screening.participant(subjectID, by: principal)
        return try await screening.mapped {
            try await store.verifySource(participantID: p.id, eventOID: event, formOID: FormOID(formOID),
                                         itemOIDs: itemOIDs.map { Set($0.map { ItemOID($0) }) }, expectedVersion: expectedVersion, byUser: principal.user.id,
                                         byName: principal.user.displayName, actor: principal.actor)
        }
    }

    /// One participant's progress.
    public func progress(subjectID: SubjectID, by principal: Principal) async throws -> ParticipantProgress {
        let file = try await screening.file(subjectID, by: principal)
        let marks = try await store.sourceVerifications(participantIDs: [file.participant.id])
        return progress(file, marks: marks)
    }

    /// Every participant's progress at the principal's sites, and each site's total: files read a page of participants
    /// at a time (three statements a page), so a study of thousands is never in memory at once.
    public func progress(by principal: Principal, pageSize: Int = 500) async throws -> (participants: [ParticipantProgress], sites: [(siteID: SiteID, progress: SourceVerificationProgress)]) {
        try principal.require(.readStudyData)
        let studyID = StudyID(screening.study.id), reached = principal.user.sites.listed
        var rows: [ParticipantProgress] = [], after = 0
        while true {
            let page = try await store.participantFilePage(studyID: studyID, sites: reached, afterSequence: after, limit: pageSize, stamped: true).files
            guard let last = page.last else { break }
            let byParticipant = Dictionary(grouping: try await store.sourceVerifications(participantIDs: page.map(\.participant.id)), by: \.participantID)
            rows += page.map { progress($0, marks: byParticipant[$0.participant.id] ?? []) }
            after = last.participant.sequenceNumber
        }
        var sites: [SiteID: SourceVerificationProgress] = [:]
        for r in rows { sites[r.siteID] = (sites[r.siteID] ?? SourceVerificationProgress()) + r.overall }
        return (rows, sites.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Whether the study file marks `itemOID` critical.
    public func isCritical(_ itemOID: ItemOID) -> Bool { study.item(itemOID.rawValue)?.critical ?? false }

    func progress(_ file: ParticipantFile, marks: [SourceVerification]) -> ParticipantProgress {
        let byForm = study.forms.map { form in
            (form.oid, SourceVerificationProgress.of(file.values.filter { $0.address.formOID.rawValue == form.oid }, marks: marks,
                                                     critical: isCritical))
        }
        let overall = byForm.map(\.1).reduce(SourceVerificationProgress(), +)
        return ParticipantProgress(subjectID: file.participant.subjectID, siteID: file.participant.siteID, marks: marks,
                                   byForm: byForm, overall: overall)
    }
}
