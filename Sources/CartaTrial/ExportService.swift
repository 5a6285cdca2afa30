import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Electronic copies of the study's records: the CDISC ODM 1.3.2 archive (transactional, with every audit
/// record and signature), pseudonymised and limited to the exporter's sites.
///
/// Source: standards.md R-CP-1 (accurate and complete copies in electronic form), R-AT-6 (the audit trail
/// exportable with the data), R-PR-1 (exports carry subject IDs only), R-CP-2 (the site keeps access to its
/// data: investigators export their own sites); 21 CFR 11.10(b).
public struct ExportService: Sendable {
    public let store: CartaStore
    public let study: Study
    public let clock: SiteClock
    let screening: ScreeningService

    /// Written as the archive's SourceSystemVersion.
    public static let sourceSystemVersion = "1.0.0-dev"

    public init(store: CartaStore, study: Study, clock: SiteClock, screening: ScreeningService) {
        self.store = store
        self.study = study
        self.clock = clock
        self.screening = screening
    }

    /// The ODM archive of every participant at the principal's sites (`exportArchive`). `progress` is told
    /// after each participant, for long command-line exports.
    /// `mode` other than the archive needs `exportDeidentified` (statisticians and the sponsor too); a limited
    /// data set names its data use agreement (45 CFR 164.514(e)(4)).
    public func odmArchive(by principal: Principal, mode: ODMArchive.Mode = .archive, dataUseAgreement: String? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> String {
        try principal.require(mode == .archive ? .exportArchive : .exportDeidentified)
        let dua = dataUseAgreement?.trimmingCharacters(in: .whitespacesAndNewlines)
        if mode == .limited {
            guard let dua, !dua.isEmpty, dua.count <= 200, !dua.hasControlOrInvisibleCharacters() else {
                throw WorkflowError.invalid("dataUseAgreement", "A limited data set is released only under a data use agreement (45 CFR 164.514(e)): give its reference (1 to 200 characters).")
            }
        }
        let participants = try await screening.participants(by: principal)
        var subjects: [ODMArchive.Subject] = []
        for (n, p) in participants.enumerated() {
            var history: [AuditEvent] = []
            var after = 0
            // Every record of the participant (entity id = participant id), read as reviewers see it (redactions applied).
            while true {
                let page = try await store.auditSearch(AuditFilter(entityID: p.id.rawValue), after: after, limit: 1_000)
                history += page.events
                guard let next = page.nextAfter else { break }
                after = next
            }
            subjects.append(ODMArchive.Subject(participant: p, history: history,
                                               decisions: try await store.eligibilityDecisions(participantID: p.id),
                                               casebookSignatures: try await store.casebookSignatures(participantID: p.id)))
            progress?(n + 1, participants.count)
        }
        var archive = ODMArchive(study: study, users: try await store.users(), subjects: subjects, createdAt: clock.now,
                                 sourceSystemVersion: Self.sourceSystemVersion, mode: mode, dataUseAgreement: dua)
        archive.synthetic = try await store.isSynthetic()
        return archive.xml()
    }
}
