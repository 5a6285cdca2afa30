import Foundation
import Testing
@testable import CartaCore

/// Chinese ITP bleeding score and ITP-BAT SMOG: spec/clinical.md §2.1, §2.2.
struct BleedingTests {
    typealias T = ToxicityTestSupport

    // spec/clinical.md §2.1 test vectors.
    @Test(arguments: [
        ("40 y, leg petechiae", #"{"ageYears": 40, "chineseScoreSymptoms": [{"category": "skin", "site": "leg", "headOrFace": false}]}"#, 0, 1, 1, nil as Bool?),
        ("66 y, facial ecchymosis", #"{"ageYears": 66, "chineseScoreSymptoms": [{"category": "skin", "site": "face", "headOrFace": true}]}"#, 1, 2, 3, nil),
        ("30 y, epistaxis hard to stop + leg petechiae", #"{"ageYears": 30, "chineseScoreSymptoms": [{"category": "mucosal", "site": "nose", "frequentOrHardToStop": true, "withAnemia": false}, {"category": "skin", "site": "leg", "headOrFace": false}]}"#, 0, 3, 3, nil),
        ("30 y, GI bleed with anemia", #"{"ageYears": 30, "chineseScoreSymptoms": [{"category": "visceral", "site": "GI tract", "withAnemia": true, "lifeThreatening": false}]}"#, 0, 5, 5, true),
        ("76 y, no bleeding", #"{"ageYears": 76, "chineseScoreSymptoms": []}"#, 2, 0, 2, false),
    ])
    func chineseVectors(caseName: String, json: String, agePoints: Int, symptomPoints: Int, total: Int, severe: Bool?) throws {
        let out = try T.run(BleedingCalculator.self, json)
        let c = try #require(out["chineseScore"] as? [String: Any])
        #expect(c["agePoints"] as? Int == agePoints, "\(caseName)")
        #expect(c["symptomPoints"] as? Int == symptomPoints, "\(caseName)")
        #expect(c["total"] as? Int == total, "\(caseName)")
        #expect(c["bleeding"] as? Bool == (symptomPoints > 0), "\(caseName)")
        #expect(c["severe"] as? Bool == severe, "\(caseName)")
    }

    @Test func severeNeedsPlateletsWhenScoreBelowFiveWithBleeding() throws {
        let s = ChineseBleedingScore(ageYears: 30, symptoms: [.skin(headOrFace: false)])
        #expect(s.severe == nil)
        #expect(ChineseBleedingScore(ageYears: 30, symptoms: [.skin(headOrFace: false)], plateletsPer10e9L: 8).severe == true)
        #expect(ChineseBleedingScore(ageYears: 30, symptoms: [.skin(headOrFace: false)], plateletsPer10e9L: 10).severe == false)
        #expect(ChineseBleedingScore(ageYears: 30, symptoms: [], plateletsPer10e9L: 3).severe == false)
        let out = try T.run(BleedingCalculator.self, #"{"ageYears": 30, "chineseScoreSymptoms": [{"category": "skin", "headOrFace": false}], "plateletCount": {"value": 8000, "unit": "/uL"}}"#)
        #expect((out["chineseScore"] as? [String: Any])?["severe"] as? Bool == true)
    }

    // spec §2.1 table: every symptom row's points.
    @Test(arguments: [
        (ChineseBleedingSymptom.skin(headOrFace: false), 1), (.skin(headOrFace: true), 2),
        (.mucosal(frequentOrHardToStop: false, withAnemia: false), 2), (.mucosal(frequentOrHardToStop: true, withAnemia: false), 3),
        (.mucosal(frequentOrHardToStop: false, withAnemia: true), 5), (.visceral(withAnemia: false, lifeThreatening: false), 3),
        (.visceral(withAnemia: true, lifeThreatening: false), 5), (.visceral(withAnemia: false, lifeThreatening: true), 8),
        (.centralNervousSystem, 8),
    ])
    func symptomPoints(symptom: ChineseBleedingSymptom, points: Int) { #expect(symptom.points == points) }

    // spec §2.1 age rows: ≥ 65 → 1, ≥ 75 → 2; maximum total 10.
    @Test(arguments: [(64, 0), (65, 1), (74, 1), (75, 2), (90, 2)])
    func agePoints(age: Int, points: Int) { #expect(ChineseBleedingScore.agePoints(ageYears: age) == points) }

    @Test func symptomPointsAreNotSummedAndTotalTopsAtTen() {
        let s = ChineseBleedingScore(ageYears: 80, symptoms: [.centralNervousSystem, .visceral(withAnemia: true, lifeThreatening: true), .skin(headOrFace: true)])
        #expect(s.symptomPoints == 8 && s.total == 10)
    }

    // spec §2.2: highest grade per domain, written S2M3O2; the worst episode of a manifestation counts.
    @Test func itpBatSmog() throws {
        let out = try T.run(BleedingCalculator.self, #"""
        {"itpBatManifestations": [
          {"manifestation": "petechiae", "grade": 1}, {"manifestation": "ecchymoses", "grade": 2},
          {"manifestation": "epistaxis", "grade": 3}, {"manifestation": "gumBleeding", "grade": 1},
          {"manifestation": "hematuria", "grade": 2}, {"manifestation": "petechiae", "grade": 0}]}
        """#)
        #expect(out["chineseScore"] == nil)
        let b = try #require(out["itpBat"] as? [String: Any])
        #expect(b["smog"] as? String == "S2M3O2")
        #expect((b["worstByManifestation"] as? [String: Int])?["petechiae"] == 1)
        #expect(ITPBATAssessment([]).notation == "S0M0O0")
    }

    @Test func bothPartsTogether() throws {
        let out = try T.run(BleedingCalculator.self, #"{"ageYears": 50, "chineseScoreSymptoms": [{"category": "centralNervousSystem"}], "itpBatManifestations": [{"manifestation": "intracranial", "grade": 4}]}"#)
        #expect((out["chineseScore"] as? [String: Any])?["total"] as? Int == 8)
        #expect((out["itpBat"] as? [String: Any])?["smog"] as? String == "S0M0O4")
    }

    // Malformed input → CalculatorError naming the field.
    @Test(arguments: [
        (#"{"ageYears": 40}"#, "missing_field", "chineseScoreSymptoms"),
        (#"{"chineseScoreSymptoms": []}"#, "missing_field", "ageYears"),
        (#"{"ageYears": 200, "chineseScoreSymptoms": []}"#, "out_of_range", "ageYears"),
        (#"{"ageYears": 40, "chineseScoreSymptoms": [{"category": "skin"}]}"#, "missing_field", "chineseScoreSymptoms[0].headOrFace"),
        (#"{"ageYears": 40, "chineseScoreSymptoms": [{"category": "skin", "headOrFace": true}, {"category": "mucosal", "withAnemia": false}]}"#, "missing_field", "chineseScoreSymptoms[1].frequentOrHardToStop"),
        (#"{"ageYears": 40, "chineseScoreSymptoms": [{"category": "skin", "headOrFace": true, "withAnemia": true}]}"#, "invalid_input", "chineseScoreSymptoms[0].withAnemia"),
        (#"{"ageYears": 40, "chineseScoreSymptoms": [{"category": "retinal"}]}"#, "invalid_input", "chineseScoreSymptoms[0].category"),
        (#"{"ageYears": 40, "chineseScoreSymptoms": [], "plateletCount": {"value": 8, "unit": "g/L"}}"#, "unknown_unit", "plateletCount.unit"),
        (#"{"itpBatManifestations": [{"manifestation": "bruise", "grade": 1}]}"#, "invalid_input", "itpBatManifestations[0].manifestation"),
        (#"{"itpBatManifestations": [{"manifestation": "petechiae", "grade": 6}]}"#, "out_of_range", "itpBatManifestations[0].grade"),
        (#"{"itpBatManifestations": [{"manifestation": "petechiae"}]}"#, "missing_field", "itpBatManifestations[0].grade"),
    ])
    func malformed(json: String, code: String, field: String) throws {
        let e = try #require(T.failure(BleedingCalculator.self, json))
        #expect(e.code == code)
        #expect(e.field == field)
        #expect(e.message.contains(field))
    }

}
