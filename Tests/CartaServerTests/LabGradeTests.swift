import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// CTCAE v5.0 grades of lab values (issue 8 scope 6, issue 9 scope 1): shown beside each saved value on the
/// visit page, a grade ≥ 3 worse than baseline raised on the today screen, and counted as treatment-emergent
/// worsening in the outcomes — while the low platelets of ITP at baseline are not an alert.
@Suite("Lab grades on entry")
struct LabGradeTests {
    @Test func gradesShowOnTheVisitPageAlertAndCountAsWorsening() async throws {
        try await TestServer.run(.sqlite) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let d0 = ConductData.siteToday.adding(days: 15)
            // Screening: ANC 2.5 (grade 0), platelets 25 (grade 3, the disease). Day 5: ANC 0.3 (< 0.5: grade 4),
            // platelets 30 (grade 3, not worse than baseline), haemoglobin without its lab's LLN.
            p = try await server.saveVisit(p, "D5", [
                "F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 5).description)],
                "F_LAB_HEM": ["ANC": Entry(value: "0.3", unit: "10*9/L", lln: "1.8", uln: "7.5"), "PLT": Entry(value: "30", unit: "10*9/L", lln: "150", uln: "400"),
                              "HGB": Entry(value: "100", unit: "g/L")],
            ], by: coordinator)

            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)/visits/D5", session: session)
            #expect(page.text.contains("<p id=\"grade-ANC\" class=\"field__grade\">CTCAE v5.0 Neutrophil count decreased: grade 4"))
            #expect(page.text.contains("<p id=\"grade-PLT\" class=\"field__grade\">CTCAE v5.0 Platelet count decreased: grade 3"))
            // Without the lab's lower limit the anaemia grade is not guessed (spec §4.2).
            #expect(page.text.contains("<p id=\"grade-HGB\" class=\"field__grade\">CTCAE v5.0 Anemia: not graded"))

            let rows = try await server.services.runtime.today.today(by: coordinator)
            let alerts = try #require(rows.first { $0.participant.subjectID == p.subjectID }).alerts
            let anc = try #require(alerts.first { $0.key == "lab:neutrophilCountDecreased:D5:4" })
            #expect(anc.severity == "high" && anc.text.contains("grade 4 at D5") && anc.text.contains("baseline grade 0")
                    && anc.text.contains(": 0.3 ×10⁹/L,"), "the unit as printed, not its UCUM code: \(anc.text)")
            #expect(!alerts.contains { $0.key.hasPrefix("lab:plateletCountDecreased") }, "platelets no worse than at baseline are the disease, not an alert")

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            let worse = try #require(o.participants.first).labWorsening
            #expect(worse == [.init(term: "Neutrophil count decreased", baselineGrade: 0, worstGrade: 4)])
            #expect(o.labWorsening == [.init(term: "Neutrophil count decreased", participants: 1, toGrade3OrMore: 1)])
        }
    }
}
