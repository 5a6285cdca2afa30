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

    /// The ODM archive of every participant at the principal's sites (`exportArchive`), as one string. It holds the
    /// whole document: for tests and small studies; downloads and `carta export odm` use `spooledODMArchive`.
    public func odmArchive(by principal: Principal, mode: ODMArchive.Mode = .archive, dataUseAgreement: String? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> String {
        try await spooledODMArchive(by: principal, mode: mode, dataUseAgreement: dataUseAgreement, progress: progress).text()
    }

    /// The ODM archive of every participant at the principal's sites (`exportArchive`), built one participant at a time
    /// into a spool in `directory` (`SpooledODMArchive`), so memory is bounded by one participant's records whatever the
    /// study's size. Everything is read and checked before the first byte is given out: a failure is an error, never
    /// a cut-off file. `progress` is told after each participant, for long command-line exports.
    /// `mode` other than the archive needs `exportDeidentified` (statisticians and the sponsor too); a limited
    /// data set names its data use agreement (45 CFR 164.514(e)(4)).
    public func spooledODMArchive(by principal: Principal, mode: ODMArchive.Mode = .archive, dataUseAgreement: String? = nil,
                                  spoolIn directory: URL = FileManager.default.temporaryDirectory,
                                  progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> SpooledODMArchive {
        try principal.require(mode == .archive ? .exportArchive : .exportDeidentified)
        let dua = dataUseAgreement?.trimmingCharacters(in: .whitespacesAndNewlines)
        if mode == .limited {
            guard let dua, !dua.isEmpty, dua.count <= 200, !dua.hasControlOrInvisibleCharacters() else {
                throw WorkflowError.invalid("dataUseAgreement", "A limited data set is released only under a data use agreement (45 CFR 164.514(e)): give its reference (1 to 200 characters).")
            }
        }
        let participants = try await screening.participants(by: principal)
        var archive = ODMArchive(study: study, users: try await store.users(), subjects: [], createdAt: clock.now,
                                 sourceSystemVersion: Self.sourceSystemVersion, mode: mode, dataUseAgreement: dua)
        let spool = try SpooledODMArchive.spool(in: directory)
        var buffer = Data(), written = 0
        for (n, p) in participants.enumerated() {
            try Task.checkCancellation()
            let subject = try await subject(p)
            archive.facts.add(subject)
            buffer.append(Data(archive.subjectXML(subject).utf8))
            if buffer.count >= 1 << 20 { try spool.write(contentsOf: buffer); written += buffer.count; buffer.removeAll(keepingCapacity: true) }
            progress?(n + 1, participants.count)
        }
        try spool.write(contentsOf: buffer)
        written += buffer.count
        // The file is written as of now (CreationDateTime, AsOfDateTime): after the last participant was read.
        archive.createdAt = clock.now
        archive.synthetic = try await store.isSynthetic()
        return SpooledODMArchive(opening: archive.opening(), body: spool, bodyBytes: written)
    }

    /// What the archive writes of one participant: every record of theirs (entity id = participant id), read as
    /// reviewers see it (redactions applied), their signed eligibility decisions and casebook signatures.
    public func subject(_ p: Participant) async throws -> ODMArchive.Subject {
        var history: [AuditEvent] = []
        var after = 0
        while true {
            let page = try await store.auditSearch(AuditFilter(entityID: p.id.rawValue), after: after, limit: 1_000)
            history += page.events
            guard let next = page.nextAfter else { break }
            after = next
        }
        return ODMArchive.Subject(participant: p, history: history, decisions: try await store.eligibilityDecisions(participantID: p.id),
                                  casebookSignatures: try await store.casebookSignatures(participantID: p.id))
    }
}
