import Foundation

/// One completed questionnaire as captured: raw integer item codes by item number, with the version and
/// language of the form the participant filled in. No item wording: that is licensed (spec §3).
public struct QuestionnaireResponses: Sendable, Hashable {
    /// The form version as printed on the licensed form.
    public var version: String
    /// BCP 47 language tag of the form (`zh-CN`, `en-US`).
    public var language: String
    /// The participant's sex (`M`/`F`), which decides whether sex-specific scales apply.
    public var sex: String?
    /// Item number (1-based) → raw response code; unanswered items are absent.
    public var items: [Int: Int]

    public init(version: String, language: String, sex: String?, items: [Int: Int]) {
        self.version = version; self.language = language; self.sex = sex; self.items = items
    }
}

/// One scale's score, or why there is none.
public struct ScaleScore: Sendable, Hashable, Codable {
    public var scale: String
    /// 0–100, higher = better; nil when the scale could not be scored or does not apply.
    public var score: Double?
    public var answered: Int
    public var items: Int
    /// `scored`, `tooFewItems` or `notApplicable` (e.g. a women's-health scale for a man: not missing).
    public var status: String
    /// The minimal important difference of the scale, when the licensed manual gives one.
    public var minimalImportantDifference: Double?

    public init(scale: String, score: Double?, answered: Int, items: Int, status: String, minimalImportantDifference: Double?) {
        self.scale = scale; self.score = score; self.answered = answered; self.items = items; self.status = status
        self.minimalImportantDifference = minimalImportantDifference
    }
}

/// A licensed questionnaire scoring algorithm, installed by the organisation that holds the licence.
/// Carta ships none: the ITP-PAQ item wording and scoring are copyrighted (spec §3 "compute scale scores
/// with a versioned, licensed algorithm plugged in later; never hard-code item wording"). Without a
/// scorer the derivation reports completion and raw item summaries only, and says so.
public protocol QuestionnaireScorer: Sendable {
    /// The instrument it scores (`ITP-PAQ`).
    var instrument: String { get }
    /// The scoring algorithm's version, stored beside every score.
    var version: String { get }
    /// Scores one completed form; throws `CalculatorError` naming the field when the form cannot be
    /// scored by this algorithm at all (an unknown form version).
    func score(_ responses: QuestionnaireResponses, settings: QuestionnaireSettings) throws -> [ScaleScore]
}

/// The missing-data rule a scorer may use for a Likert scale: the mean of the answered items, rescaled
/// to 0–100 (higher = better), when at least `settings.minAnsweredFraction` of its items are answered.
///
/// Source: spec/clinical.md §3 (ITP-PAQ scales transformed to 0–100, higher = better [R]; "score a scale
/// when ≥ 50% of its items are answered (mean of answered items, rescaled); else missing" [D]; sex-specific
/// scales "not applicable" for men, not missing).
public enum LikertScale {
    /// Scores `items` (item numbers) of `responses`, whose codes run `lowest…highest`; `reversed` items are
    /// those where a higher code means worse. Throws naming the item when a code is outside the range.
    public static func score(_ scale: String, items: [Int], reversed: Set<Int> = [], lowest: Int, highest: Int,
                             responses: QuestionnaireResponses, settings: QuestionnaireSettings,
                             applies: Bool = true, minimalImportantDifference: Double? = nil) throws -> ScaleScore {
        guard applies else {
            return ScaleScore(scale: scale, score: nil, answered: 0, items: items.count, status: "notApplicable", minimalImportantDifference: minimalImportantDifference)
        }
        guard highest > lowest else { throw CalculatorError.invalid("highest", "must be above lowest (\(lowest))") }
        var answered: [Double] = []
        for item in items {
            guard let code = responses.items[item] else { continue }
            guard (lowest...highest).contains(code) else {
                throw CalculatorError.outOfRange("items[\(item)]", "code \(code) is outside \(lowest)…\(highest) for scale \(scale)")
            }
            let x = Double(code - lowest) / Double(highest - lowest)
            answered.append(reversed.contains(item) ? 1 - x : x)
        }
        guard !items.isEmpty, Double(answered.count) >= settings.minAnsweredFraction * Double(items.count) - 1e-9, !answered.isEmpty else {
            return ScaleScore(scale: scale, score: nil, answered: answered.count, items: items.count, status: "tooFewItems", minimalImportantDifference: minimalImportantDifference)
        }
        let mean = answered.reduce(0, +) / Double(answered.count) * 100
        return ScaleScore(scale: scale, score: (mean * 10).rounded() / 10, answered: answered.count, items: items.count, status: "scored",
                          minimalImportantDifference: minimalImportantDifference)
    }
}
