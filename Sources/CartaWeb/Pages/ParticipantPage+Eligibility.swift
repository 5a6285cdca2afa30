extension ParticipantPage {
    /// One row of the eligibility checklist.
    ///
    /// "Met" means the participant satisfies the criterion's requirement; for an exclusion criterion
    /// that is "the exclusion does not apply". Result shown by icon and word, never colour alone.
    /// Source: issue 2 §6; DESIGN.md §4 (`.met / .notMet(reason) / .notEvaluable(missing:)`).
    public struct Criterion: Sendable, Equatable {
        /// The outcome of evaluating one criterion, with the text that explains it.
        public enum Outcome: Sendable, Equatable {
            /// Requirement satisfied; the text says by which value, e.g. "Hb 112 g/L ≥ 100 g/L".
            case met(String)
            /// Requirement not satisfied; the text gives value and threshold.
            case notMet(String)
            /// Cannot be decided yet; the text says what is missing.
            case notEvaluable(missing: String)
        }

        /// Criterion id from the study file, e.g. "E7"; used in the row id `criterion-<id>`.
        public let id: String
        /// "Inclusion" or "Exclusion".
        public let kind: String
        /// The criterion text.
        public let text: String
        /// `met`, `not_met` or `not_evaluable` (the row's `data-result`).
        public let result: String
        /// "Met", "Not met" or "Not evaluable".
        public let word: String
        /// Decorative icon matching the word.
        public let icon: String
        /// Value and threshold that decided it, or what is missing.
        public let reason: String
        /// The screening fields the criterion reads, each linking to its control (issue 8 scope 11).
        public let fields: [FieldLink]
        public let hasFields: Bool

        /// Creates a checklist row.
        public init(id: String, inclusion: Bool, text: String, outcome: Outcome, fields: [FieldLink] = []) {
            self.id = id
            self.fields = fields; self.hasFields = !fields.isEmpty
            kind = inclusion ? "Inclusion" : "Exclusion"
            self.text = text
            switch outcome {
            case .met(let r): (result, word, icon, reason) = ("met", "Met", "✓", r)
            case .notMet(let r): (result, word, icon, reason) = ("not_met", "Not met", "✕", r)
            case .notEvaluable(let m): (result, word, icon, reason) = ("not_evaluable", "Not evaluable", "?", "Missing: " + m)
            }
        }
    }

    /// A link from a criterion to a field it reads: the item's label and `#item-<OID>`.
    public struct FieldLink: Sendable, Equatable {
        public let label: String, href: String
        public init(label: String, href: String) { self.label = label; self.href = href }
    }

    /// The overall eligibility verdict.
    ///
    /// Source: issue 2 §6 (never enrol while any criterion is not met or not evaluable).
    public struct Verdict: Sendable, Equatable {
        /// `eligible`, `not_eligible` or `incomplete` (the `data-verdict` of `#eligibility-verdict`).
        public let code: String
        /// "Eligible", "Not eligible" or "Incomplete".
        public let label: String
        /// Decorative icon.
        public let icon: String
        /// One sentence, e.g. "1 criterion not met: E7." .
        public let explanation: String

        /// Every criterion met.
        public static func eligible(_ explanation: String) -> Verdict {
            Verdict(code: "eligible", label: "Eligible", icon: "✓", explanation: explanation)
        }

        /// At least one criterion not met.
        public static func notEligible(_ explanation: String) -> Verdict {
            Verdict(code: "not_eligible", label: "Not eligible", icon: "✕", explanation: explanation)
        }

        /// None not met, but at least one not evaluable.
        public static func incomplete(_ explanation: String) -> Verdict {
            Verdict(code: "incomplete", label: "Incomplete", icon: "?", explanation: explanation)
        }
    }

    /// A recorded eligibility signature.
    ///
    /// Source: issue 2 §6 (name, time and meaning recorded); 21 CFR 11.50 (signature manifestation).
    public struct Signature: Sendable, Equatable {
        /// Signer's name.
        public let signedBy: String
        /// Time with offset.
        public let signedAt: String
        /// The decision signed, e.g. "Eligible".
        public let decision: String
        /// The meaning of the signature.
        public let meaning: String
        /// The SHA-256 of the content signed (21 CFR 11.70), when recorded.
        public let contentHash: String?
        /// True when the data changed after signing (the signature no longer covers it).
        public let invalidated: Bool

        /// Creates a signature block.
        public init(signedBy: String, signedAt: String, decision: String, meaning: String, contentHash: String? = nil,
                    invalidated: Bool = false) {
            self.signedBy = signedBy
            self.signedAt = signedAt
            self.decision = decision
            self.meaning = meaning
            self.contentHash = contentHash
            self.invalidated = invalidated
        }
    }
}
