import CartaCore

/// Treatment-emergent laboratory worsening (registry outcome AE): a CTCAE v5.0 lab grade after the first
/// lymphodepletion above the participant's baseline grade.
///
/// Source: spec/clinical.md §4.2 (baseline = last value before lymphodepletion [D]; worsening = grade above the
/// baseline grade [D]); issue 9 scope 1 ("treatment-emergent lab worsening").
extension StudyOutcomes {
    public struct LabWorsening: Sendable, Hashable, Codable {
        public var term: String
        public var baselineGrade: Int
        public var worstGrade: Int
        public init(term: String, baselineGrade: Int, worstGrade: Int) {
            self.term = term; self.baselineGrade = baselineGrade; self.worstGrade = worstGrade
        }
    }

    /// Participants with a worsening of one term, and those of them worsened to grade 3 or more.
    public struct LabWorseningSummary: Sendable, Hashable, Codable {
        public var term: String
        public var participants: Int
        public var toGrade3OrMore: Int
        public init(term: String, participants: Int, toGrade3OrMore: Int) {
            self.term = term; self.participants = participants; self.toGrade3OrMore = toGrade3OrMore
        }
    }
}
