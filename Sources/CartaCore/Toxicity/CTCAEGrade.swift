/// A CTCAE v5.0 grade (0–5) or the statement that it cannot be computed, with the reason.
///
/// Source: spec/clinical.md §4.1 (grade meanings) and §4.2 ("if LLN is missing, grade 1 is not
/// computable (leave null, do not default to grade 0)").
public enum CTCAEGrade: Hashable, Sendable, CustomStringConvertible {
    /// A computed grade, 0 (no adverse event) to 5 (death).
    case grade(Int)
    /// The grade cannot be computed from the data given; `reason` names what is missing.
    case notComputable(reason: String)

    /// The numeric grade, or nil when not computable.
    public var value: Int? {
        if case .grade(let g) = self { return g }
        return nil
    }

    /// The reason the grade is not computable, or nil when it is.
    public var notComputableReason: String? {
        if case .notComputable(let r) = self { return r }
        return nil
    }

    public var description: String {
        switch self {
        case .grade(let g): return "grade \(g)"
        case .notComputable(let r): return "not computable: \(r)"
        }
    }
}
