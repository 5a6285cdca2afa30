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

/// End of study / early termination (issue 8 scope 5–6, R-OS-1 "no data after end of study"): a
/// disposition other than "completed" needs its reason; no visit dated after it is accepted; an end of study
/// dated before data already recorded is refused; the outcomes count how the study ended.
@Suite("End of study")
struct EndOfStudyTests {
    @Test func noDataAfterTheEndOfStudy() async throws {
        try await TestServer.run(.sqlite) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var a = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let d0 = ConductData.siteToday.adding(days: 15)
            func termination(_ day: Int, status: String, reason: String?) -> [String: [String: Entry]] {
                var disposition: [String: Entry] = ["DISP_STATUS": Entry(value: status), "DISP_DATE": Entry(value: d0.adding(days: day).description)]
                if let reason { disposition["DISP_REASON"] = Entry(value: reason) }
                return ["F_DISPOSITION": disposition, "F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: day).description)]]
            }
            // Ended early without a reason: refused, naming the field.
            do {
                _ = try await server.saveVisit(a, "ET", termination(20, status: "withdrewConsent", reason: nil), by: coordinator)
                Issue.record("an early termination without its reason was saved")
            } catch let e as WorkflowError {
                #expect(e.code == .invalidInput && e.fields.first?.field == "DISP_REASON")
            }
            a = try await server.saveVisit(a, "ET", termination(20, status: "withdrewConsent", reason: "Moved away"), by: coordinator)
            // A visit dated before the end of study may still be entered; one after it is refused.
            a = try await server.saveVisit(a, "D14", ["F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 14).description)]], by: coordinator)
            do {
                _ = try await server.saveVisit(a, "M1", OutcomeData.followUp(d0.adding(days: 28), platelets: "90"), by: coordinator)
                Issue.record("a visit after the end of study was saved")
            } catch let e as WorkflowError {
                #expect(e.code == .outOfOrder && e.message.contains("ended the study on \(d0.adding(days: 20))") && e.message.contains("Nothing was saved"))
            }

            // An end of study dated before data already recorded is refused.
            var b = try await server.infusedParticipant("Grace Hopper", platelets: "30")
            b = try await server.saveVisit(b, "M1", OutcomeData.followUp(d0.adding(days: 28), platelets: "35"), by: coordinator)
            do {
                _ = try await server.saveVisit(b, "ET", termination(20, status: "lostToFollowUp", reason: "No contact"), by: coordinator)
                Issue.record("an end of study before recorded data was saved")
            } catch let e as WorkflowError {
                #expect(e.code == .outOfOrder && e.message.contains("is before M1"))
            }

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            let pa = try #require(o.participants.first { $0.subjectID == a.subjectID.rawValue })
            #expect(pa.endOfStudy == "withdrewConsent" && pa.endOfStudyDay == 20 && o.endOfStudy == ["withdrewConsent": 1])
            #expect(ReportPage.build(o).tablesHTML.contains("1 (withdrewConsent)"))
        }
    }
}
