import CartaCore
import CartaModel
import Foundation
import Testing
@testable import CartaStudy

/// The study file's edit checks: range, cross-field and cross-visit, evaluated on saved values (pure),
/// and the reader's refusals of checks that cannot work.
/// Source: issue 7 scope 5 ("automatically by edit checks declared in the study file (range, cross-field, cross-visit)").
struct EditCheckTests {
    static let study = try! StudyLoader.builtIn()
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static func value(_ form: String, _ item: String, _ text: String, standard: Double? = nil,
                      unit: String? = nil, event: EventOID = .screening) -> ItemValue {
        ItemValue(participantID: "p1", address: ItemAddress(eventOID: event, formOID: FormOID(form), itemOID: ItemOID(item)),
                  value: MeasuredValue(text: text, unit: unit, standardValue: standard, standardUnit: unit), updatedAt: at, updatedBy: "c")
    }

    static func findings(_ values: [ItemValue]) -> [String] {
        study.editCheckFindings(values, eventOrder: study.schedule.eventOrder).map { "\($0.checkID) \($0.address.itemOID)" }.sorted()
    }

    @Test func theBuiltInStudyDeclaresItsChecksAndCriticalItems() {
        #expect(Self.study.editChecks.softRangeQueries)
        #expect(Self.study.editChecks.checks.map(\.id) == ["EC_INFUSION_AFTER_CONSENT", "EC_WEIGHT_CHANGE"])
        #expect(Self.study.allItems.filter(\.critical).map(\.oid) == ["CONSENT_DATE", "WEIGHT", "HEIGHT", "PLT"])
    }

    @Test func softRangeBreachRaisesOnlyOutsideTheRange() {
        // PLT soft range 1–600 ×10⁹/L: 600 is inside, 601 outside; 0.5 below.
        #expect(Self.findings([Self.value("F_LAB_HEM", "PLT", "600", standard: 600, unit: "10*9/L")]) == [])
        #expect(Self.findings([Self.value("F_LAB_HEM", "PLT", "601", standard: 601, unit: "10*9/L")]) == ["RANGE_PLT PLT"])
        #expect(Self.findings([Self.value("F_LAB_HEM", "PLT", "0.5", standard: 0.5, unit: "10*9/L")]) == ["RANGE_PLT PLT"])
        let message = Self.study.editCheckFindings([Self.value("F_LAB_HEM", "PLT", "601", standard: 601, unit: "10*9/L")], eventOrder: []).first?.message
        #expect(message?.contains("Platelet count 601 ×10⁹/L is outside the expected range") == true, "\(message ?? "")")
    }

    /// The built-in study queries a low ANC or WBC at screening and LD1 (before the first lymphodepletion dose), not from
    /// Day 0 on, where cytopenia is the expected course (graded and alerted instead); an event outside the schedule is still queried.
    @Test(arguments: [
        ("SCREENING", "ANC", ["RANGE_ANC ANC"]), ("LD1", "ANC", ["RANGE_ANC ANC"]), ("D0", "ANC", []), ("D4", "ANC", []),
        ("M6", "ANC", []), ("UNS-1", "ANC", ["RANGE_ANC ANC"]), ("LD1", "WBC", ["RANGE_WBC WBC"]), ("D7", "WBC", []),
        // Other items keep their query at every visit.
        ("D4", "HGB", ["RANGE_HGB HGB"]),
    ])
    func lowCountsAfterLymphodepletionAreNotQueried(event: String, item: String, expected: [String]) {
        let low = Self.value("F_LAB_HEM", item, "0.2", standard: item == "HGB" ? 20 : 0.2, unit: item == "HGB" ? "g/L" : "10*9/L",
                             event: EventOID(rawValue: event))
        #expect(Self.findings([low]) == expected)
        // The entry warnings ask the same question (`softRangeApplies`), so they agree with the query.
        #expect(Self.study.softRangeApplies(item, at: EventOID(rawValue: event)) == !expected.isEmpty)
    }

    @Test func theSkipNeedsTheScheduleOrder() {
        // Without the schedule's order no visit is known to follow D0: the value is queried.
        let low = Self.value("F_LAB_HEM", "ANC", "0.2", standard: 0.2, unit: "10*9/L", event: "D4")
        #expect(Self.study.editCheckFindings([low], eventOrder: []).map(\.checkID) == ["RANGE_ANC"])
        #expect(Self.study.editChecks.softRangeSkips.map(\.item) == ["ANC", "WBC"])
    }

    @Test func crossFieldDatesCompareAsDates() {
        let consent = Self.value("F_CONSENT", "CONSENT_DATE", "2026-03-10")
        #expect(Self.findings([consent, Self.value("F_CONSENT", "PLANNED_INFUSION_DATE", "2026-04-01")]) == [])
        #expect(Self.findings([consent, Self.value("F_CONSENT", "PLANNED_INFUSION_DATE", "2026-03-10")]) == ["EC_INFUSION_AFTER_CONSENT PLANNED_INFUSION_DATE"])
        #expect(Self.findings([consent, Self.value("F_CONSENT", "PLANNED_INFUSION_DATE", "2025-12-31")]) == ["EC_INFUSION_AFTER_CONSENT PLANNED_INFUSION_DATE"])
        // The other date missing: nothing to compare, no query.
        #expect(Self.findings([Self.value("F_CONSENT", "PLANNED_INFUSION_DATE", "2025-12-31")]) == [])
        let finding = Self.study.editCheckFindings([consent, Self.value("F_CONSENT", "PLANNED_INFUSION_DATE", "2026-03-10")], eventOrder: []).first
        #expect(finding?.involved.map(\.itemOID.rawValue).sorted() == ["CONSENT_DATE", "PLANNED_INFUSION_DATE"])
    }

    @Test func crossVisitChangeComparesWithThePreviousEventThatHasTheItem() {
        let order = Self.study.schedule.eventOrder
        #expect(order.prefix(5) == [.screening, "APH", "PROD", "LD1", "LD2"])
        let screening = Self.value("F_VITALS", "WEIGHT", "60", standard: 60, unit: "kg")
        // +10 % exactly is allowed; +10.1 % is not; the later event is the one queried.
        #expect(Self.findings([screening, Self.value("F_VITALS", "WEIGHT", "66", standard: 66, unit: "kg", event: "LD1")]) == [])
        #expect(Self.findings([screening, Self.value("F_VITALS", "WEIGHT", "66.1", standard: 66.1, unit: "kg", event: "LD1")]) == ["EC_WEIGHT_CHANGE WEIGHT"])
        let f = Self.study.editCheckFindings([screening, Self.value("F_VITALS", "WEIGHT", "50", standard: 50, unit: "kg", event: "LD1")], eventOrder: order)
        #expect(f.map(\.address.eventOID) == ["LD1"])
        // D0 compares with LD1 (the latest earlier event with a weight), not with screening.
        #expect(Self.findings([screening, Self.value("F_VITALS", "WEIGHT", "50", standard: 50, unit: "kg", event: "LD1"),
                               Self.value("F_VITALS", "WEIGHT", "52", standard: 52, unit: "kg", event: "D0")]) == ["EC_WEIGHT_CHANGE WEIGHT"])
        #expect(f.first?.involved.count == 2)
        // A single visit has nothing to compare with.
        #expect(Self.findings([screening]) == [])
    }

    @Test func aDeclaredRangeCheckUsesTheStandardValue() throws {
        let yaml = try StudyFileErrorTests.mutated([("    - id: EC_WEIGHT_CHANGE", """
                - id: EC_PLT_LOW
                  item: PLT
                  kind: range
                  range: {min: 2}
                  message: Confirm a platelet count below 2.
                - id: EC_WEIGHT_CHANGE
            """)])
        let study = try StudyLoader.load(yaml: yaml)
        let low = Self.value("F_LAB_HEM", "PLT", "1500", standard: 1.5, unit: "/uL")
        #expect(study.editCheckFindings([low], eventOrder: []).map(\.checkID) == ["EC_PLT_LOW"])
        #expect(study.editCheckFindings([Self.value("F_LAB_HEM", "PLT", "2", standard: 2, unit: "10*9/L")], eventOrder: []).isEmpty)
    }

    @Test(arguments: [
        ("      other: CONSENT_DATE", "      other: NO_SUCH_ITEM", "editChecks.checks[0].other", "no form has an item \"NO_SUCH_ITEM\""),
        ("      other: CONSENT_DATE", "      other: WEIGHT", "editChecks.checks[0].other", "cannot be compared: use two numbers or two dates"),
        ("      op: \">\"", "      op: \"=>\"", "editChecks.checks[0].op", "must be one of < <= > >= == !="),
        ("      kind: change", "      kind: delta", "editChecks.checks[1].kind", "unknown kind \"delta\"; use range, compare or change"),
        ("      maxFraction: 0.10 ", "      maxFraction: 0 ", "editChecks.checks[1].maxFraction", "must be above 0"),
        ("      item: WEIGHT\n      kind: change", "      item: SEX\n      kind: change", "editChecks.checks[1].item", "a change check needs a numeric item"),
        ("    - id: EC_WEIGHT_CHANGE", "    - id: EC_INFUSION_AFTER_CONSENT", "editChecks.checks[1].id", "duplicate edit check id"),
        ("  softRangeQueries: true ", "  softRangeQuery: true ", "editChecks.softRangeQuery", "unknown key \"softRangeQuery\""),
        ("    - item: ANC\n      fromVisit: D0", "    - item: ANCX\n      fromVisit: D0", "editChecks.softRangeSkips[0].item", "no form has an item \"ANCX\""),
        ("    - item: ANC\n      fromVisit: D0", "    - item: SEX\n      fromVisit: D0", "editChecks.softRangeSkips[0].item", "SEX has no softRange"),
        ("    - item: WBC\n      fromVisit: D0", "    - item: ANC\n      fromVisit: D0", "editChecks.softRangeSkips[1].item", "ANC is skipped twice"),
        ("    - item: ANC\n      fromVisit: D0", "    - item: ANC\n      fromVisit: D99", "editChecks.softRangeSkips[0].fromVisit", "no scheduled visit \"D99\"; use one of APH, PROD, LD1"),
        ("    - item: ANC\n      fromVisit: D0", "    - item: ANC\n      fromVisit: SCR", "editChecks.softRangeSkips[0].fromVisit", "SCR is the screening visit"),
        ("      reason: Neutropenia after", "      why: Neutropenia after", "editChecks.softRangeSkips[0].why", "unknown key \"why\""),
        ("      reason: Neutropenia after lymphodepletion is expected; it is graded by CTCAE v5.0 and ICAHT and alerted, not queried.", "      reason: \"\"",
         "editChecks.softRangeSkips[0].reason", "must not be empty"),
        ("  softRangeQueries: true ", "  softRangeQueries: false ", "editChecks.softRangeSkips", "softRangeSkips needs softRangeQueries: true"),
    ])
    func brokenChecksAreReportedWithTheirPath(old: String, new: String, path: String, fragment: String) throws {
        let problems = StudyFileErrorTests.problems(try StudyFileErrorTests.mutated([(old, new)]))
        #expect(problems.contains { $0.path == path && $0.message.contains(fragment) }, "\(problems.map { "\($0.path): \($0.message)" })")
    }
}
