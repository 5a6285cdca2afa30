/// How a term's criteria depend on the baseline value.
///
/// Source: spec/clinical.md §4.2 (ALT/AST/bilirubin switch on "baseline normal/abnormal";
/// creatinine has ×BL clauses; fibrinogen has an abnormal-baseline % fall variant).
public enum CTCAEBaselineDependency: Sendable {
    /// Criteria do not use the baseline.
    case none
    /// Two criteria sets; baseline is abnormal when it is above ULN (ALT, AST, bilirubin).
    case variantByBaselineAboveULN
    /// Two criteria sets; baseline is abnormal when it is below LLN (fibrinogen).
    case variantByBaselineBelowLLN
    /// One criteria set with some "× baseline" clauses (creatinine).
    case baselineClauses
}

// The CTCAE v5.0 laboratory lookup table (spec/clinical.md §4.2, SI units). Each set lists the
// grades highest first; a grade holds when any of its clauses holds (§4.1 "grade = highest grade
// whose condition is true; ties on a boundary fall in the milder grade").
extension CTCAELabTerm {
    /// How this term's criteria depend on the baseline value.
    public var baselineDependency: CTCAEBaselineDependency {
        switch self {
        case .alanineAminotransferaseIncreased, .aspartateAminotransferaseIncreased, .bloodBilirubinIncreased:
            return .variantByBaselineAboveULN
        case .fibrinogenDecreased: return .variantByBaselineBelowLLN
        case .creatinineIncreased: return .baselineClauses
        default: return .none
        }
    }

    /// The criteria set for this term; `baselineAbnormal` picks the variant for baseline-variant terms.
    ///
    /// Source: spec/clinical.md §4.2 table, one row per term.
    public func criteria(baselineAbnormal: Bool = false) -> CTCAECriteriaSet {
        (baselineAbnormal ? Self.abnormalBaselineSets : Self.normalBaselineSets)[self]!
    }

    /// Every term's criteria, built once: they are constants of CTCAE v5.0, and building them (with their
    /// printed cells) for every graded value was most of the lab-grading time of the today screen.
    static let normalBaselineSets = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.buildCriteria(baselineAbnormal: false)) })
    static let abnormalBaselineSets = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.buildCriteria(baselineAbnormal: true)) })

    private func buildCriteria(baselineAbnormal: Bool) -> CTCAECriteriaSet {
        typealias C = CTCAEClause
        func g(_ grade: Int, _ text: String, _ clauses: C...) -> CTCAEGradeCriterion {
            CTCAEGradeCriterion(grade: grade, anyOf: clauses, cellText: text)
        }
        func set(_ list: CTCAEGradeCriterion..., variant: String = "") -> CTCAECriteriaSet {
            CTCAECriteriaSet(variant: variant, criteria: list)
        }
        func decreasing(_ g4: Double, _ g3: Double, _ g2: Double) -> CTCAECriteriaSet {
            let u = "10*9/L"
            return set(
                g(4, "< \(C.format(g4)) \(u)", C(.lessThan, g4)),
                g(3, "< \(C.format(g3)) – \(C.format(g4)) \(u)", C(.lessThan, g3)),
                g(2, "< \(C.format(g2)) – \(C.format(g3)) \(u)", C(.lessThan, g2)),
                g(1, "< LLN – \(C.format(g2)) \(u)", C(.lessThan, 1, .lowerLimitNormal)))
        }
        switch self {
        case .plateletCountDecreased: return decreasing(25, 50, 75)
        case .neutrophilCountDecreased: return decreasing(0.5, 1.0, 1.5)
        case .lymphocyteCountDecreased: return decreasing(0.2, 0.5, 0.8)
        case .whiteBloodCellDecreased: return decreasing(1.0, 2.0, 3.0)
        case .cd4LymphocytesDecreased: return decreasing(0.05, 0.2, 0.5)
        case .anemia:
            // Grade 4 (life-threatening, urgent intervention) and grade 5 are clinical, not lab cells.
            return set(
                g(3, "Hb < 80 g/L; transfusion indicated", C(.lessThan, 80)),
                g(2, "Hb < 100 – 80 g/L", C(.lessThan, 100)),
                g(1, "Hb < LLN – 100 g/L", C(.lessThan, 1, .lowerLimitNormal)))
        case .alanineAminotransferaseIncreased, .aspartateAminotransferaseIncreased:
            if baselineAbnormal {
                return set(
                    g(4, "> 20.0 × BL", C(.greaterThan, 20, .baseline)),
                    g(3, "> 5.0 – 20.0 × BL", C(.greaterThan, 5, .baseline)),
                    g(2, "> 3.0 – 5.0 × BL", C(.greaterThan, 3, .baseline)),
                    // The cell has no ">" ("1.5 – 3.0 × BL"), so 1.5 × BL itself is grade 1.
                    g(1, "1.5 – 3.0 × BL", C(.greaterOrEqual, 1.5, .baseline)),
                    variant: "baseline abnormal (> ULN)")
            }
            return set(
                g(4, "> 20.0 × ULN", C(.greaterThan, 20, .upperLimitNormal)),
                g(3, "> 5.0 – 20.0 × ULN", C(.greaterThan, 5, .upperLimitNormal)),
                g(2, "> 3.0 – 5.0 × ULN", C(.greaterThan, 3, .upperLimitNormal)),
                g(1, "> ULN – 3.0 × ULN", C(.greaterThan, 1, .upperLimitNormal)),
                variant: "baseline normal (≤ ULN)")
        case .bloodBilirubinIncreased:
            if baselineAbnormal {
                return set(
                    g(4, "> 10.0 × BL", C(.greaterThan, 10, .baseline)),
                    g(3, "> 3.0 – 10.0 × BL", C(.greaterThan, 3, .baseline)),
                    g(2, "> 1.5 – 3.0 × BL", C(.greaterThan, 1.5, .baseline)),
                    g(1, "> 1.0 – 1.5 × BL", C(.greaterThan, 1, .baseline)),
                    variant: "baseline abnormal (> ULN)")
            }
            return set(
                g(4, "> 10.0 × ULN", C(.greaterThan, 10, .upperLimitNormal)),
                g(3, "> 3.0 – 10.0 × ULN", C(.greaterThan, 3, .upperLimitNormal)),
                g(2, "> 1.5 – 3.0 × ULN", C(.greaterThan, 1.5, .upperLimitNormal)),
                g(1, "> ULN – 1.5 × ULN", C(.greaterThan, 1, .upperLimitNormal)),
                variant: "baseline normal (≤ ULN)")
        case .creatinineIncreased:
            // The ×BL clauses apply whether or not the value is above ULN (§4.2 vector: baseline 60,
            // value 95 < ULN 97 → grade 2).
            return set(
                g(4, "> 6.0 × ULN", C(.greaterThan, 6, .upperLimitNormal)),
                g(3, "> 3.0 × BL; > 3.0 – 6.0 × ULN", C(.greaterThan, 3, .baseline), C(.greaterThan, 3, .upperLimitNormal)),
                g(2, "> 1.5 – 3.0 × BL; > 1.5 – 3.0 × ULN", C(.greaterThan, 1.5, .baseline), C(.greaterThan, 1.5, .upperLimitNormal)),
                g(1, "> ULN – 1.5 × ULN", C(.greaterThan, 1, .upperLimitNormal)))
        case .inrIncreased:
            return set(
                g(3, "> 2.5", C(.greaterThan, 2.5)),
                g(2, "> 1.5 – 2.5", C(.greaterThan, 1.5)),
                g(1, "> 1.2 – 1.5", C(.greaterThan, 1.2)))
        case .activatedPartialThromboplastinTimeProlonged:
            return set(
                g(3, "> 2.5 × ULN; bleeding", C(.greaterThan, 2.5, .upperLimitNormal)),
                g(2, "> 1.5 – 2.5 × ULN", C(.greaterThan, 1.5, .upperLimitNormal)),
                g(1, "> ULN – 1.5 × ULN", C(.greaterThan, 1, .upperLimitNormal)))
        case .fibrinogenDecreased:
            if baselineAbnormal {
                return set(
                    g(4, "≥ 75% decrease from BL; or < 0.5 g/L", C(.lessOrEqual, 0.25, .baseline), C(.lessThan, 0.5)),
                    g(3, "50 – < 75% decrease from BL", C(.lessOrEqual, 0.5, .baseline)),
                    g(2, "25 – < 50% decrease from BL", C(.lessOrEqual, 0.75, .baseline)),
                    g(1, "< 25% decrease from BL", C(.lessThan, 1, .baseline)),
                    variant: "baseline abnormal (< LLN)")
            }
            return set(
                g(4, "< 0.25 × LLN; or < 0.5 g/L", C(.lessThan, 0.25, .lowerLimitNormal), C(.lessThan, 0.5)),
                g(3, "< 0.5 – 0.25 × LLN", C(.lessThan, 0.5, .lowerLimitNormal)),
                g(2, "< 0.75 – 0.5 × LLN", C(.lessThan, 0.75, .lowerLimitNormal)),
                g(1, "< 1.0 – 0.75 × LLN", C(.lessThan, 1, .lowerLimitNormal)),
                variant: "baseline normal (≥ LLN)")
        case .lymphocyteCountIncreased:
            return set(
                g(3, "> 20 10*9/L", C(.greaterThan, 20)),
                g(2, "> 4 – 20 10*9/L", C(.greaterThan, 4)))
        }
    }
}
