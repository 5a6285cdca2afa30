import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import CartaWeb
import Foundation
import Testing

/// A scoring plug-in for the tests only: two made-up scales over the raw codes 1…5. Carta ships no ITP-PAQ
/// scorer (the scoring is licensed); this one shows that an installed plug-in's scores, changes from baseline
/// and MID counts reach the outcomes.
struct TwoScaleScorer: QuestionnaireScorer {
    let instrument = "ITP-PAQ"
    let version = "test-2"
    func score(_ r: QuestionnaireResponses, settings: QuestionnaireSettings) throws -> [ScaleScore] {
        guard r.version == "v1" else { throw CalculatorError.invalid("version", "unknown form version \(r.version)") }
        return [try LikertScale.score("Symptoms", items: [1, 2, 3, 4], lowest: 1, highest: 5, responses: r, settings: settings, minimalImportantDifference: 8),
                try LikertScale.score("Fear", items: [5, 6], reversed: [6], lowest: 1, highest: 5, responses: r, settings: settings)]
    }
}

enum TherapyData {
    /// An F_CONMED regimen: (drug, dose, unit) per slot; empty = no ITP medication.
    static func regimen(_ drugs: [(String, String, String)]) -> [String: Entry] {
        var out: [String: Entry] = ["CM_ANY": Entry(value: drugs.isEmpty ? "false" : "true")]
        for (i, d) in drugs.enumerated() {
            out["CM\(i + 1)_DRUG"] = Entry(value: d.0); out["CM\(i + 1)_DOSE"] = Entry(value: d.1); out["CM\(i + 1)_UNIT"] = Entry(value: d.2)
        }
        return out
    }

    static func questionnaire(_ date: ClinicalDate, _ codes: [Int: Int], version: String = "v1") -> [String: Entry] {
        var out: [String: Entry] = ["PAQ_DATE": Entry(value: date.description), "PAQ_VERSION": Entry(value: version), "PAQ_LANGUAGE": Entry(value: "zh-CN")]
        for (item, code) in codes { out[String(format: "PAQ_%02d", item)] = Entry(value: String(code)) }
        return out
    }
}

/// Concomitant-therapy reduction (registry outcome CONMED) and the ITP-PAQ (HRQOL) derived from forms
/// entered through the conduct service, with the refusals an incomplete record gets.
@Suite("Concomitant therapy and ITP-PAQ outcomes")
struct TherapyOutcomeTests {
    /// Prednisone 20 mg/day and eltrombopag 50 mg/day at baseline (LD1); prednisone 10 from day 14, stopped
    /// at day 60; eltrombopag unchanged. Expected (spec §9.3): prednisone reduced ≥ 25 % and ≥ 50 % from day 14,
    /// discontinued from day 60, −100 % at months 3 and 6; eltrombopag 0 %; no treatment failure.
    @Test(arguments: TestDatabase.engines)
    func taperAndDiscontinuationFromRecordedRegimens(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var a = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let ld = ConductData.siteToday.adding(days: 10), d0 = ConductData.siteToday.adding(days: 15)
            let both = TherapyData.regimen([("prednisone", "20", "mg/day"), ("eltrombopag", "50", "mg/day")])
            a = try await server.saveVisit(a, "LD1", ["F_CONMED": both, "F_ITPPAQ": TherapyData.questionnaire(ld, [1: 2, 2: 2, 3: 2, 4: 2, 5: 4, 6: 2])], by: coordinator)
            a = try await server.saveVisit(a, "D14", ["F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 14).description)],
                                                      "F_CONMED": TherapyData.regimen([("prednisone", "10", "mg/day"), ("eltrombopag", "50", "mg/day")])], by: coordinator)
            var m1 = OutcomeData.followUp(d0.adding(days: 28), platelets: "80")
            m1["F_ITPPAQ"] = TherapyData.questionnaire(d0.adding(days: 28), [1: 4, 2: 4, 3: 4, 4: 3, 5: 2])
            a = try await server.saveVisit(a, "M1", m1, by: coordinator)
            let eltrombopagOnly = TherapyData.regimen([("eltrombopag", "50", "mg/day")])
            for (visit, day) in [("M2", 60), ("M3", 90), ("M6", 180)] {
                var forms = OutcomeData.followUp(d0.adding(days: day), platelets: "120")
                forms["F_CONMED"] = eltrombopagOnly
                a = try await server.saveVisit(a, visit, forms, by: coordinator)
            }

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            let p = try #require(o.participants.first)
            let c = try #require(p.concomitantTherapy, "problems: \(p.problems)")
            let pred = try #require(c.drugs.first { $0.drug == "prednisone" })
            let elt = try #require(c.drugs.first { $0.drug == "eltrombopag" })
            #expect(pred.baselineIntensity == 20 && pred.reductionDay == 14 && pred.secondaryReductionDay == 14 && pred.discontinuationDay == 60)
            #expect(pred.daysReduced == 46 && pred.daysOff == 124 && pred.percentChangeMonth3 == -100 && pred.percentChangeMonth6 == -100)
            #expect(abs(elt.baselineIntensity - 50.0 / 75) < 1e-6, "fraction of the labelled maximum 75 mg/day")
            #expect(elt.reductionDay == nil && elt.percentChangeMonth6 == 0 && !elt.increased)
            #expect(c.anyReduction && c.anySecondaryReduction && c.anyDiscontinuation && !c.treatmentFailure)
            #expect(c.drugsAtBaseline == 2 && c.drugsAtMonth6 == 1)
            #expect(c.steroidBaselineMgPerDay == 20 && c.steroidPercentChangeMonth3 == -100 && c.steroidPercentChangeMonth6 == -100)
            // The steroid steps start at the baseline window (28 days before LD = day −33) and end at month 6.
            #expect(p.steroidDose == [.init(day: -33, mgPerDay: 20), .init(day: 14, mgPerDay: 10), .init(day: 60, mgPerDay: 0), .init(day: 183, mgPerDay: 0)])
            let cm = try #require(o.concomitantTherapy)
            #expect(cm.derived == 1 && cm.withBaselineTherapy == 1 && cm.reduction?.successes == 1 && cm.discontinuation?.successes == 1)
            #expect(cm.withSteroidAtBaseline == 1 && cm.medianSteroidPercentChangeMonth3 == -100 && cm.treatmentFailure == 0)

            // No scoring plug-in: completion and raw medians only, labelled as such.
            let q = try #require(o.questionnaire)
            #expect(q.scoredBy == nil && q.visits.map(\.visitID) == ["LD1", "M1", "M3", "M6"])
            #expect(q.visits[0].completed == 1 && q.visits[0].medianAnswered == 6 && q.visits[0].itemMedians.count == 44)
            #expect(q.visits[0].itemMedians[0] == 2 && q.visits[1].itemMedians[3] == 3 && q.visits[1].itemMedians[43] == nil && q.visits[2].completed == 0)
            #expect(p.questionnaires.map(\.visitID) == ["LD1", "M1"] && p.questionnaires.allSatisfy(\.scales.isEmpty))
            let report = ReportPage.build(o, standalone: true)
            #expect(report.tablesHTML.contains("NOT SCORED") && report.tablesHTML.contains("id=\"report-conmed\""))
            #expect(report.plotsHTML.contains("id=\"plot-steroid\"") && report.plotsHTML.contains("id=\"steroid-0\""))

            // With a plug-in installed: scale scores, change from baseline and the MID count.
            let scoring = OutcomeService(adverseEvents: server.services.runtime.adverseEvents, questionnaireScorer: TwoScaleScorer())
            let scored = try await scoring.derive(by: try await server.principal(.statistician))
            // A sourceless pass gives the same scale figures when it derives and keeps them, and when it reads them back.
            for _ in 0..<2 {
                var forms: [StudyOutcomes.QuestionnaireForm] = []
                let kept = try await scoring.stream(by: try await server.principal(.statistician), includeSources: false) { forms += $0.questionnaires }
                #expect(kept.questionnaire == scored.questionnaire && forms == scored.participants.flatMap(\.questionnaires))
            }
            #expect(try await server.store.outcomeFiguresCount(key: try #require(scoring.figuresKey())) == scored.enrolled)
            let sq = try #require(scored.questionnaire)
            #expect(sq.scoredBy == "ITP-PAQ test-2")
            let symptoms = try #require(sq.visits[1].scales.first { $0.scale == "Symptoms" })
            #expect(symptoms.meanScore == 68.8 && symptoms.withChange == 1 && symptoms.meanChange == 43.8 && symptoms.improvedByMID == 1)
            let fear = try #require(sq.visits[1].scales.first { $0.scale == "Fear" })
            // One of two items answered is 50 %: scored; item 6 is reversed; no MID known for the scale.
            #expect(fear.scored == 1 && fear.meanScore == 25 && fear.meanChange == -50 && fear.improvedByMID == nil)

            // The CSV tables carry the same figures.
            let token = try await client.token(.statistician)
            let table = try await client.api(.get, "/api/v1/outcomes/tables/conmed", token: token)
            #expect(table.status == .ok && table.text.contains("\(a.subjectID),prednisone,corticosteroid,mg/day prednisone-equivalent,20,14,14,60,124,46,-100,-100,N,N"))
            let qs = try await client.api(.get, "/api/v1/outcomes/tables/qs", token: token)
            #expect(qs.text.contains("\(a.subjectID),LD1,\(ld),-5,v1,zh-CN,6,44,,,unscored"))
        }
    }

    /// Records that cannot be read unambiguously are refused with the reason, never guessed: a steroid in the
    /// wrong unit, no baseline regimen, a drug without its dose; an increase after Day 0 without any rescue
    /// therapy recorded is derived but flagged for checking.
    @Test func incompleteRegimensAreRefusedWithTheReason() async throws {
        try await TestServer.run(.sqlite) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            let d0 = ConductData.siteToday.adding(days: 15)
            func visit14(_ regimen: [String: Entry]) -> [String: [String: Entry]] {
                ["F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 14).description)], "F_CONMED": regimen]
            }
            var wrongUnit = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            wrongUnit = try await server.saveVisit(wrongUnit, "LD1", ["F_CONMED": TherapyData.regimen([("dexamethasone", "40", "mg/week")])], by: coordinator)
            var noBaseline = try await server.infusedParticipant("Grace Hopper", platelets: "30")
            noBaseline = try await server.saveVisit(noBaseline, "D14", visit14(TherapyData.regimen([("prednisone", "10", "mg/day")])), by: coordinator)
            var noDose = try await server.infusedParticipant("Mary Somerville", platelets: "30")
            var partial = TherapyData.regimen([("prednisone", "10", "mg/day")])
            partial["CM1_DOSE"] = nil
            noDose = try await server.saveVisit(noDose, "LD1", ["F_CONMED": partial], by: coordinator)
            var increased = try await server.infusedParticipant("Emmy Noether", platelets: "30")
            increased = try await server.saveVisit(increased, "LD1", ["F_CONMED": TherapyData.regimen([("prednisone", "10", "mg/day")])], by: coordinator)
            increased = try await server.saveVisit(increased, "D14", visit14(TherapyData.regimen([("prednisone", "30", "mg/day"), ("danazol", "400", "mg/day")])), by: coordinator)

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            func participant(_ p: Participant) throws -> StudyOutcomes.Participant { try #require(o.participants.first { $0.subjectID == p.subjectID.rawValue }) }
            let a = try participant(wrongUnit), b = try participant(noBaseline), c = try participant(noDose), d = try participant(increased)
            #expect(a.concomitantTherapy == nil && a.problems.contains { $0.contains("dexamethasone is recorded in mg/week, but its dose must be in mg/day") })
            #expect(b.concomitantTherapy == nil && b.problems.contains { $0.contains("No baseline ITP regimen") })
            #expect(c.concomitantTherapy == nil && c.problems.contains { $0.contains("LD1 F_CONMED medicine 1 lacks its dose") })
            let cm = try #require(d.concomitantTherapy)
            #expect(cm.treatmentFailure && cm.drugs.first { $0.drug == "danazol" }?.newDrug == true && cm.drugs.first { $0.drug == "prednisone" }?.increased == true)
            #expect(d.problems.contains { $0.contains("no rescue therapy is recorded") && $0.contains("danazol started") && $0.contains("prednisone increased") })
            #expect(o.concomitantTherapy?.derived == 1 && o.concomitantTherapy?.treatmentFailure == 1)
            // The steroid plot leaves out the participants without a derivable regimen.
            #expect(ReportPage.build(o).plotsHTML.components(separatedBy: "class=\"plot-series\"").count - 1 >= 1)
        }
    }

    /// The missing-data rule a scoring plug-in uses (spec §3 [D]): scored from half the items, not below;
    /// sex-specific scales not applicable (not missing); a code outside the scale refused naming the item.
    @Test func likertScalesFollowTheMissingDataRule() throws {
        let settings = QuestionnaireSettings()
        func r(_ items: [Int: Int], sex: String? = "F") -> QuestionnaireResponses { .init(version: "v1", language: "en-US", sex: sex, items: items) }
        let half = try LikertScale.score("S", items: [1, 2, 3, 4], lowest: 1, highest: 5, responses: r([1: 5, 2: 3]), settings: settings)
        #expect(half.status == "scored" && half.score == 75 && half.answered == 2)
        let few = try LikertScale.score("S", items: [1, 2, 3, 4], lowest: 1, highest: 5, responses: r([1: 5]), settings: settings)
        #expect(few.status == "tooFewItems" && few.score == nil)
        let reversed = try LikertScale.score("S", items: [1, 2], reversed: [2], lowest: 0, highest: 4, responses: r([1: 4, 2: 0]), settings: settings)
        #expect(reversed.score == 100)
        let men = try LikertScale.score("Menstrual", items: [7], lowest: 1, highest: 5, responses: r([:], sex: "M"), settings: settings, applies: false)
        #expect(men.status == "notApplicable" && men.score == nil)
        #expect(throws: CalculatorError.self) { try LikertScale.score("S", items: [1], lowest: 1, highest: 5, responses: r([1: 6]), settings: settings) }
    }
}
