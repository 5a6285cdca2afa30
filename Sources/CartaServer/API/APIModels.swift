import CartaModel
import CartaCore
import CartaStore
import CartaTrial
import Foundation

/// A participant as the API shows it: pseudonymous, never with identifying details.
struct ParticipantDTO: Encodable {
    let subjectID: String
    let studyID: String
    let siteID: String
    let status: String
    let version: Int
    let registeredAt: Date
    let updatedAt: Date
    let enrolledAt: Date?
    let screenFailureReasons: [String]

    init(_ p: Participant) {
        subjectID = p.subjectID.rawValue; studyID = p.studyID.rawValue; siteID = p.siteID.rawValue; status = p.status.rawValue
        version = p.version; registeredAt = p.createdAt; updatedAt = p.updatedAt; enrolledAt = p.enrolledAt
        screenFailureReasons = p.screenFailureReasons
    }
}

/// Identifying details, returned only to roles with `readIdentity`.
struct IdentityDTO: Encodable {
    let fullName: String?
    let dateOfBirth: ClinicalDate?
    let hospitalNumber: String?
    init(_ i: ParticipantIdentity) { fullName = i.fullName; dateOfBirth = i.dateOfBirth; hospitalNumber = i.hospitalNumber }
}

/// One stored value with its as-entered and standardised forms and the lab's reference range.
struct ItemValueDTO: Encodable {
    let event: String
    let form: String
    let item: String
    let value: String?
    let unit: String?
    let standardValue: Double?
    let standardUnit: String?
    let lowerLimitNormal: Double?
    let upperLimitNormal: Double?
    let updatedAt: Date
    let updatedBy: String
    init(_ v: ItemValue) {
        event = v.address.eventOID.rawValue; form = v.address.formOID.rawValue; item = v.address.itemOID.rawValue
        value = v.value?.text; unit = v.value?.unit; standardValue = v.value?.standardValue; standardUnit = v.value?.standardUnit
        lowerLimitNormal = v.value?.lowerLimitNormal; upperLimitNormal = v.value?.upperLimitNormal
        updatedAt = v.updatedAt; updatedBy = v.updatedBy
    }
}

struct ParticipantDetailDTO: Encodable {
    let participant: ParticipantDTO
    let identity: IdentityDTO?
    let items: [ItemValueDTO]
}

/// A signed eligibility decision (21 CFR 11.50: signer's printed name, time, meaning).
struct DecisionDTO: Encodable {
    let decision: String
    let signerName: String
    let signedAt: Date
    let meaning: String
    let participantVersion: Int
    let contentSha256: String?
    init(_ d: EligibilityDecision) {
        decision = d.decision.rawValue; signerName = d.signerName; signedAt = d.signedAt; meaning = d.meaning
        participantVersion = d.participantVersion; contentSha256 = d.contentHash
    }
    // `contentSha256` is always present (null for signatures made before content hashes were kept).
    func encode(to encoder: any Encoder) throws {
        enum Key: String, CodingKey { case decision, signerName, signedAt, meaning, participantVersion, contentSha256 }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(decision, forKey: .decision); try c.encode(signerName, forKey: .signerName)
        try c.encode(signedAt, forKey: .signedAt); try c.encode(meaning, forKey: .meaning)
        try c.encode(participantVersion, forKey: .participantVersion); try c.encode(contentSha256, forKey: .contentSha256)
    }
}

extension EligibilityEvaluation.Overall {
    /// `eligible`, `not_eligible` or `incomplete`.
    var word: String {
        switch self {
        case .eligible: return "eligible"
        case .notEligible: return "not_eligible"
        case .incomplete: return "incomplete"
        }
    }
}
