import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// ITP-BAT (IWG 2013, spec §2.2) captured per manifestation at each bleeding assessment and derived into its
/// SMOG summary: the highest grade per domain at each visit and from Day 0 on, per participant and for the
/// study, traceable to the visit; disagreements with the answer "any bleeding" or with the same visit's
/// Chinese assessment are reported, not smoothed over.
@Suite("ITP-BAT")
struct ITPBATTests {
    @Test func manifestationGradesGiveTheSMOGSummaryOverTime() async throws {
        try await TestServer.run { server, client in
            let coordinator = try await server.principal(.coordinator)
            var a = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let d0 = ConductData.siteToday.adding(days: 15)
            // Day 7: petechiae grade 2, epistaxis grade 1 → S2M1O0 (with skin and mucosal bleeding on the Chinese form).
            var d7 = OutcomeData.followUp(d0.adding(days: 7), platelets: "8", bleeding: ["BLEED_SKIN": Entry(value: "body"), "BLEED_MUCOSAL": Entry(value: "occasional"),
                                                                                     "BLEED_VISCERAL": Entry(value: "none"), "BLEED_CNS": Entry(value: "false")])
            d7["F_ITPBAT"] = ["BAT_ANY": Entry(value: "true"), "BAT_PETECHIAE": Entry(value: "2"), "BAT_EPISTAXIS": Entry(value: "1")]
            a = try await server.saveVisit(a, "D7", d7, by: coordinator)
            // Month 1: haematuria grade 2, petechiae 1 → S1M0O2: the highest from Day 0 is S2M1O2 (per domain, not one visit's).
            var m1 = OutcomeData.followUp(d0.adding(days: 28), platelets: "35", bleeding: ["BLEED_SKIN": Entry(value: "body"), "BLEED_MUCOSAL": Entry(value: "none"),
                                                                                       "BLEED_VISCERAL": Entry(value: "noAnemia"), "BLEED_CNS": Entry(value: "false")])
            m1["F_ITPBAT"] = ["BAT_ANY": Entry(value: "true"), "BAT_PETECHIAE": Entry(value: "1"), "BAT_HAEMATURIA": Entry(value: "2")]
            a = try await server.saveVisit(a, "M1", m1, by: coordinator)
            // Month 2: no bleeding on the Chinese form, but ITP-BAT grades ecchymoses while answering "no" — both reported.
            var m2 = OutcomeData.followUp(d0.adding(days: 60), platelets: "90")
            m2["F_ITPBAT"] = ["BAT_ANY": Entry(value: "false"), "BAT_ECCHYMOSES": Entry(value: "2")]
            a = try await server.saveVisit(a, "M2", m2, by: coordinator)
            // Month 3: nothing graded.
            var m3 = OutcomeData.followUp(d0.adding(days: 90), platelets: "110")
            m3["F_ITPBAT"] = ["BAT_ANY": Entry(value: "false")]
            a = try await server.saveVisit(a, "M3", m3, by: coordinator)

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            let p = try #require(o.participants.first { $0.subjectID == a.subjectID.rawValue })
            #expect(p.itpBat.map(\.notation) == ["S2M1O0", "S1M0O2", "S2M0O0", "S0M0O0"])
            #expect(p.itpBat.map(\.day) == [7, 28, 60, 90])
            #expect(p.worstITPBAT == "S2M1O2")
            #expect(p.sources.contains { $0.visitID == "M1" && $0.formOID == "F_ITPBAT" && $0.value == "ITP-BAT S1M0O2" && $0.path.hasSuffix("/visits/M1") })
            #expect(p.problems.contains { $0.hasPrefix("M2: ITP-BAT grades bleeding (S2M0O0) although \"any bleeding\" is no") })
            #expect(p.problems.contains { $0.hasPrefix("M2: the ITP-BAT (S2M0O0) and the Chinese bleeding assessment (no bleeding) disagree") })
            #expect(!p.problems.contains { $0.hasPrefix("D7:") || $0.hasPrefix("M1:") || $0.hasPrefix("M3:") })
            let summary = try #require(o.itpBat)
            #expect(summary.assessed == 1 && summary.skinByWorstGrade == [0, 0, 1, 0, 0, 0] && summary.mucosaeByWorstGrade == [0, 1, 0, 0, 0, 0]
                    && summary.organsByWorstGrade == [0, 0, 1, 0, 0, 0])

            // The visit page shows what its bleeding forms give, beside them.
            let site = try await client.webSignIn(.coordinator, server: server)
            let visit = try await client.webGet("/participants/\(a.subjectID)/visits/D7", session: site)
            #expect(visit.text.contains("ITP-BAT S2M1O0 (highest grade per domain") && visit.text.contains("Bleeding score"), "\(visit.status)")

            // The report shows the table and the outcome row; the subject-level CSV carries the highest SMOG.
            let session = try await client.webSignIn(.statistician, server: server)
            let report = try await client.webGet("/report", session: session)
            #expect(report.text.contains("id=\"report-itpbat\"") && report.text.contains("S2M1O2") && report.text.contains("day 28 S1M0O2"))
            #expect(report.text.contains("1 assessed; S: G2 1 · M: G1 1 · O: G2 1"))
            let csv = try await client.webGet("/report/tables/subjects.csv", session: session)
            let lines = csv.text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let column = try #require(lines.first?.firstIndex(of: "ITPBAT_WORST"))
            #expect(lines.dropFirst().contains { $0.first == a.subjectID.rawValue && $0[column] == "S2M1O2" })
        }
    }

    /// A grade outside 0–5 is refused by the form (the code list), naming the item.
    @Test func aGradeOutsideTheScaleIsRefused() async throws {
        try await TestServer.run { server, _ in
            let coordinator = try await server.principal(.coordinator)
            let a = try await server.infusedParticipant("Ada Lovelace")
            let d0 = ConductData.siteToday.adding(days: 15)
            var d7 = OutcomeData.followUp(d0.adding(days: 7), platelets: "50")
            d7["F_ITPBAT"] = ["BAT_ANY": Entry(value: "true"), "BAT_GI": Entry(value: "6")]
            await #expect(throws: WorkflowError.self) { _ = try await server.saveVisit(a, "D7", d7, by: coordinator) }
            do { _ = try await server.saveVisit(a, "D7", d7, by: coordinator) } catch let e as WorkflowError {
                #expect(e.fields.contains { $0.field == "item.BAT_GI" && $0.message.contains("Organs — gastrointestinal") })
            }
        }
    }
}
