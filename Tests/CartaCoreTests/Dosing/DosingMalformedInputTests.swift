import Foundation
import Testing
@testable import CartaCore

/// Malformed calculator input is refused with a `CalculatorError` naming the field (rules file §6; DESIGN.md §3).
struct DosingMalformedInputTests {
    @Test(arguments: [
        (#"{"heightCm": 170}"#, "weightKg", "missing_field"),
        (#"{"weightKg": 70}"#, "heightCm", "missing_field"),
        (#"{"weightKg": "70", "heightCm": 170}"#, "weightKg", "invalid_input"),
        (#"{"weightKg": -70, "heightCm": 170}"#, "weightKg", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "formula": "boyd"}"#, "formula", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "formula": "Mosteller"}"#, "formula", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 17}"#, "heightCm", "out_of_range"),
        (#"{"weightKg": 70, "heightCm": 170, "limits": {"weightKg": {"min": 80, "max": 40}}}"#, "limits.weightKg", "invalid_input"),
    ])
    func bsa(json: String, field: String, code: String) {
        let e = DosingTest.expectError(BSACalculator.self, json)
        #expect(e?.field == field)
        #expect(e?.code == code)
        #expect(e?.message.contains(field) == true)
    }

    @Test func unknownFormulaListsTheChoices() {
        let e = DosingTest.expectError(BSACalculator.self, #"{"weightKg": 70, "heightCm": 170, "formula": "boyd"}"#)
        #expect(e?.message.contains("mosteller, dubois, haycock, gehanGeorge, stevenson") == true)
    }

    @Test func notJSON() {
        #expect(DosingTest.expectError(BSACalculator.self, "weight=70")?.code == "malformed_json")
    }

    @Test(arguments: [
        (#"{"heightCm": 170, "crClMlMin": 90}"#, "weightKg", "missing_field"),
        (#"{"weightKg": 70, "heightCm": 170}"#, "crClMlMin", "missing_field"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": -5}"#, "crClMlMin", "invalid_input"),
        (#"{"weightKg": 0, "heightCm": 170, "crClMlMin": 90}"#, "weightKg", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"bsaFormula": "bsa"}}"#, "regimen.bsaFormula", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"days": []}}"#, "regimen.days", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"bsaCapM2": 0}}"#, "regimen.bsaCapM2", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"drugs": [{"name": "fludarabine", "mgPerM2PerDay": -30, "renalAdjustment": null}]}}"#, "regimen.drugs[0].mgPerM2PerDay", "invalid_input"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"drugs": [{"mgPerM2PerDay": 30, "renalAdjustment": null}]}}"#, "regimen.drugs[0].name", "missing_field"),
        (#"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "weightAtLastCalculationKg": -1}"#, "weightAtLastCalculationKg", "invalid_input"),
    ])
    func lymphodepletion(json: String, field: String, code: String) {
        let e = DosingTest.expectError(LymphodepletionCalculator.self, json)
        #expect(e?.field == field)
        #expect(e?.code == code)
    }

    @Test(arguments: [
        (#"{"targetCellsPerKg": 1e7}"#, "weightKg", "missing_field"),
        (#"{"weightKg": 60}"#, "targetCellsPerKg", "missing_field"),
        (#"{"weightKg": -60, "targetCellsPerKg": 1e7}"#, "weightKg", "invalid_input"),
        (#"{"weightKg": 60, "targetCellsPerKg": 1e9}"#, "targetCellsPerKg", "out_of_range"),
        (#"{"weightKg": 60, "targetCellsPerKg": 1e7, "regimen": {"doseBasis": "cells"}}"#, "regimen.doseBasis", "invalid_input"),
        (#"{"weightKg": 60, "targetCellsPerKg": 1e7, "fractions": [{"investigatorDecision": "maybe"}]}"#, "fractions[0].investigatorDecision", "invalid_input"),
    ])
    func cartDose(json: String, field: String, code: String) {
        let e = DosingTest.expectError(CARTDoseCalculator.self, json)
        #expect(e?.field == field)
        #expect(e?.code == code)
    }

    @Test func calculatorNames() {
        #expect(BSACalculator.name == "bsa")
        #expect(CrClCalculator.name == "crcl")
        #expect(LymphodepletionCalculator.name == "lymphodepletion")
        #expect(CARTDoseCalculator.name == "cart-dose")
    }
}
