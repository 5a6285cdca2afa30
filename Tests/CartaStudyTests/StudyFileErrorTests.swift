import CartaCore
import Testing
@testable import CartaStudy

/// Broken study files: each problem is reported with its path in the file (issue 2 scope item 2).
struct StudyFileErrorTests {
    /// The built-in file with `old` replaced by `new` (the text must occur).
    static func mutated(_ pairs: [(String, String)]) throws -> String {
        var text = try BuiltInStudy.yamlText()
        for (old, new) in pairs {
            guard text.contains(old) else { throw StudyFileError(problems: [StudyProblem(path: "test", line: nil, message: "fixture text not found: \(old)")]) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    static func problems(_ yaml: String) -> [StudyProblem] {
        do { _ = try StudyLoader.load(yaml: yaml); return [] } catch let e as StudyFileError { return e.problems } catch { return [] }
    }

    // Each row: a change to the built-in file, the expected path, and a fragment of the message.
    @Test(arguments: [
        ("item: HGB, op", "item: HGBX, op", "eligibility.exclusion[6].rule.any[0].compare.item", "unknown item \"HGBX\""),
        ("  title: Anti-BCMA CAR T-Cell Therapy for R/R ITP", "  tilte: x", "study.tilte", "unknown key \"tilte\"; did you mean \"title\"?"),
        ("  title: Anti-BCMA CAR T-Cell Therapy for R/R ITP", "  tilte: x", "study.title", "required field is missing"),
        ("- oid: WBC", "- oid: HGB", "forms[2].items[3].oid", "duplicate item OID \"HGB\""),
        ("unit: g/L\n        allowedUnits: [g/dL, mmol/L]", "unit: mg/mL\n        allowedUnits: [g/dL, mmol/L]",
         "forms[2].items[0].unit", "unit \"mg/mL\" is not accepted for hemoglobin; use one of g/L, g/dL, mmol/L"),
        ("softRange: {min: 60, max: 200}", "softRange: {min: 60, max: 300}", "forms[2].items[0].softRange", "must lie within hardRange"),
        ("hardRange: {min: 20, max: 250}", "hardRange: {min: 250, max: 20}", "forms[2].items[0].hardRange", "min 250 is greater than max 20"),
        ("\"BCRITP-{seq:3}\"", "\"BCRITP-{seq:0}\"", "study.subjectIDPattern", "width N in {seq:N}"),
        ("\"BCRITP-{seq:3}\"", "\"BCRITP-{seq}\"", "study.subjectIDPattern", "must contain one {seq:N} placeholder"),
        ("\"BCRITP-{seq:3}\"", "\"BCR ITP/{seq:3}\"", "study.subjectIDPattern", "literal text may only use"),
        ("targetEnrolment: 5", "targetEnrolment: 0", "study.targetEnrolment", "must be greater than 0"),
        ("rule: {attestation: E1_SECONDARY_ITP}", "rule: {attestation: HGB}", "eligibility.exclusion[0].rule.attestation",
         "item \"HGB\" is a decimal item; attestation needs a boolean item"),
        ("values: [FAIL]", "values: [FAILED]", "eligibility.exclusion[5].rule.coded.values", "code \"FAILED\" is not in the code list of \"TCELL_RESULT\""),
        ("limit: {item: CREAT,", "limit: {item: LVEF,", "eligibility.exclusion[7].rule.any[0].limit.item", "does not collect a reference range"),
        ("transaminaseReading: either ", "transaminaseReading: neither ", "settings.eligibility.transaminaseReading", "\"neither\" is not one of: either, both"),
        ("rescueWindowDays: 56 ", "rescueWindowDays: x ", "settings.response.rescueWindowDays", "expected an integer (got \"x\")"),
        ("rescueWindowDays: 56 ", "rescueWindowDays: -1 ", "settings.response.rescueWindowDays", "must be ≥ 0 days, got -1"),
        ("rescueWindowDays: 56 ", "rescueWindowDay: 28 ", "settings.response.rescueWindowDay", "unknown key; did you mean \"rescueWindowDays\"?"),
        ("bsaFormula: mosteller ", "bsaFormula: duBois ", "settings.lymphodepletion.bsaFormula", "\"duBois\" is not one of: mosteller, dubois, haycock, gehanGeorge, stevenson"),
        ("  response:\n", "  respnse:\n", "settings.respnse", "unknown key \"respnse\"; did you mean \"response\"?"),
        ("holdAtCRSGrade: 2 ", "holdAtCRSGrade: {grade: 2} ", "settings.carT.holdRule.holdAtCRSGrade", "expected an integer (got an object)"),
        ("  questionnaire:\n    minAnsweredFraction: 0.5             # §3 [D] ITP-PAQ scale scored with ≥ 50% of items answered\n",
         "  questionnaire: [0.5]\n", "settings.questionnaire", "expected an object (got a list)"),
        ("days: [-5, -4, -3]\n", "days: {first: -5}\n", "settings.lymphodepletion.days", "expected a list (got an object)"),
        ("        label: Sex\n", "        lable: Sex\n", "forms[0].items[1].lable", "unknown key \"lable\"; did you mean \"label\"?"),
        ("  - compare: {item: HGB", "  - comprae: {item: HGB", "eligibility.exclusion[6].rule.any[0].comprae", "unknown rule kind \"comprae\"; did you mean \"compare\"?"),
        ("{protocolDay: 2, percent: 60}", "{protocolDay: 2, percent: 50}", "settings.carT.fractions", "percentages sum to 90, must sum to 100"),
        ("day: -3, forms: [F_LD_ADMIN]}", "day: -3, forms: [F_LD_ADMIN, F_LAB_HEMX]}", "schedule.visits[5].forms[1]", "unknown form \"F_LAB_HEMX\""),
        ("day: -3, forms: [F_LD_ADMIN]}", "day: -3, forms: [F_LD_ADMIN, F_LD_ADMIN]}", "schedule.visits[5].forms[1]",
         "form \"F_LD_ADMIN\" is already listed at schedule.visits[5].forms[0]; a visit collects each form once"),
        ("{age: {minYears: 18, maxYears: 65", "{age: {minYears: 18, maxYears: 70", "eligibility.inclusion[1].rule.age", "differs from study.ageRange 18–65"),
        ("formatVersion: 1", "formatVersion: 2", "formatVersion", "unsupported format version 2"),
        ("  sponsor: The First Affiliated Hospital of Soochow University\n", "", "study.sponsor", "required field is missing"),
        ("op: \"<=\", value: 2}", "op: \"=<\", value: 2}", "eligibility.inclusion[3].rule.compare.op", "unknown operator \"=<\""),
        ("analyte: hemoglobin", "analyte: haemoglobin", "forms[2].items[0].analyte", "unknown analyte \"haemoglobin\""),
        ("type: integer\n        required: true\n        hardRange: {min: 0, max: 5}\n        help: >-",
         "type: number\n        required: true\n        hardRange: {min: 0, max: 5}\n        help: >-", "forms[1].items[0].type", "unknown type \"number\""),
        ("loinc: 718-7", "loinc: 718_7", "forms[2].items[0].loinc", "is not a LOINC code"),
        ("days: {setting: priorStudyWindowDays}", "days: {setting: priorStudyWindow}", "eligibility.exclusion[10].rule.all[1].withinDays.days.setting",
         "\"priorStudyWindow\" is not a day-window setting of settings.eligibility; did you mean \"priorStudyWindowDays\"?"),
        ("{oid: E16_INVESTIGATOR, label", "{oid: 16_INVESTIGATOR, label", "forms[9].items[13].oid", "is not a valid OID"),
        ("allowEnrolmentBeyondTarget: false", "allowEnrolmentBeyondTarget: nope", "study.allowEnrolmentBeyondTarget", "expected true or false"),
    ] as [(String, String, String, String)])
    func brokenFile(old: String, new: String, path: String, message: String) throws {
        let problems = Self.problems(try Self.mutated([(old, new)]))
        #expect(problems.contains { $0.path == path && $0.message.contains(message) },
                "expected \(path): …\(message)… in \(problems.map(\.description))")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let yaml = try Self.mutated([
            ("item: HGB, op", "item: HGBX, op"),
            ("targetEnrolment: 5", "targetEnrolment: -1"),
            ("- oid: WBC", "- oid: HGB"),
            ("transaminaseReading: either ", "transaminaseReading: neither "),
            ("{protocolDay: 2, percent: 60}", "{protocolDay: 2, percent: 50}"),
            ("  phase: Phase 2", "  phase: Phase 2\n  colour: blue"),
        ])
        let paths = Set(Self.problems(yaml).map(\.path))
        for p in ["eligibility.exclusion[6].rule.any[0].compare.item", "study.targetEnrolment", "forms[2].items[3].oid",
                  "settings.eligibility.transaminaseReading", "settings.carT.fractions", "study.colour"] {
            #expect(paths.contains(p), "missing \(p) in \(paths.sorted())")
        }
    }

    @Test func problemsCarryLineNumbers() throws {
        let yaml = try Self.mutated([("item: HGB, op", "item: HGBX, op")])
        let problem = try #require(Self.problems(yaml).first)
        let line = try #require(problem.line)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[line - 1].contains("HGBX"))
        #expect(problem.description.hasPrefix("eligibility.exclusion[6].rule.any[0].compare.item: unknown item \"HGBX\""))
    }

    // Malformed YAML is reported with its line and column, not as a crash or a generic error.
    @Test(arguments: [
        ("study: {id: NCT1\nforms: [", 2),
        ("study:\n  id: a\n   title: b\n", 3),
        ("a: 1\na: 2\n", 1),
    ])
    func malformedYAML(yaml: String, line: Int) {
        let problems = Self.problems(yaml)
        #expect(problems.count == 1)
        #expect(problems.first?.path == "")
        #expect(problems.first?.line == line || problems.first?.line == line + 1, "\(problems)")
        #expect(problems.first.map { $0.message.contains("line") } == true)
    }

    @Test(arguments: ["", "# only a comment\n"])
    func emptyFile(yaml: String) {
        #expect(Self.problems(yaml) == [StudyProblem(path: "", line: nil, message: "the study file is empty")])
    }

    @Test func rootMustBeAMapping() {
        #expect(Self.problems("- a\n- b\n").first?.message.contains("expected a mapping") == true)
    }

    // A choose node needs an option for the selected value of its setting.
    @Test func chooseNeedsTheSelectedOption() throws {
        let yaml = try Self.mutated([("coagulationReading: aboveUpperLimit", "coagulationReading: outsideRange"),
                                     ("                outsideRange:\n", "                outsideRangeX:\n")])
        let problems = Self.problems(yaml)
        #expect(problems.contains { $0.path == "eligibility.exclusion[8].rule.any[0].choose.options.outsideRangeX" && $0.message.contains("unknown key") })
        #expect(problems.contains { $0.path == "eligibility.exclusion[8].rule.any[0].choose.options" && $0.message.contains("no option for \"outsideRange\"") })
    }

    // The alternative readings are selectable in the file (§0.4 E8, E9 [?]).
    @Test func alternativeReadingsAreSelectable() throws {
        let yaml = try Self.mutated([("transaminaseReading: either ", "transaminaseReading: both "),
                                     ("coagulationReading: aboveUpperLimit", "coagulationReading: outsideRange")])
        let study = try StudyLoader.load(yaml: yaml)
        let e8 = try #require(study.eligibility.criteria.first { $0.id == "E8" })
        let alt = EligibilityRule.relativeToLimit(item: "ALT", op: .greaterThan, multiple: 3, limit: .upperLimitNormal)
        let ast = EligibilityRule.relativeToLimit(item: "AST", op: .greaterThan, multiple: 3, limit: .upperLimitNormal)
        guard case .any(let parts) = e8.rule else { Issue.record("E8 is not any"); return }
        #expect(parts[2] == .all([alt, ast]))
        #expect(e8.note?.contains("transaminaseReading = both") == true)
        let e9 = try #require(study.eligibility.criteria.first { $0.id == "E9" })
        #expect(e9.rule.itemKeys == ["PT", "INR", "APTT", "E9_COAG_HISTORY"])
        guard case .any(let e9parts) = e9.rule, case .any(let labs) = e9parts[0] else { Issue.record("E9 shape"); return }
        #expect(labs.count == 6)
    }
}
