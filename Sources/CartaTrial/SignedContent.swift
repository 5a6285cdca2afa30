import CartaModel
import Crypto
import Foundation

/// The exact content an electronic signature is bound to, and its SHA-256.
///
/// Source: 21 CFR 11.70 (signatures linked to their records so they cannot be transferred or the
/// record changed unnoticed); issue 7 scope 4 ("bound to a SHA-256 of the exact content signed … a
/// later change marks it 'invalidated by change'"); standards.md R-ES-2.
enum SignedContent {
    /// The canonical content of an eligibility decision: subject, decision, meaning and every
    /// screening value (path, value, unit, reference limits) in path order, as sorted-key JSON.
    struct Eligibility: Encodable {
        struct Value: Encodable {
            let path: String
            let value: String?
            let unit: String?
            let lowerLimitNormal: Double?
            let upperLimitNormal: Double?
        }
        let subjectID: String
        let decision: String
        let meaning: String
        let values: [Value]
    }

    /// The SHA-256 (hex) of an eligibility decision's content on the file's current screening data.
    static func eligibilityHash(_ file: ParticipantFile, decision: EligibilityDecisionKind, meaning: String) -> String {
        let values = file.values.filter { $0.address.eventOID == .screening && $0.value != nil }
            .map { v in
                Eligibility.Value(path: v.address.path, value: v.value?.text, unit: v.value?.unit,
                                  lowerLimitNormal: v.value?.lowerLimitNormal, upperLimitNormal: v.value?.upperLimitNormal)
            }
            .sorted { $0.path < $1.path }
        let content = Eligibility(subjectID: file.participant.subjectID.rawValue, decision: decision.rawValue,
                                  meaning: meaning, values: values)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays of them cannot fail.
        let data = (try? encoder.encode(content)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension ScreeningService {
    /// Compares the latest signature's bound content with the current data (by content hash; by
    /// data version for signatures made before content hashes were kept).
    public func signatureStanding(_ file: ParticipantFile) -> SignatureStanding {
        guard let d = file.latestDecision else { return .unsigned }
        if let hash = d.contentHash {
            return SignedContent.eligibilityHash(file, decision: d.decision, meaning: d.meaning) == hash ? .valid : .invalidatedByChange
        }
        return d.participantVersion == file.participant.version ? .valid : .invalidatedByChange
    }
}
