import Foundation
import Testing
@testable import CartaCore

/// ICE score and ICANS grading: spec/clinical.md §5.2.
struct ICANSTests {
    typealias T = ToxicityTestSupport

    /// JSON for ICE items with the first `score` items correct.
    static func iceJSON(_ score: Int) -> String {
        let keys = ["orientedToYear", "orientedToMonth", "orientedToCity", "orientedToHospital", "namedObject1",
                    "namedObject2", "namedObject3", "followsCommands", "writesStandardSentence", "countsBackwardsFrom100By10"]
        return "{" + keys.enumerated().map { "\"\($0.element)\": \($0.offset < score)" }.joined(separator: ", ") + "}"
    }

    @Test func iceScoreCountsTheTenItems() {
        #expect(ICEItems.withScore(10).score == 10)
        #expect(ICEItems.withScore(0).score == 0)
        let mixed = ICEItems(orientedToYear: true, orientedToMonth: false, orientedToCity: true, orientedToHospital: true,
                             namedObject1: true, namedObject2: true, namedObject3: false, followsCommands: true,
                             writesStandardSentence: false, countsBackwardsFrom100By10: true)
        #expect(mixed.score == 7)
    }

    // spec/clinical.md §5.2 ICANS test vectors.
    @Test(arguments: [
        ("ICE 8, awake", #"{"ice": \#(iceJSON(8)), "consciousness": "alert"}"#, 1, ["ice"]),
        ("ICE 5", #"{"ice": \#(iceJSON(5)), "consciousness": "alert"}"#, 2, ["ice"]),
        ("ICE 9 but awakens only to voice", #"{"ice": \#(iceJSON(9)), "consciousness": "awakensToVoice"}"#, 2, ["consciousness"]),
        ("ICE 10 with a brief focal seizure", #"{"ice": \#(iceJSON(10)), "consciousness": "alert", "seizure": "clinicalResolvingRapidly"}"#, 3, ["seizure"]),
        ("ICE 0, awake, global aphasia", #"{"ice": \#(iceJSON(0)), "consciousness": "alert"}"#, 3, ["ice"]),
        ("ICE 0, unarousable (items recorded 0)", #"{"ice": \#(iceJSON(0)), "consciousness": "unarousable"}"#, 4, ["consciousness"]),
        ("ICE not possible, unarousable", #"{"consciousness": "unarousable"}"#, 4, ["ice", "consciousness"]),
        ("New ICH on CT with ICE 10", #"{"ice": \#(iceJSON(10)), "consciousness": "alert", "intracranialHemorrhage": true}"#, 0, []),
    ])
    func specVectors(caseName: String, json: String, grade: Int, decidedBy: [String]) throws {
        let out = try T.run(ICANSCalculator.self, json)
        #expect(out["grade"] as? Int == grade, "\(caseName)")
        #expect(out["decidedBy"] as? [String] == decidedBy, "\(caseName)")
    }

    @Test func hemorrhageIsRecordedSeparately() throws {
        let out = try T.run(ICANSCalculator.self, #"{"ice": \#(Self.iceJSON(10)), "consciousness": "alert", "intracranialHemorrhage": true}"#)
        #expect(out["icans"] as? Bool == false)
        #expect(out["intracranialHemorrhageRecordedSeparately"] as? Bool == true)
        #expect((out["rule"] as? String)?.contains("CTCAE") == true)
    }

    // spec §5.2 table: motor and raised-ICP/edema cells.
    @Test func motorAndEdemaFindings() {
        func grade(_ f: ICANSFindings) -> Int { ICANSGrader.grade(f).grade }
        let ice10 = ICEItems.withScore(10)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .alert, deepFocalMotorWeakness: true)) == 4)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .alert, cerebralEdema: .focalOrLocal)) == 3)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .alert, cerebralEdema: .diffuse)) == 4)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .alert, raisedICPSigns: [.papilledema])) == 4)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .alert, seizure: .lifeThreateningProlonged)) == 4)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .awakensSpontaneously)) == 1)
        #expect(grade(ICANSFindings(ice: ice10, consciousness: .awakensOnlyToTactileStimulus)) == 3)
    }

    // ICE domain cells: 7–9 → 1, 3–6 → 2, 0–2 → 3.
    @Test(arguments: [(10, 0), (9, 1), (7, 1), (6, 2), (3, 2), (2, 3), (0, 3)])
    func iceDomain(score: Int, grade: Int) {
        #expect(ICANSGrader.iceGrade(score: score, consciousness: .alert) == grade)
    }

    // Malformed input → CalculatorError naming the field.
    @Test(arguments: [
        (#"{"ice": \#(iceJSON(8))}"#, "missing_field", "consciousness"),
        (#"{"consciousness": "alert"}"#, "missing_field", "ice"),
        (#"{"ice": {"orientedToYear": true}, "consciousness": "alert"}"#, "missing_field", "ice.orientedToMonth"),
        (#"{"ice": \#(iceJSON(8)), "consciousness": "drowsy"}"#, "invalid_input", "consciousness"),
        (#"{"ice": \#(iceJSON(8)), "consciousness": "alert", "seizure": "grandMal"}"#, "invalid_input", "seizure"),
        (#"{"ice": \#(iceJSON(8)), "consciousness": "alert", "cerebralEdema": "some"}"#, "invalid_input", "cerebralEdema"),
        (#"{"ice": \#(iceJSON(8)), "consciousness": "alert", "raisedICPSigns": ["papilledema", "headache"]}"#, "invalid_input", "raisedICPSigns[1]"),
    ])
    func malformed(json: String, code: String, field: String) throws {
        let e = try #require(T.failure(ICANSCalculator.self, json))
        #expect(e.code == code)
        #expect(e.field == field)
        #expect(e.message.contains(field))
    }

}
