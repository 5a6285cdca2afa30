import Foundation
import CartaCore

/// Identifying details of a participant, stored apart from the pseudonymous record.
///
/// Source: issue 2 scope 6 ("name, date of birth, hospital number … a separate table that only roles with
/// that right can read and that no export includes").
public struct ParticipantIdentity: Sendable, Equatable, Codable {
    /// Full name as in the hospital record.
    public var fullName: String?
    /// Date of birth.
    public var dateOfBirth: ClinicalDate?
    /// Hospital (medical record) number.
    public var hospitalNumber: String?

    /// Creates identifying details.
    ///
    /// Source: issue 2 scope 6.
    public init(fullName: String?, dateOfBirth: ClinicalDate?, hospitalNumber: String?) {
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.hospitalNumber = hospitalNumber
    }
}
