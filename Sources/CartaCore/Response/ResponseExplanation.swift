/// Human-readable explanations of assessment records, built only when asked (never in the engine's hot path).
///
/// Source: spec/clinical.md §1.6 (rules B, E, S, C, L).
extension AssessmentRecord {
    /// One sentence naming the rules and numbers behind this record's status.
    public func explanation(baselinePer10e9L b: Double?, settings: ResponseSettings) -> String {
        let p = Self.num(plateletsPer10e9L)
        var parts: [String] = []
        switch basis {
        case .baselineCandidate:
            parts.append(rules.contains(.baseline) ? "B: pre-lymphodepletion count \(p) used for the baseline"
                                                   : "B: pre-lymphodepletion count \(p), eligible but not the most recent")
        case .baselineAfterTransfusion:
            parts.append("B: pre-lymphodepletion count \(p) excluded, platelet transfusion on day \(causeDay ?? 0) (< \(settings.baselineTransfusionGapDays) days before)")
        case .preInfusion:
            parts.append("count \(p) between the first lymphodepletion dose and Day 0: neither baseline nor response assessment")
        case .transfusionWindow:
            parts.append("E: not evaluable, platelet transfusion on day \(causeDay ?? 0) (< \(settings.transfusionWindowDays) days before)")
        case .rescueWindow:
            parts.append("E: not evaluable, rescue/confounding therapy last dose on day \(causeDay ?? 0) (< \(settings.rescueWindowDays) days before)")
        case .bleeding:
            parts.append("S: bleeding recorded on day \(causeDay ?? day) → NR (count \(p))")
        case .missingBleeding:
            parts.append("S: count \(p) but no bleeding assessment within ±\(settings.bleedingMatchToleranceDays.counted("day")) → not evaluable")
        case .atLeast100:
            parts.append("S: \(p) ≥ 100 and no bleeding → CR")
        case .atLeast30AndDoubling:
            parts.append("S: \(p) ≥ 30 and ≥ \(Self.num(settings.baselineMultiplier))×B = \(Self.num(settings.baselineMultiplier * (b ?? 0))) and no bleeding → R")
        case .missingBaseline:
            parts.append("S: \(p) ≥ 30 but no baseline to test the doubling → not evaluable for R")
        case .below30:
            parts.append("S: \(p) < 30 → NR")
        case .belowDoubling:
            parts.append("S: \(p) < \(Self.num(settings.baselineMultiplier))×B = \(Self.num(settings.baselineMultiplier * (b ?? 0))) → NR")
        }
        if countsOnDate > 1 { parts.append("\(countsOnDate) counts on this date, the non-EDTA value used (pseudothrombocytopenia rule)") }
        if day >= 0 && meetsProtocolLiteralCR && status != .cr && isEvaluableAssessment {
            parts.append("protocol-literal CR-qualifying (≥ 100, bleeding ignored): discordant with IWG")
        }
        if rules.contains(.confirmation) { parts.append("C: member of a confirming pair (≥ \(settings.confirmationIntervalDays) days apart)") }
        if rules.contains(.loss) { parts.append("L: member of a loss pair (≥ \(settings.lossConfirmationIntervalDays) day apart)") }
        return parts.joined(separator: "; ")
    }

    /// Formats a number without a trailing ".0".
    static func num(_ x: Double) -> String {
        x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
