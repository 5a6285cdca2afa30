import Foundation

/// A read-only, consistent picture of a study's pseudonymous data at one moment: what reports and
/// exports take, so they are pure functions of a value and never query the database themselves.
///
/// No identifying details: exports and reports are pseudonymous (ICH E6(R3) 2.12 confidentiality;
/// CDISC SDTM carries USUBJID, never names).
/// Source: DESIGN.md §1 ("Reports and exports are pure functions of a read-only snapshot"); issue 6 scope 2.
public struct StudySnapshot: Sendable, Equatable {
    /// The study.
    public let studyID: StudyID
    /// When the snapshot was read (UTC).
    public let takenAt: Date
    /// Every participant's file (values and latest decision; no identity, no audit history), by sequence number.
    public let participants: [ParticipantFile]

    /// Creates a snapshot.
    public init(studyID: StudyID, takenAt: Date, participants: [ParticipantFile]) {
        self.studyID = studyID
        self.takenAt = takenAt
        self.participants = participants
    }

    /// The participant with this subject ID.
    public func participant(_ subjectID: SubjectID) -> ParticipantFile? {
        participants.first { $0.participant.subjectID == subjectID }
    }
}
