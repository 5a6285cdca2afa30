import CartaCore
import CartaModel
import Testing
@testable import CartaStudy

/// A number impossible or unusual in the unit given but ordinary in another names the likely unit
/// (issue 8 "Bad input and clinical safety": platelets 60000 "×10⁹/L", creatinine 1.0 "µmol/L",
/// haemoglobin 8.5 "g/L", weight 140 "kg" that is 140 lb).
struct LikelyUnitTests {
    static let study = try! StudyLoader.builtIn()
    static func item(_ oid: String) -> ItemDefinition { study.item(oid)! }

    // Outside the hard limits in the unit given: refused, and the refusal names the unit(s) it is ordinary in.
    @Test(arguments: [
        ("PLT", "60000", "10*9/L", "Platelet count 60000 ×10⁹/L is outside the accepted range 0–2000 ×10⁹/L; 60000 is an ordinary value in /µL (= 60 ×10⁹/L): was the unit /µL? Choose the unit the lab reported."),
        ("CREAT", "1.0", "umol/L", "Creatinine 1 µmol/L is outside the accepted range 10–2000 µmol/L; 1 is an ordinary value in mg/dL (= 88.4 µmol/L): was the unit mg/dL? Choose the unit the lab reported."),
        ("HGB", "8.5", "g/L", "Hemoglobin 8.5 g/L is outside the accepted range 20–250 g/L; 8.5 is an ordinary value in g/dL (= 85 g/L) or mmol/L (= 137 g/L): was the unit g/dL or mmol/L? Choose the unit the lab reported."),
    ] as [(String, String, String, String)])
    func refusedNamingTheUnit(oid: String, raw: String, unit: String, message: String) {
        #expect(Self.item(oid).check(raw: raw, unit: unit) == .invalid(message))
    }

    // Outside the hard limits and not ordinary in any unit: refused without a guess.
    @Test func impossibleInEveryUnitNamesNone() {
        guard case .invalid(let m) = Self.item("PLT").check(raw: "9000000", unit: "10*9/L") else { Issue.record("accepted"); return }
        #expect(!m.contains("was the unit"))
    }

    @Test func likelyUnitsAreEachConversionOnce() {
        // /uL and /mm3 convert alike: one suggestion, the one the item accepts.
        #expect(Self.item("PLT").likelyUnits(for: 60000, entered: "10*9/L").map(\.unit) == ["/uL"])
        // The entered unit (or a spelling converting the same way) is never suggested.
        #expect(Self.item("PLT").likelyUnits(for: 60, entered: "10*9/L").isEmpty)
    }

    // Inside the limits but a unit factor away from the participant's last value: held, naming the unit.
    @Test func weightInPoundsAfterKilograms() throws {
        let weight = Self.item("WEIGHT")
        guard case .valid(let typed, let warnings) = weight.check(raw: "140", unit: "kg") else { Issue.record("refused"); return }
        #expect(warnings.isEmpty, "140 kg is inside the expected range on its own")
        let last = MeasuredValue(text: "63.5", unit: "kg", standardValue: 63.5, standardUnit: "kg")
        let held = try #require(weight.unitHold(typed, previous: last, previousWhere: "SCR"))
        #expect(held == "Body weight 140 kg is far from the last value 63.5 kg (SCR), but 140 lb = 63.5 kg: was the unit lb?")
        // A real change (a tenth) is not held; nor is a big change that no unit explains.
        guard case .valid(let gained, _) = weight.check(raw: "70", unit: "kg"),
              case .valid(let lost, _) = weight.check(raw: "45", unit: "kg") else { Issue.record("refused"); return }
        #expect(weight.unitHold(gained, previous: last) == nil)
        #expect(weight.unitHold(lost, previous: last) == nil)
        // No previous value: nothing to compare with.
        #expect(weight.unitHold(typed, previous: nil) == nil)
    }

    // Laboratory values move by factors for real (CRP falling tenfold after CRS): never held against the last value.
    @Test func labValuesAreNotComparedWithTheLastValue() {
        let crp = Self.item("CRP")
        guard case .valid(let fallen, _) = crp.check(raw: "5", unit: "mg/L") else { Issue.record("refused"); return }
        #expect(crp.unitHold(fallen, previous: MeasuredValue(text: "50", unit: "mg/L", standardValue: 50, standardUnit: "mg/L")) == nil)
    }

    // Outside the expected (soft) range but ordinary in another unit: held even without a previous value.
    @Test func softRangeBreachOrdinaryInAnotherUnitIsHeld() throws {
        let crp = Self.item("HGB")
        guard case .valid(let v, let warnings) = crp.check(raw: "13.5", unit: "mmol/L") else { Issue.record("refused"); return }
        #expect(warnings.count == 1 && warnings[0].contains("was the unit g/dL?"))
        let held = try #require(crp.unitHold(v, previous: nil))
        #expect(held.contains("outside the expected range 60–200 g/L") && held.contains("was the unit g/dL?"))
    }
}
