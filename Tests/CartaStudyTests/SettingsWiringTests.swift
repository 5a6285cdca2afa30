import CartaCore
import Foundation
import Testing
import Yams
@testable import CartaStudy

/// Every setting of the built-in study file reaches the rule that reads it: a non-default value in a
/// copy of the file changes the typed value the rule receives and, where a core rule reads it today,
/// that rule's output (issue 6 item 2).
struct SettingsWiringTests {
    /// One setting: its key under `settings:`, a non-default YAML value (nil for a setting with a
    /// single allowed value), the typed field that carries it, and the rule output it changes.
    struct Wire: Sendable, CustomTestStringConvertible {
        let key: String
        let value: String?
        /// Further edits the value needs to be valid (e.g. LD days and the allowed LD days).
        var also: [(String, String)] = []
        /// The typed value as the rule receives it.
        let typed: @Sendable (StudySettings) -> String
        /// The output of the rule that reads it today (nil: no core reader yet; the doc comment names it).
        var rule: (@Sendable (Study) -> String)?
        var testDescription: String { key }
    }

    static func result<T>(_ body: () throws -> T) -> String {
        do { return String(describing: try body()) } catch { return "error: \(error)" }
    }

    // MARK: rule inputs

    static func eligibility(_ study: Study, criterion: String, _ observations: [String: Observation]) -> String {
        var obs = observations
        obs["CONSENT_DATE"] = .date(ClinicalDate(iso: "2025-01-10")!)
        obs["PLANNED_INFUSION_DATE"] = .date(ClinicalDate(iso: "2025-03-01")!)
        let facts = study.eligibilityFacts(dateOfBirth: ClinicalDate(iso: "1984-07-02"), observations: obs)
        return String(describing: study.evaluateEligibility(facts).results.first { $0.criterion.id == criterion }?.result)
    }

    static func lab(_ value: Double, _ lln: Double, _ uln: Double) -> Observation {
        .number(value: value, unit: "", lowerLimitNormal: lln, upperLimitNormal: uln)
    }

    /// A subject with baseline `baseline` on Day −10, `counts` (day, ×10⁹/L) with a bleeding assessment each.
    static func response(_ study: Study, baseline: Double = 10, _ counts: [(Int, Double)], bleeding: Bool = false,
                         transfusions: [Int] = [], rescues: [Int] = []) -> ResponseResult {
        let all = [(-10, baseline)] + counts
        let subject = ResponseSubject(
            day0DayNumber: 0, lymphodepletionStartDayNumber: -5,
            counts: all.map { PlateletCount(dayNumber: $0.0, plateletsPer10e9L: $0.1) },
            transfusions: transfusions.map { Transfusion(dayNumber: $0) },
            rescues: rescues.map { RescueTherapy(startDayNumber: $0, drug: "IVIG", reason: .itp) },
            bleeding: all.map { BleedingRecord(dayNumber: $0.0, present: bleeding && $0.0 > 0) })
        return ResponseEngine.evaluate(subject, settings: study.settings.response)
    }

    static func ld(_ study: Study, weightKg: Double = 70, crCl: Double = 90, lastWeightKg: Double? = nil) -> String {
        result { try LymphodepletionCalculator.compute(.init(weightKg: weightKg, heightCm: 172, crClMlMin: crCl,
                                                             regimen: study.settings.lymphodepletion, weightAtLastCalculationKg: lastWeightKg)) }
    }

    static func cart(_ study: Study, target: Double = 1.5e7, carPositivePercent: Double? = 40, fractions: [CARTFractionRecord]? = nil) -> String {
        result { try CARTDoseCalculator.compute(.init(weightKg: 60, targetCellsPerKg: target, carPositivePercent: carPositivePercent,
                                                      regimen: study.settings.carT, fractions: fractions)) }
    }

    static func conmed(_ study: Study) -> String {
        let settings = String(decoding: try! JSONEncoder().encode(study.settings.conmed), as: UTF8.self)
        let json = #"""
        {"day0Date": "2024-01-10", "settings": \#(settings), "drugs": [
          {"drug": "dexamethasone", "doseUnit": "mg/day", "doses": [
            {"startDate": "2023-08-15", "endDate": "2023-11-14", "dose": 3},
            {"startDate": "2023-11-15", "endDate": "2024-01-31", "dose": 1.5},
            {"startDate": "2024-02-01", "endDate": "2024-03-10", "dose": 0.9}]}]}
        """#
        // The output echoes its settings; compare only what the rule derived.
        return result {
            var output = try #require(try JSONSerialization.jsonObject(with: try ConmedReductionCalculator.run(json: Data(json.utf8))) as? [String: Any])
            output["settings"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    // MARK: the table

    static let wires: [Wire] = [
        Wire(key: "eligibility.transaminaseReading", value: "both", typed: { "\($0.eligibility.transaminaseReading)" },
             rule: { eligibility($0, criterion: "E8", ["ALT": lab(160, 7, 40), "AST": lab(28, 13, 35)]) }),
        Wire(key: "eligibility.coagulationReading", value: "outsideRange", typed: { "\($0.eligibility.coagulationReading)" },
             rule: { eligibility($0, criterion: "E9", ["PT": lab(8, 11, 13.5), "INR": lab(1, 0.8, 1.2), "APTT": lab(31, 25, 37),
                                                        "E9_COAG_HISTORY": .boolean(false)]) }),
        Wire(key: "eligibility.priorStudyWindowDays", value: "30", typed: { "\($0.eligibility.priorStudyWindowDays)" },
             rule: { eligibility($0, criterion: "E11", ["OTHER_STUDY": .boolean(true), "OTHER_STUDY_LAST_DATE": .date(ClinicalDate(iso: "2025-01-01")!)]) }),
        Wire(key: "eligibility.ageAnchor", value: nil, typed: { "\($0.eligibility.ageAnchor)" }),
        Wire(key: "response.transfusionWindowDays", value: "3", typed: { "\($0.response.transfusionWindowDays)" },
             rule: { "\(response($0, [(34, 60), (41, 60), (48, 60)], transfusions: [30]))" }),
        Wire(key: "response.rescueWindowDays", value: "28", typed: { "\($0.response.rescueWindowDays)" },
             rule: { "\(response($0, [(35, 60), (42, 60), (49, 60)], rescues: [1]))" }),
        Wire(key: "response.requireNoInterveningFailure", value: "false", typed: { "\($0.response.requireNoInterveningFailure)" },
             rule: { "\(response($0, [(30, 60), (33, 20), (37, 60), (44, 60)]))" }),
        Wire(key: "response.baselineMultiplier", value: "3", typed: { "\($0.response.baselineMultiplier)" },
             rule: { "\(response($0, baseline: 15, [(30, 40), (37, 40)]))" }),
        Wire(key: "response.responseWindowEndDay", value: "20", typed: { "\($0.response.responseWindowEndDay)" },
             rule: { "\(response($0, [(30, 60), (37, 60)]))" }),
        Wire(key: "responseReporting.crPrimary", value: "protocolLiteral", typed: { "\($0.responseReporting.crPrimary)" },
             rule: { s in "\(String(describing: s.settings.responseReporting.completeResponse(response(s, [(30, 120), (37, 120)], bleeding: true))))" }),
        Wire(key: "responseReporting.timeToResponseOrigin", value: "firstLymphodepletion", typed: { "\($0.responseReporting.timeToResponseOrigin)" },
             rule: { s in "\(String(describing: s.settings.responseReporting.timeToResponseDays(response(s, [(30, 60), (37, 60)]))))" }),
        Wire(key: "conmed.baselineWindowDays", value: "120", typed: { "\($0.conmed.baselineWindowDays)" }, rule: { conmed($0) }),
        Wire(key: "conmed.reductionFraction", value: "0.5", typed: { "\($0.conmed.reductionFraction)" }, rule: { conmed($0) }),
        Wire(key: "conmed.sustainedDays", value: "200", typed: { "\($0.conmed.sustainedDays)" }, rule: { conmed($0) }),
        Wire(key: "crcl.weightBasis", value: "ideal", typed: { "\($0.crcl.weightBasis)" }, rule: { s in
            result { try CrClCalculator.compute(.init(ageYears: 50, sex: .female, weightKg: 90, heightCm: 160,
                                                      serumCreatinine: .init(value: 1, unit: "mg/dL"), weightBasis: s.settings.crcl.weightBasis)) } }),
        Wire(key: "lymphodepletion.drugs",
             value: "[{name: fludarabine, mgPerM2PerDay: 25, roundingStepMg: 1, renalAdjustment: null}, "
                 + "{name: cyclophosphamide, mgPerM2PerDay: 300, roundingStepMg: 10, renalAdjustment: null}]",
             typed: { "\($0.lymphodepletion.drugs)" }, rule: { ld($0, crCl: 40) }),
        Wire(key: "lymphodepletion.days", value: "[-6, -5, -4]", also: [("dosingLimits.ldDays", "[-6, -5, -4]")],
             typed: { "\($0.lymphodepletion.days)" }, rule: { ld($0) }),
        Wire(key: "lymphodepletion.bsaFormula", value: "dubois", typed: { "\($0.lymphodepletion.bsaFormula)" }, rule: { ld($0) }),
        Wire(key: "lymphodepletion.maxRoundingDeviationFraction", value: "0.0001",
             typed: { "\($0.lymphodepletion.maxRoundingDeviationFraction)" }, rule: { ld($0) }),
        Wire(key: "carT.minCellsPerKg", value: "0.5e7", typed: { "\($0.carT.minCellsPerKg)" }, rule: { cart($0, target: 0.8e7) }),
        Wire(key: "carT.maxCellsPerKg", value: "1.5e7", typed: { "\($0.carT.maxCellsPerKg)" }, rule: { cart($0, target: 1.8e7) }),
        Wire(key: "carT.fractions", value: "[{protocolDay: 0, percent: 50}, {protocolDay: 1, percent: 50}]",
             typed: { "\($0.carT.fractions)" }, rule: { cart($0) }),
        Wire(key: "carT.doseBasis", value: "carPositiveCells", typed: { "\($0.carT.doseBasis)" }, rule: { cart($0) }),
        Wire(key: "carT.dayZero", value: nil, typed: { "\($0.carT.dayZero)" }),
        Wire(key: "carT.holdRule.holdAtCRSGrade", value: "3", typed: { "\($0.carT.holdRule.holdAtCRSGrade)" },
             rule: { cart($0, fractions: [.init(), .init(crsGradeBefore: 2, icansGradeBefore: 0)]) }),
        Wire(key: "carT.holdRule.holdAtICANSGrade", value: "2", typed: { "\($0.carT.holdRule.holdAtICANSGrade)" },
             rule: { cart($0, fractions: [.init(), .init(crsGradeBefore: 0, icansGradeBefore: 1)]) }),
        Wire(key: "dosingLimits.weightChangeWarnFraction", value: "0.02",
             typed: { "\($0.dosingLimits.weightChangeWarnFraction) \($0.lymphodepletion.limits.weightChangeWarnFraction)" },
             rule: { ld($0, weightKg: 72, lastWeightKg: 70) }),
        Wire(key: "questionnaire.minAnsweredFraction", value: "0.75", typed: { "\($0.questionnaire.minAnsweredFraction)" }),
        Wire(key: "adverseEvents.collectionStart", value: "firstLymphodepletion", typed: { "\($0.adverseEvents.collectionStart)" }),
    ]

    // MARK: YAML editing

    /// The dotted keys of every setting in the built-in file (mappings are walked; lists are values).
    static func settingKeys(_ node: Node?, prefix: String = "") -> [String] {
        guard case .mapping(let m)? = node else { return [prefix] }
        return m.flatMap { k, v in settingKeys(v, prefix: prefix.isEmpty ? k.string! : "\(prefix).\(k.string!)") }
    }

    static func builtInTree() throws -> Node { try #require(try Yams.compose(yaml: BuiltInStudy.yamlText())) }

    /// The built-in file with `settings.<key>` set to `value` (YAML text), serialised again.
    static func edited(_ edits: [(String, String)]) throws -> String {
        var root = try builtInTree()
        for (key, value) in edits {
            let newNode = try #require(try Yams.compose(yaml: value))
            root = set(root, path: ["settings"] + key.split(separator: ".").map(String.init), to: newNode)
        }
        return try Yams.serialize(node: root)
    }

    static func set(_ node: Node, path: [String], to value: Node) -> Node {
        guard let head = path.first else { return value }
        guard case .mapping(var m) = node else { return node }
        let key = Node(head)
        m[key] = set(m[key] ?? Node.mapping([:]), path: Array(path.dropFirst()), to: value)
        return .mapping(m)
    }

    // MARK: tests

    @Test func everySettingOfTheBuiltInFileIsWired() throws {
        let settings = try Self.builtInTree()[Node("settings")]
        let inFile = Self.settingKeys(settings)
        let wired = Self.wires.map(\.key)
        #expect(Set(inFile).subtracting(wired).isEmpty, "settings in the built-in file with no row here: \(Set(inFile).subtracting(wired).sorted())")
        #expect(Set(wired).subtracting(inFile).isEmpty, "rows for settings not in the built-in file: \(Set(wired).subtracting(inFile).sorted())")
        #expect(wired.count == Set(wired).count)
    }

    @Test(arguments: wires)
    func aNonDefaultValueReachesTheRule(_ wire: Wire) throws {
        let original = try StudyLoader.builtIn()
        guard let value = wire.value else {
            // A single allowed value: any other is rejected, naming the key and the choices.
            let yaml = try Self.edited([(wire.key, "somethingElse")])
            let error = try #require(throws: StudyFileError.self) { try StudyLoader.load(yaml: yaml) }
            #expect(error.problems.contains { $0.path == "settings.\(wire.key)" && $0.message.contains("is not one of:") },
                    "\(error.problems.map(\.description))")
            return
        }
        let changed = try StudyLoader.load(yaml: Self.edited([(wire.key, value)] + wire.also))
        #expect(wire.typed(changed.settings) != wire.typed(original.settings),
                "\(wire.key): the typed value stayed \(wire.typed(original.settings))")
        if let rule = wire.rule {
            let before = rule(original), after = rule(changed)
            #expect(before != after, "\(wire.key): the rule's output did not change: \(before)")
        }
    }

    @Test func theBuiltInFileHoldsTheSpecDefaults() throws {
        #expect(try StudyLoader.builtIn().settings == StudySettings.defaults)
        let unchanged = try StudyLoader.load(yaml: Self.edited([]))
        #expect(unchanged.settings == StudySettings.defaults)
    }
}
