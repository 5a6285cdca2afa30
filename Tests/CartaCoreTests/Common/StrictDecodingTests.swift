import Foundation
import Testing
@testable import CartaCore

/// Calculator JSON is decoded strictly and explained in the user's terms (issue 6 items 3–4):
/// unknown keys name the key and suggest the nearest valid one, wrong shapes say "an object" or
/// "a list", enum values list their choices, and no message leaks a Swift type name.
struct StrictDecodingTests {
    static func error(_ calculator: String, _ json: String) -> CalculatorError? {
        do { _ = try CalculatorRegistry.run(name: calculator, json: Data(json.utf8)); return nil } catch { return error as? CalculatorError }
    }

    static let counts = #""plateletCounts":[{"date":"2024-01-01","plateletsPer10e9L":10},{"date":"2024-01-20","plateletsPer10e9L":50}]"#
    static let crcl = #""ageYears": 50, "weightKg": 70, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#
    static let crs = #""temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false"#

    /// Words that only a Swift programmer would recognise.
    static let swiftWords = ["Dictionary", "Swift.", "Optional", "init", "Array<", "String value", "Int64", "Double", "CodingKeys", "Decodable"]

    // Unknown keys, at the top and nested, with the nearest valid key suggested.
    @Test(arguments: [
        ("response", #"{"day0Date":"2024-01-10",\#(counts),"settings":{"rescueWindowDay":28}}"#,
         "settings.rescueWindowDay", #"settings.rescueWindowDay: unknown key; did you mean "rescueWindowDays"?"#),
        ("bsa", #"{"weightKg": 70, "heightCm": 170, "fromula": "dubois"}"#, "fromula", #"fromula: unknown key; did you mean "formula"?"#),
        ("lymphodepletion", #"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"bsaFromula": "dubois"}}"#,
         "regimen.bsaFromula", #"regimen.bsaFromula: unknown key; did you mean "bsaFormula"?"#),
        ("cart-dose", #"{"weightKg": 60, "targetCellsPerKg": 1e7, "regimen": {"holdRule": {"holdAtCRSGrad": 3}}}"#,
         "regimen.holdRule.holdAtCRSGrad", #"regimen.holdRule.holdAtCRSGrad: unknown key; did you mean "holdAtCRSGrade"?"#),
        ("conmed-reduction", #"{"day0Date":"2024-01-10","drugs":[{"drug":"eltrombopag","doseUnit":"mg/day","doses":[{"startDate":"2023-10-01","endDate":"2024-07-31","dose":50,"notes":"x"}]}]}"#,
         "drugs[0].doses[0].notes", "drugs[0].doses[0].notes: unknown key"),
        ("crcl", #"{\#(crcl), "sex": "male", "colour": "blue"}"#, "colour", "colour: unknown key"),
    ] as [(String, String, String, String)])
    func unknownKeyIsNamedWithASuggestion(calculator: String, json: String, field: String, message: String) throws {
        let e = try #require(Self.error(calculator, json))
        #expect(e.code == "unknown_field")
        #expect(e.field == field)
        #expect(e.message == message)
    }

    // Wrong shapes: "an object" / "a list" / what was found, never a type name.
    @Test(arguments: [
        ("bsa", #"[70, 170]"#, "input", "input: expected an object (got a list)"),
        ("response", #"{"day0Date":"2024-01-10","plateletCounts":{"date":"2024-01-01"}}"#, "plateletCounts", "plateletCounts: expected a list (got an object)"),
        ("lymphodepletion", #"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": 5}"#, "regimen", "regimen: expected an object (got 5)"),
        ("bsa", #"{"weightKg": "70", "heightCm": 170}"#, "weightKg", #"weightKg: expected a number (got "70")"#),
        ("response", #"{"day0Date":"2024-01-10",\#(counts),"settings":{"rescueWindowDays":"x"}}"#, "settings.rescueWindowDays",
         #"settings.rescueWindowDays: expected an integer (got "x")"#),
        ("response", #"{"day0Date":"2024-01-10",\#(counts),"settings":{"rescueWindowDays":28.5}}"#, "settings.rescueWindowDays",
         "settings.rescueWindowDays: expected an integer (got 28.5)"),
        ("crs", #"{\#(crs), "vasopressors": "norepinephrine", "oxygen": {"device": "roomAir"}}"#, "vasopressors",
         #"vasopressors: expected a list (got "norepinephrine")"#),
    ] as [(String, String, String, String)])
    func wrongShapeIsDescribedInTheUsersTerms(calculator: String, json: String, field: String, message: String) throws {
        let e = try #require(Self.error(calculator, json))
        #expect(e.code == "invalid_input")
        #expect(e.field == field)
        #expect(e.message == message)
        for word in Self.swiftWords { #expect(!e.message.contains(word), "\(e.message)") }
    }

    // Every enum of a calculator input lists its choices (a few name the vocabulary in their own words).
    @Test(arguments: [
        ("crcl", #"{\#(crcl), "sex": "M"}"#, "sex", #""M" is not one of: male, female"#),
        ("crcl", #"{\#(crcl), "sex": "male", "weightBasis": "lean"}"#, "weightBasis", "is not one of: actual, ideal"),
        ("crcl", #"{"ageYears": 50, "weightKg": 70, "sex": "male", "serumCreatinine": {"value": 88, "unit": "umol/L"}, "siConstant": "x"}"#, "siConstant", "is not one of:"),
        ("crcl", #"{\#(crcl), "sex": 1}"#, "sex", "expected one of: male, female (got 1)"),
        ("bsa", #"{"weightKg": 70, "heightCm": 170, "formula": "duBois"}"#, "formula", #""duBois" is not one of: mosteller, dubois, haycock, gehanGeorge, stevenson"#),
        ("lymphodepletion", #"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"bsaFormula": "bsa"}}"#, "regimen.bsaFormula", "is not one of: mosteller"),
        ("cart-dose", #"{"weightKg": 60, "targetCellsPerKg": 1e7, "regimen": {"doseBasis": "totalTCells"}}"#, "regimen.doseBasis",
         #""totalTCells" is not one of: totalCells, carPositiveCells"#),
        ("cart-dose", #"{"weightKg": 60, "targetCellsPerKg": 1e7, "fractions": [{"investigatorDecision": "maybe"}]}"#, "fractions[0].investigatorDecision",
         "is not one of: give, hold"),
        ("ctcae", #"{"term": "plateletsLow", "value": 40, "unit": "10*9/L"}"#, "term", #"unknown CTCAE laboratory term "plateletsLow"; use one of plateletCountDecreased"#),
        ("crs", #"{\#(crs), "vasopressors": ["dobutamine"], "oxygen": {"device": "roomAir"}}"#, "vasopressors[0]", #"unknown vasopressor "dobutamine"; use one of norepinephrine"#),
        ("crs", #"{\#(crs), "oxygen": {"device": "oxygenTent"}}"#, "oxygen.device", #"unknown oxygen device "oxygenTent"; use one of roomAir"#),
        ("icans", #"{"ice": \#(ICANSTests.iceJSON(8)), "consciousness": "drowsy"}"#, "consciousness", #"unknown value "drowsy"; use one of alert"#),
        ("response", #"{"day0Date":"2024-01-10",\#(counts),"rescueTherapies":[{"startDate":"2024-01-20","drug":"IVIG","reason":"because"}]}"#,
         "rescueTherapies[0].reason", "is not one of: itp, crs, icans"),
        ("response", #"{"day0Date":"2024-01-10",\#(counts),"settings":{"baselineMethod":"last"}}"#, "settings.baselineMethod",
         #""last" is not one of: mostRecent, meanOfLastTwo"#),
    ] as [(String, String, String, String)])
    func enumValueListsItsChoices(calculator: String, json: String, field: String, message: String) throws {
        let e = try #require(Self.error(calculator, json))
        #expect(e.code == "invalid_input", "\(e)")
        #expect(e.field == field, "\(e)")
        #expect(e.message.contains(message), "\(e.message)")
        for word in Self.swiftWords { #expect(!e.message.contains(word), "\(e.message)") }
    }

    @Test func suggestionsComeFromLevenshteinDistance() {
        #expect(KeySuggestion.distance("fromula", "formula") == 2)
        #expect(KeySuggestion.distance("", "abc") == 3)
        #expect(KeySuggestion.closest(to: "rescueWindowDay", among: ["transfusionWindowDays", "rescueWindowDays"]) == "rescueWindowDays")
        #expect(KeySuggestion.closest(to: "colour", among: ["sex", "weightKg"]) == nil)
        #expect(KeySuggestion.hint(for: "lable", among: ["label", "oid"]) == #"; did you mean "label"?"#)
    }

    @Test func decoderMessagesLoseTheirTypeNames() {
        #expect(CalculatorJSON.typeName([String: Any].self) == "an object")
        #expect(CalculatorJSON.typeName([Any].self) == "a list")
        #expect(CalculatorJSON.typeName(CockcroftGault.Sex.self) == "one of: male, female")
        #expect(CalculatorJSON.userTerms("Cannot initialize Sex from invalid String value M") == #""M" is not an accepted value"#)
        let e = CalculatorJSON.describe(.typeMismatch([String: Any].self, .init(codingPath: [StrictCodingKey(stringValue: "regimen")], debugDescription: "")))
        #expect(e.message == "regimen: expected an object")
    }
}
