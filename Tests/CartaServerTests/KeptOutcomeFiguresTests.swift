import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Each participant's outcome figures kept between whole-study passes (migration `0020_outcome_figures`,
/// `OutcomeService.keptPass`): a pass from kept figures gives what deriving afresh gives; any change to what the
/// figures were derived from forgets them in the same transaction, whichever way it is written; figures derived
/// from data that changed meanwhile are not kept; another study file, plug-in or build derives again.
@Suite("Kept outcome figures")
struct KeptOutcomeFiguresTests {
    /// The study-level figures without the participants, as canonical JSON (two passes agree when these do).
    static func studyLevel(_ o: StudyOutcomes) throws -> String {
        var o = o
        o.participants = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(o), as: UTF8.self)
    }

    /// A sourceless pass's rows of every table but `visits`, and its study-level figures.
    static func sourceless(_ service: OutcomeService, _ principal: Principal) async throws -> (rows: [String], study: String) {
        var rows: [String] = []
        let o = try await service.stream(by: principal, pageSize: 2, includeSources: false) { p in
            for table in OutcomeTables.Table.allCases where table != .visits { rows += OutcomeTables.rows(table, p).map { "\(table) \($0)" } }
        }
        return (rows, try studyLevel(o))
    }

    /// What deriving every participant afresh (the report's pass, with sources) gives, in the same shape.
    static func afresh(_ service: OutcomeService, _ principal: Principal) async throws -> (rows: [String], study: String) {
        let o = try await service.derive(by: principal)
        let rows = o.participants.flatMap { p in
            OutcomeTables.Table.allCases.filter { $0 != .visits }.flatMap { table in OutcomeTables.rows(table, p).map { "\(table) \($0)" } }
        }
        return (rows, try studyLevel(o))
    }

    @Test(arguments: TestDatabase.engines)
    func keptFiguresGiveWhatDerivingAfreshGivesAndAreForgottenOnAnyChange(engine: DatabaseEngine) async throws {
        try await DemoReportTests.demo(engine, participants: 5, seed: 11) { server, _, _, _ in
            let service = server.services.runtime.outcomes, store = server.store
            let statistician = try await server.principal(.statistician)
            let key = try #require(service.figuresKey())
            #expect(try await store.outcomeFiguresCount(key: key) == 0)

            // First pass: derives everyone and keeps their figures; second pass: reads them; both as deriving afresh.
            let expected = try await Self.afresh(service, statistician)
            #expect(expected.rows.count > 10)
            let cold = try await Self.sourceless(service, statistician)
            #expect(cold == expected)
            #expect(try await store.outcomeFiguresCount(key: key) == 5)
            let warm = try await Self.sourceless(service, statistician)
            #expect(warm == expected)
            // Participants without kept figures read with their page (as many on a large study's first pass) or by id.
            try await store.executeRaw("DELETE FROM outcome_figures")
            var byPage = service
            byPage.pageReadAbove = 0
            let paged = try await Self.sourceless(byPage, statistician)
            #expect(paged == expected)
            #expect(try await store.outcomeFiguresCount(key: key) == 5)

            // The second pass really reads what was kept: a kept row overwritten behind its back shows in the next pass.
            let subjects = try await store.participantFiles(studyID: StudyID(server.services.runtime.study.id)).map(\.participant)
            let first = try #require(subjects.first), second = subjects[1]
            try await store.executeRaw("""
                UPDATE outcome_figures SET figures = (SELECT f.figures FROM outcome_figures f WHERE f.participant_id = '\(second.id.rawValue)')
                WHERE participant_id = '\(first.id.rawValue)'
                """)
            let swapped = try await Self.sourceless(service, statistician).rows.filter { $0.hasPrefix("subjects [\"\(second.subjectID.rawValue)\",") }
            #expect(swapped.count == 2)
            // A row that does not decode is derived again (and kept again).
            try await store.executeRaw("UPDATE outcome_figures SET figures = \(engine == .sqlite ? "X'FF'" : "'\\xff'::bytea") WHERE participant_id = '\(first.id.rawValue)'")
            #expect(try await Self.sourceless(service, statistician) == expected)
            // Every participant's figures come back from their kept bytes exactly as derived.
            let files = try await store.participantFiles(studyID: StudyID(server.services.runtime.study.id))
            let allEvents = try await store.adverseEvents(participantIDs: files.map(\.participant.id))
            let accumulator = OutcomeDerivation.Accumulator(study: server.services.runtime.study, keepParticipants: false, includeSources: false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for input in service.inputs(files, events: allEvents) {
                let figures = accumulator.figures(input)
                let back = try PositionalCoder.decode(OutcomeDerivation.Accumulator.Figures.self, from: PositionalCoder.encode(figures))
                #expect(try encoder.encode(back) == encoder.encode(figures))
            }

            // A value saved through the services forgets that participant's figures in the same transaction, and only theirs.
            let file = try #require(try await store.participantFile(subjectID: first.subjectID, studyID: first.studyID, includeIdentity: false, includeHistory: false))
            let count = try #require(file.values.last { $0.address.itemOID.rawValue == "PLT" && $0.address.eventOID.rawValue == "M6" })
            _ = try await store.saveForms(participantID: first.id, eventOID: count.address.eventOID,
                                          forms: [(count.address.formOID, [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "5", unit: "10*9/L", standardValue: 5, standardUnit: "10*9/L"))])],
                                          expectedVersion: file.participant.version, reason: "transcription error",
                                          actor: AuditActor(userID: nil, username: "test", source: .cli), allowed: [.enrolled])
            #expect(try await store.outcomeFiguresCount(key: key) == 4)
            let changed = try await Self.afresh(service, statistician)
            let differs = changed.rows != expected.rows   // month 6 is no longer a response
            #expect(differs)
            #expect(try await Self.sourceless(service, statistician) == changed)
            #expect(try await store.outcomeFiguresCount(key: key) == 5)

            // Adverse events, the participant row and the date of birth are watched too, however they are written.
            let events = try await store.adverseEvents(participantIDs: subjects.map(\.id))
            let withEvent = try #require(subjects.first { events[$0.id]?.isEmpty == false })
            for (sql, whose) in [("UPDATE adverse_events SET grade = grade WHERE participant_id = '\(withEvent.id.rawValue)'", withEvent.id),
                                 ("UPDATE participants SET updated_by = updated_by WHERE id = '\(subjects[1].id.rawValue)'", subjects[1].id),
                                 ("UPDATE participant_identities SET date_of_birth = date_of_birth WHERE participant_id = '\(subjects[2].id.rawValue)'", subjects[2].id)] {
                #expect(try await store.tableContents("outcome_figures", orderBy: "participant_id").contains { $0.contains("participant_id=\(whose.rawValue)") })
                try await store.executeRaw(sql)
                #expect(try await store.outcomeFiguresCount(key: key) == 4, "\(sql)")
                #expect(try await Self.sourceless(service, statistician) == changed)
                #expect(try await store.outcomeFiguresCount(key: key) == 5)
            }

            // Figures derived from files read before the latest audited change are not kept.
            let head = try await store.auditHead()
            #expect(try await store.storeOutcomeFigures([(first.id, Data([1]))], key: "stale", readAt: head - 1) == false)
            #expect(try await store.outcomeFiguresCount(key: "stale") == 0)

            // Another build (or study file, or plug-in) derives again and keeps under its own key; without a build, nothing is kept.
            var rebuilt = service
            rebuilt.keptFiguresBuild = "another build"
            let otherKey = try #require(rebuilt.figuresKey())
            #expect(otherKey != key)
            #expect(try await Self.sourceless(rebuilt, statistician) == changed)
            #expect(try await store.outcomeFiguresCount(key: otherKey) == 5)
            #expect(try await store.outcomeFiguresCount(key: key) == 0)
            var unbuilt = service
            unbuilt.keptFiguresBuild = nil
            #expect(unbuilt.figuresKey() == nil)
            #expect(try await Self.sourceless(unbuilt, statistician) == changed)
            #expect(try await store.outcomeFiguresCount(key: otherKey) == 5)
            #expect(try await store.outcomeFiguresCount(key: key) == 0)
        }
    }
}
