import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// The today screen keeps each participant's line for their version and the day, so a request reads the files of
/// the participants changed since — by id when they are few, by the study's pages when many — and its lines are
/// always those computed afresh from the full files (issue 8 scope 9; a scale cohort is served like a small study).
@Suite("Today screen: only changed participants are read")
struct TodayScreenReadTests {
    @Test(arguments: TestDatabase.engines)
    func linesAreKeptAndOnlyChangedParticipantsRead(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var ada = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            _ = try await server.infusedParticipant("Grace Hopper", platelets: "25")
            _ = try await server.infusedParticipant("Mary Somerville", platelets: "60")
            let runtime = server.services.runtime
            /// The lines of a service that keeps nothing, from the full files (change stamps and all).
            func reference() async throws -> String {
                let files = try await runtime.screening.files(by: coordinator)
                let ids = files.filter { $0.participant.status == .enrolled }.map(\.participant.id)
                let rows = TodayService(conduct: runtime.conduct).rows(
                    files: files, acknowledged: try await server.store.acknowledgedAlerts(participantIDs: ids),
                    unreported: try await server.store.unreportedSeriousEvents(participantIDs: ids),
                    today: runtime.clock.today, now: runtime.clock.now)
                #expect(rows.count == 3)
                return "\(rows)"
            }
            var paged = TodayService(conduct: runtime.conduct)
            paged.pageReadAbove = 0
            var byID = TodayService(conduct: runtime.conduct)
            byID.pageReadAbove = 100
            let expected = try await reference()
            for service in [paged, byID] {
                #expect("\(try await service.today(by: coordinator, pageSize: 2))" == expected)
            }
            // Lines kept: the next request reads the participants, acknowledgements and unreported serious events only.
            let before = server.store.readStatementCount
            #expect("\(try await byID.today(by: coordinator))" == expected)
            #expect(server.store.readStatementCount - before == 3)

            // A save changes one participant: their line is computed again, with the new alert, by either way of reading.
            let d0 = ConductData.siteToday.adding(days: 15)
            ada = try await server.saveVisit(ada, "D5", [
                "F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 5).description)],
                "F_LAB_HEM": ["ANC": Entry(value: "0.3", unit: "10*9/L", lln: "1.8", uln: "7.5")],
            ], by: coordinator)
            let changed = try await reference()
            #expect(changed != expected)
            for service in [paged, byID] {
                let rows = try await service.today(by: coordinator, pageSize: 2)
                #expect("\(rows)" == changed)
                #expect(rows.first { $0.participant.subjectID == ada.subjectID }?.alerts.contains { $0.key == "lab:neutrophilCountDecreased:D5:4" } == true)
            }
        }
    }
}

/// `carta serve` computes the day's lines ahead of the first reader (at its start and after each site midnight):
/// every enrolled participant's line at every site, once a day and again only for a changed participant; the first
/// request of the day then reads no file and gives the lines computed afresh.
@Suite("Today screen: lines computed ahead")
struct TodayLinesAheadTests {
    @Test(arguments: TestDatabase.engines)
    func theDaysLinesAreComputedAheadOfTheFirstReader(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var ada = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            _ = try await server.infusedParticipant("Grace Hopper", platelets: "25")
            _ = try await server.enrol(try await server.signedEligibleParticipant("Mary Somerville"))
            _ = try await server.register("Screening Only")
            let runtime = server.services.runtime
            var paged = TodayService(conduct: runtime.conduct)
            paged.pageReadAbove = 0
            for service in [runtime.today, paged] {
                #expect(try await service.keepTodaysLines(pageSize: 2) == 3, "the enrolled participants, not the one in screening")
                #expect(try await service.keepTodaysLines() == 0, "kept: nothing to compute again the same day")
                let before = server.store.readStatementCount
                let rows = try await service.today(by: coordinator)
                #expect(rows.count == 3 && server.store.readStatementCount - before == 3, "the first reader reads no participant's file")
                #expect("\(rows)" == "\(try await TodayService(conduct: runtime.conduct).today(by: coordinator))", "the lines computed afresh")
            }
            let d0 = ConductData.siteToday.adding(days: 15)
            ada = try await server.saveVisit(ada, "D5", ["F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 5).description)]], by: coordinator)
            #expect(try await runtime.today.keepTodaysLines() == 1, "only the changed participant")
        }
    }
}

/// Eligibility is judged on the screening values: the same items measured after enrolment do not change the
/// verdict, whatever order a file's values come in (a PostgreSQL read without ORDER BY, another study's visit names).
@Suite("Eligibility from screening values only")
struct EligibilityScreeningValuesTests {
    @Test func valuesAfterEnrolmentDoNotChangeTheVerdict() async throws {
        try await TestServer.run(.sqlite) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let screening = server.services.runtime.screening
            #expect(screening.evaluate(try await screening.file(p.subjectID, by: coordinator)).overall == .eligible)
            // After lymphodepletion, haemoglobin 90 g/L and ANC 0.3: exclusion E7's thresholds, had they been at screening.
            let d0 = ConductData.siteToday.adding(days: 15)
            p = try await server.saveVisit(p, "D5", [
                "F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 5).description)],
                "F_LAB_HEM": ["HGB": Entry(value: "90", unit: "g/L", lln: "120", uln: "160"), "ANC": Entry(value: "0.3", unit: "10*9/L", lln: "1.8", uln: "7.5")],
            ], by: coordinator)
            var file = try await screening.file(p.subjectID, by: coordinator)
            #expect(file.values.contains { $0.address.eventOID.rawValue == "D5" && $0.address.itemOID.rawValue == "HGB" })
            #expect(screening.evaluate(file).overall == .eligible)
            file.values.reverse()
            #expect(screening.evaluate(file).overall == .eligible, "the screening haemoglobin and ANC decide, not the Day 5 ones")
            // The roster reads the screening values alone, and gives the states of the whole files.
            _ = try await server.register("Grace Hopper")
            let full = try await screening.files(by: coordinator).map { ScreeningRosterEntry(participant: $0.participant, state: screening.state($0)) }
            let roster = try await screening.roster(by: coordinator)
            #expect(roster.count == 2 && "\(roster)" == "\(full)")
        }
    }
}
