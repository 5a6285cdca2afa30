import CartaModel
import CartaCore
import Testing
@testable import CartaStudy

/// Entered values against the built-in item definitions: types, units, hard and soft ranges
/// (issue 2 scope item 2 "item value checking"; spec/clinical.md §10.3 conversions).
struct ItemCheckTests {
    static let study = try! StudyLoader.builtIn()

    static func item(_ oid: String) -> ItemDefinition { study.item(oid)! }

    // Rejected values: the message names the field and the rule.
    @Test(arguments: [
        ("HGB", "400", nil, "Hemoglobin 400 g/L is outside the accepted range 20–250 g/L"),
        ("HGB", "40", "g/dL", "Hemoglobin 40 g/dL (400 g/L) is outside the accepted range 20–250 g/L"),
        ("HGB", "abc", nil, "Hemoglobin must be a number such as 12.5 (got \"abc\")"),
        ("HGB", "12,5", nil, "Hemoglobin must be a number such as 12.5 (got \"12,5\")"),
        ("HGB", "0x10", nil, "Hemoglobin must be a number such as 12.5 (got \"0x10\")"),
        ("HGB", "nan", nil, "Hemoglobin must be a number such as 12.5 (got \"nan\")"),
        ("HGB", "95", "mg", "Hemoglobin: unit \"mg\" is not accepted; use one of g/L, g/dL, mmol/L"),
        ("HGB", "  ", nil, "Hemoglobin is required"),
        ("ECOG", "2.5", nil, "ECOG performance status must be a whole number (got \"2.5\")"),
        ("ECOG", "6", nil, "ECOG performance status 6 is outside the accepted range 0–5"),
        ("SEX", "X", nil, "Sex \"X\" is not one of F (Female), M (Male)"),
        ("CONSENT_DATE", "2025-02-30", nil, "Date of informed consent must be a calendar date YYYY-MM-DD (got \"2025-02-30\")"),
        ("CONSENT_DATE", "2025-02-03", "d", "Date of informed consent takes no unit (got \"d\")"),
        ("OTHER_STUDY", "maybe", nil, "Has the participant ever taken part in another clinical study? must be yes or no (got \"maybe\")"),
        ("HCV_RNA", "20", "copies/mL", "HCV-RNA: unit \"copies/mL\" is not accepted; use [IU]/mL"),
        ("SPO2", "101", nil, "Oxygen saturation (SpO2) on room air 101% is outside the accepted range 50–100%"),
        ("ANC", "150000", "/uL", "Absolute neutrophil count 150000 /µL (150 ×10⁹/L) is outside the accepted range 0–100 ×10⁹/L"),
    ] as [(String, String, String?, String)])
    func rejected(oid: String, raw: String, unit: String?, message: String) {
        #expect(Self.item(oid).check(raw: raw, unit: unit) == .invalid(message))
    }

    // Accepted values: canonical text, entered number and unit, standardised value (§10.3 factors).
    @Test(arguments: [
        ("HGB", "95", nil, "95", 95.0, "g/L", 95.0, "g/L"),
        ("HGB", "9.5", "g/dL", "9.5", 9.5, "g/dL", 95.0, "g/L"),
        ("ANC", "1500", "/uL", "1500", 1500, "/uL", 1.5, "10*9/L"),
        ("ANC", "1.5", "10^9/L", "1.5", 1.5, "10^9/L", 1.5, "10*9/L"),
        ("CREAT", "1.0", "mg/dL", "1.0", 1.0, "mg/dL", 88.4, "umol/L"),
        ("BILI", "1", "mg/dL", "1", 1, "mg/dL", 17.1, "umol/L"),
        ("ECOG", " 2 ", nil, "2", 2, nil, 2, nil),
        ("WEIGHT", "70", nil, "70", 70, "kg", 70, "kg"),
        ("HCV_RNA", "0", "[IU]/mL", "0", 0, "[IU]/mL", 0, "[IU]/mL"),
    ] as [(String, String, String?, String, Double, String?, Double, String?)])
    func acceptedNumbers(oid: String, raw: String, unit: String?, text: String, number: Double, enteredUnit: String?,
                         standard: Double, standardUnit: String?) throws {
        guard case .valid(let v, let warnings) = Self.item(oid).check(raw: raw, unit: unit) else {
            Issue.record("rejected \(raw)"); return
        }
        #expect(v.text == text && v.number == number && v.unit == enteredUnit && v.standardUnit == standardUnit)
        #expect(abs((v.standardValue ?? .nan) - standard) < 1e-9)
        #expect(warnings.isEmpty)
    }

    @Test(arguments: [
        ("HGB", "55", nil, "Hemoglobin 55 g/L is outside the expected range 60–200 g/L; please confirm"),
        ("WEIGHT", "160", nil, "Body weight 160 kg is outside the expected range 35–150 kg; please confirm. 160 is an ordinary value in lb (= 72.6 kg): was the unit lb?"),
        ("HGB", "5.5", "g/dL", "Hemoglobin 5.5 g/dL (55 g/L) is outside the expected range 60–200 g/L; please confirm. 5.5 is an ordinary value in mmol/L (= 88.6 g/L): was the unit mmol/L?"),
    ] as [(String, String, String?, String)])
    func softRangeWarns(oid: String, raw: String, unit: String?, warning: String) {
        guard case .valid(_, let warnings) = Self.item(oid).check(raw: raw, unit: unit) else { Issue.record("rejected"); return }
        #expect(warnings == [warning])
    }

    @Test(arguments: [
        ("SEX", "f", "F"), ("OTHER_STUDY", "Yes", "true"), ("OTHER_STUDY", "no", "false"),
        ("CONSENT_DATE", "2025-02-03", "2025-02-03"), ("TCELL_RESULT", "PASS", "PASS"),
    ])
    func acceptedOthers(oid: String, raw: String, text: String) {
        guard case .valid(let v, _) = Self.item(oid).check(raw: raw, unit: nil) else { Issue.record("rejected"); return }
        #expect(v.text == text && v.number == nil && v.standardValue == nil)
    }

    @Test func blankOptionalItemIsValidAndEmpty() {
        guard case .valid(let v, let w) = Self.item("WBC").check(raw: "", unit: nil) else { Issue.record("rejected"); return }
        #expect(v.text.isEmpty && v.number == nil && w.isEmpty)
        #expect(Self.item("WBC").observation(of: v) == nil)
    }

    // Reference limits entered in the value's unit are standardised with it (§10.3).
    @Test func observationStandardisesReferenceLimits() throws {
        let creat = Self.item("CREAT")
        guard case .valid(let v, _) = creat.check(raw: "1.2", unit: "mg/dL") else { Issue.record("rejected"); return }
        let obs = try #require(creat.observation(of: v.withReferenceRange(lower: 0.5, upper: 1.5)))
        guard case .number(let value, let unit, let lln, let uln) = obs else { Issue.record("not a number"); return }
        #expect(abs(value - 106.08) < 1e-9 && unit == "umol/L")
        #expect(abs(lln! - 44.2) < 1e-9 && abs(uln! - 132.6) < 1e-9)
    }
}

/// The decimal scanner accepts exactly what the former regular expression
/// `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?` accepted.
@Suite struct DecimalLiteralTests {
    @Test(arguments: ["0", "12", "12.5", "12.", ".5", "-3", "+3.25", "1e5", "1.5E-3", "-.5e+2", "007"])
    func accepts(_ s: String) {
        #expect(ItemDefinition.isDecimalLiteral(s))
        #expect(s.wholeMatch(of: /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/) != nil)
    }

    @Test(arguments: ["", ".", "+", "-", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "inf", "nan", "0x1A", "1,5", "--1", "1e5.5"])
    func refuses(_ s: String) {
        #expect(!ItemDefinition.isDecimalLiteral(s))
        #expect(s.wholeMatch(of: /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/) == nil)
    }
}

/// Free text keeps line breaks but refuses control and invisible characters. Source: issue 7; Unicode TR #36 §3.
@Suite struct FreeTextCharacterTests {
    /// A free-text item added to a copy of the built-in study (the built-in file has none).
    static func textItem() throws -> ItemDefinition {
        let yaml = try BuiltInStudy.yamlText().replacingOccurrences(
            of: "      - oid: CONSENT_DATE\n",
            with: "      - oid: NOTE_TEXT\n        label: Note\n        type: text\n      - oid: CONSENT_DATE\n")
        return try #require(try StudyLoader.load(yaml: yaml).item("NOTE_TEXT"))
    }

    /// A string of one scalar given by its code point (Swift literals refuse noncharacters).
    static func scalar(_ value: UInt32) -> String { String(Character(Unicode.Scalar(value)!)) }
    /// Noncharacters (U+FFFF, U+FFFE, U+FDD0, U+10FFFF), which XML forbids or which are never text.
    static let nonCharacterTexts: [String] = [0xFFFF, 0xFFFE, 0xFDD0, 0x10FFFF].map { "v2" + scalar($0) }

    @Test(arguments: ["line one\nline two", "tab\tseparated", "plain words"])
    func acceptsOrdinaryText(_ text: String) throws {
        guard case .valid = try Self.textItem().check(raw: text, unit: nil) else { Issue.record("refused \(text.debugDescription)"); return }
    }

    @Test(arguments: ["NUL\u{0}inside", "zero\u{200B}width", "escape\u{1B}[31m", "bidi\u{202E}override"] + FreeTextCharacterTests.nonCharacterTexts)
    func refusesInvisible(_ text: String) throws {
        guard case .invalid(let m) = try Self.textItem().check(raw: text, unit: nil) else { Issue.record("accepted \(text.debugDescription)"); return }
        #expect(m.contains("control or invisible"))
    }

    /// At most `maxTextLength` characters are kept (a 1 MiB request body was stored as one value before); a line break
    /// counts as a character.
    @Test func refusesTextLongerThanTheLimit() throws {
        let item = try Self.textItem()
        let longest = String(repeating: "a", count: ItemDefinition.maxTextLength - 2) + "\nb"
        guard case .valid(let kept, _) = item.check(raw: longest + "  ", unit: nil) else { Issue.record("refused the longest text"); return }
        #expect(kept.text.count == ItemDefinition.maxTextLength)
        guard case .invalid(let m) = item.check(raw: "x" + longest, unit: nil) else { Issue.record("accepted a text over the limit"); return }
        #expect(m == "Note is 4001 characters long; at most 4000 are kept: shorten it, and keep a longer document in the source record it comes from")
    }
}

/// Counts read as sentences in messages (issue 9 walk: "1 value(s) need correcting").
@Suite struct CountedNounTests {
    @Test(arguments: [(0, "0 values"), (1, "1 value"), (2, "2 values")])
    func countsTakeTheirNounsNumber(n: Int, text: String) {
        #expect(n.counted("value") == text)
    }

    @Test func anIrregularPluralIsGiven() {
        #expect(3.counted("query", plural: "queries") == "3 queries" && 1.counted("query", plural: "queries") == "1 query")
    }
}

/// An error message repeats at most 60 characters of what was typed, with its length: a 200,000-digit weight gave a
/// 200 KB error before.
@Suite struct EchoedInputTests {
    @Test func longInputIsCutInTheMessage() throws {
        let weight = try #require(ItemCheckTests.study.item("WEIGHT"))
        guard case .invalid(let m) = weight.check(raw: String(repeating: "9", count: 200_000) + "x", unit: "kg") else { Issue.record("accepted"); return }
        #expect(m == "Body weight must be a number such as 12.5 (got \"" + String(repeating: "9", count: 60) + "…\" (200001 characters))")
        #expect("abc".quotedForMessage == "\"abc\"" && String(repeating: "é", count: 60).quotedForMessage.count == 62)
        #expect(String(repeating: "é", count: 61)[...].quotedForMessage == "\"" + String(repeating: "é", count: 60) + "…\" (61 characters)")
    }
}

/// Dates outside 1900–2100 are refused as typing errors. Source: issue 7 (consent date 1800-01-01 and
/// 9999-12-31 accepted, "age −181 years").
@Suite struct DatePlausibilityTests {
    static let consent = try! StudyLoader.builtIn().item("CONSENT_DATE")!

    @Test(arguments: ["1800-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
    func implausibleYearsAreRefused(_ text: String) {
        guard case .invalid(let m) = Self.consent.check(raw: text, unit: nil) else { Issue.record("accepted \(text)"); return }
        #expect(m.contains("not a plausible date") && m.contains(text))
    }

    @Test(arguments: ["1900-01-01", "2026-11-02", "2100-12-31"])
    func plausibleDatesPass(_ text: String) {
        guard case .valid(let v, _) = Self.consent.check(raw: text, unit: nil) else { Issue.record("refused \(text)"); return }
        #expect(v.text == text)
    }
}
