import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
@testable import CartaTrial
import Foundation
import Synchronization
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
            for table in OutcomeTables.Table.allCases where table != .visits { rows += OutcomeTables.rows(table, p, synthetic: true).map { "\(table) \($0)" } }
        }
        return (rows, try studyLevel(o))
    }

    /// What deriving every participant afresh (the report's pass, with sources) gives, in the same shape.
    static func afresh(_ service: OutcomeService, _ principal: Principal) async throws -> (rows: [String], study: String) {
        let o = try await service.derive(by: principal)
        let rows = o.participants.flatMap { p in
            OutcomeTables.Table.allCases.filter { $0 != .visits }.flatMap { table in OutcomeTables.rows(table, p, synthetic: true).map { "\(table) \($0)" } }
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
            // Sign-ins, failed passwords and sign-outs change no study data: they do not move the data head, so figures read
            // before them are kept and a data cut across them is consistent (a sign-in during a report build marked it mixed).
            let accounts = server.services.runtime.accounts
            _ = try await accounts.signIn(username: statistician.user.username, password: "wrong password", source: .web)
            _ = try await accounts.signIn(username: "nobody-at-all", password: "wrong password", source: .api)
            let rawHead = try await store.tableContents("audit_events", orderBy: "seq").count
            #expect(rawHead > head, "the failed sign-ins were audited")
            #expect(try await store.auditHead() == head)
            #expect(try await store.storeOutcomeFigures([(first.id, Data([1]))], key: "across sign-ins", readAt: head) == true)
            #expect(try await store.outcomeFiguresCount(key: "across sign-ins") == 1)
            try await store.executeRaw("DELETE FROM outcome_figures WHERE derivation_key = 'across sign-ins'")

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

    /// Each type's stored properties in declaration order, as `KeptFiguresReader` reads them. A property added,
    /// removed or moved in any of these types fails `theKeptFiguresReaderReadsWhatPositionalCoderWrote` here: then
    /// update the reader (and this table) in the same change.
    static let readerLayout: [String: [String]] = [
        "Figures": ["participant", "contribution"],
        "Participant": ["subjectID", "siteID", "ageYears", "sex", "weightKg", "dayZero", "baseline", "bestOverallResponse", "statusAtMonth6",
                        "timeToResponseDays", "completeResponseIWGDay", "completeResponseProtocolLiteralDay", "crDiscordant", "durationOfResponse",
                        "daysInResponse", "daysObserved", "lossOfResponseDay", "maxCRSGrade", "maxICANSGrade", "crsOnsetDay", "icansOnsetDay",
                        "seriousEventDays", "adverseEvents", "seriousAdverseEvents", "worstAdverseEventGrade", "maxBleedingScore",
                        "bleedingAssessmentsWithBleeding", "severeBleeding", "plateletTransfusions", "rescueTherapies", "concomitantTherapy",
                        "steroidDose", "questionnaires", "endOfStudy", "endOfStudyDay", "labWorsening", "itpBat", "worstITPBAT", "sources", "problems"],
        "Duration": ["days", "event", "end"],
        "ConcomitantTherapy": ["drugs", "anyReduction", "anySecondaryReduction", "anyDiscontinuation", "treatmentFailure", "drugsAtBaseline",
                               "drugsAtMonth6", "steroidBaselineMgPerDay", "steroidPercentChangeMonth3", "steroidPercentChangeMonth6", "equivalenceTable"],
        "DrugOutcome": ["drug", "drugClass", "intensityUnit", "baselineIntensity", "reductionDay", "secondaryReductionDay", "discontinuationDay",
                        "daysOff", "daysReduced", "percentChangeMonth3", "percentChangeMonth6", "increased", "newDrug"],
        "DosePoint": ["day", "mgPerDay"],
        "QuestionnaireForm": ["visitID", "date", "day", "version", "language", "answered", "items", "scales"],
        "ScaleScore": ["scale", "score", "answered", "items", "status", "minimalImportantDifference"],
        "LabWorsening": ["term", "baselineGrade", "worstGrade"],
        "BleedingToolPoint": ["visitID", "date", "day", "skin", "mucosae", "organs"],
        "SourceValue": ["visitID", "formOID", "itemOID", "date", "day", "value", "number", "unit", "status", "basis", "rules", "path"],
        "Contribution": ["response", "incidence", "crs", "icans", "treatedCRSAssessments", "questionnaireAnswers", "lymphodepletionStart"],
        "Response": ["responder", "completeIWG", "completeLiteral"],
        "Incidence": ["key", "grade", "serious"],
        "Syndrome": ["maxGrade", "onsetDay", "durationDays"],
        "Answer": ["item", "code"],
    ]

    /// The stored properties of every struct inside `value` (through optionals and arrays), by type name; the
    /// primitives `PositionalCoder` writes directly are leaves.
    static func layouts(of value: Any, into seen: inout [String: [String]]) {
        if value is String || value is Int || value is Double || value is Bool || value is ClinicalDate { return }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional?, .collection?:
            for child in mirror.children { layouts(of: child.value, into: &seen) }
        case .struct?:
            seen["\(mirror.subjectType)"] = mirror.children.map { $0.label ?? "?" }
            for child in mirror.children { layouts(of: child.value, into: &seen) }
        default:
            seen["\(mirror.subjectType)"] = ["not a struct, an array, an optional or a primitive"]
        }
    }

    /// A participant with every optional part present and every list filled, so each branch of the reader runs.
    static let everyPart: StudyOutcomes.Participant = {
        let date = ClinicalDate(iso: "2026-05-15")!
        var p = StudyOutcomes.Participant(
            subjectID: "BCRITP-9 · 苏州", siteID: "SUZHOU", ageYears: 41, sex: "F", weightKg: 63.5, dayZero: date, baseline: 12, bestOverallResponse: "CR",
            statusAtMonth6: "R", timeToResponseDays: 14, completeResponseIWGDay: 21, completeResponseProtocolLiteralDay: 28, crDiscordant: true,
            durationOfResponse: .init(days: 160, event: false, end: "lastEvaluableAssessment"), daysInResponse: 150, daysObserved: 183,
            lossOfResponseDay: 170, maxCRSGrade: 2, maxICANSGrade: 1, crsOnsetDay: 1, icansOnsetDay: 5, seriousEventDays: [3, -2],
            adverseEvents: 4, seriousAdverseEvents: 2, worstAdverseEventGrade: 3, maxBleedingScore: 7, bleedingAssessmentsWithBleeding: 2,
            severeBleeding: true, plateletTransfusions: 1, rescueTherapies: 1,
            sources: [.init(visitID: "D7", formOID: "F_LAB_HEM", itemOID: "PLT", date: date.adding(days: 7), day: 7, value: "35", number: 35,
                            status: "NR", basis: "below 30", rules: ["B", "E"], path: "/participants/x/visits/D7")],
            problems: ["no baseline count"])
        p.concomitantTherapy = .init(
            drugs: [.init(drug: "prednisone", drugClass: "corticosteroid", intensityUnit: "mg/day", baselineIntensity: 20, reductionDay: 30,
                          secondaryReductionDay: 60, discontinuationDay: 90, daysOff: 93, daysReduced: 153, percentChangeMonth3: -100,
                          percentChangeMonth6: -100, increased: true, newDrug: true)],
            anyReduction: true, anySecondaryReduction: true, anyDiscontinuation: true, treatmentFailure: true, drugsAtBaseline: 1, drugsAtMonth6: 0,
            steroidBaselineMgPerDay: 20, steroidPercentChangeMonth3: -100, steroidPercentChangeMonth6: -100.0, equivalenceTable: "v1")
        p.steroidDose = [.init(day: -28, mgPerDay: 20), .init(day: 90, mgPerDay: 0)]
        p.questionnaires = [.init(visitID: "M3", date: date.adding(days: 91), day: 91, version: "1.0", language: "zh", answered: 44, items: 44,
                                  scales: [ScaleScore(scale: "Symptoms", score: 62.5, answered: 6, items: 6, status: "scored", minimalImportantDifference: 8)])]
        p.endOfStudy = "completed"
        p.endOfStudyDay = 183
        p.labWorsening = [.init(term: "Neutrophil count decreased", baselineGrade: 0, worstGrade: 4)]
        p.itpBat = [.init(visitID: "D1", date: date.adding(days: 1), day: 1, skin: 2, mucosae: 1, organs: 0)]
        p.worstITPBAT = "S2M1O0"
        return p
    }()

    /// The hand-written reader of kept figures (`Figures(kept:)`, which every pass from kept figures uses) reads
    /// exactly what `PositionalCoder` wrote, as `Codable` reads it back: every demo participant's figures with and
    /// without sources, and a participant with every part present; any shortened or lengthened bytes are refused;
    /// and every type's stored properties are still those the reader reads, in its order.
    @Test func theKeptFiguresReaderReadsWhatPositionalCoderWrote() async throws {
        try await DemoReportTests.demo(.sqlite, participants: 5, seed: 11) { server, _, _, _ in
            let runtime = server.services.runtime, store = server.store
            let files = try await store.participantFiles(studyID: StudyID(runtime.study.id))
            let events = try await store.adverseEvents(participantIDs: files.map(\.participant.id))
            let inputs = runtime.outcomes.inputs(files, events: events)
            var kept: [[UInt8]] = []
            for includeSources in [false, true] {
                var accumulator = OutcomeDerivation.Accumulator(study: runtime.study, keepParticipants: false, includeSources: includeSources)
                for input in inputs {
                    let figures = accumulator.figures(input)
                    let bytes = try PositionalCoder.encode(figures)
                    kept.append(bytes)
                    // The figures are the participant then the contribution: the same contribution after a participant with every part.
                    let participant = try PositionalCoder.encode(accumulator.add(figures))
                    #expect(bytes.starts(with: participant))
                    kept.append(try PositionalCoder.encode(Self.everyPart) + bytes.dropFirst(participant.count))
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var seen: [String: [String]] = [:]
            for bytes in kept {
                let byCodable = try PositionalCoder.decode(OutcomeDerivation.Accumulator.Figures.self, from: bytes)
                let byReader = try OutcomeDerivation.Accumulator.Figures(kept: Data(bytes))
                #expect(try encoder.encode(byReader) == encoder.encode(byCodable))
                #expect(try PositionalCoder.encode(byReader) == bytes)
                Self.layouts(of: byReader, into: &seen)
                let readPrefixes = (0..<bytes.count).filter { (try? OutcomeDerivation.Accumulator.Figures(kept: Data(bytes[..<$0]))) != nil }
                #expect(readPrefixes.isEmpty)
                #expect(throws: PositionalCoder.Unsupported.self) { try OutcomeDerivation.Accumulator.Figures(kept: Data(bytes + [0])) }
            }
            // The participant with every part comes back as built.
            func canonical(_ json: Any) throws -> Data { try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) }
            let read = try #require(try JSONSerialization.jsonObject(with: encoder.encode(OutcomeDerivation.Accumulator.Figures(kept: Data(kept[1])))) as? [String: Any])
            #expect(try canonical(try #require(read["participant"])) == canonical(JSONSerialization.jsonObject(with: encoder.encode(Self.everyPart))))
            #expect(seen == Self.readerLayout)
            // A corrupt string length of 2⁶³ or more (the subject ID comes first) is refused, not trapped on.
            #expect(throws: PositionalCoder.Unsupported.self) {
                try OutcomeDerivation.Accumulator.Figures(kept: Data(repeating: 0xFF, count: 9) + Data([0x01]))
            }
        }
    }

    /// What `carta serve` runs in the background at start: every enrolled participant without figures under the current
    /// key gets them, whatever the sites; a second run finds nothing to do; the next reader's pass reads them and
    /// gives what deriving afresh gives. A cancelled run stops before its first page.
    @Test(arguments: TestDatabase.engines)
    func missingFiguresAreKeptAheadOfTheFirstReader(engine: DatabaseEngine) async throws {
        try await DemoReportTests.demo(engine, participants: 3, seed: 5) { server, _, _, _ in
            let service = server.services.runtime.outcomes, store = server.store
            let key = try #require(service.figuresKey())
            let cancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await service.keepMissingFigures()
            }
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(try await store.outcomeFiguresCount(key: key) == 0)

            #expect(try await service.keepMissingFigures(pageSize: 2) == 3)
            #expect(try await store.outcomeFiguresCount(key: key) == 3)
            #expect(try await service.keepMissingFigures() == 0)
            let statistician = try await server.principal(.statistician)
            #expect(try await Self.sourceless(service, statistician) == Self.afresh(service, statistician))
            // A changed participant loses its figures (trigger) and is the only one kept again.
            try await store.executeRaw("UPDATE participants SET updated_by = 'changed' WHERE sequence_number = 1")
            #expect(try await service.keepMissingFigures() == 1)
        }
    }

    /// A whole-study pass from kept figures waits for `carta serve`'s background pass (`BackgroundKeeping`) instead of
    /// deriving the same participants beside it; a site-bound reader does not wait for the whole study's, and a
    /// cancelled background pass holds no one.
    @Test func aWholeStudyPassWaitsForTheBackgroundPass() async throws {
        try await DemoReportTests.demo(.sqlite, participants: 2, seed: 5) { server, _, _, _ in
            let service = server.services.runtime.outcomes, statistician = try await server.principal(.statistician)
            let released = Mutex(false)
            let slow = Task<Int, any Error> {
                try await Task.sleep(for: .milliseconds(300))
                released.withLock { $0 = true }
                return 0
            }
            service.background.task.withLock { $0 = slow }
            var read = 0
            _ = try await service.stream(by: statistician, includeSources: false) { _ in
                read += 1
                #expect(released.withLock { $0 }, "a participant was read before the background pass ended")
            }
            #expect(read == 2)

            let never = Task<Int, any Error> { try await Task.sleep(for: .seconds(3_600)); return 0 }
            service.background.task.withLock { $0 = never }
            let siteBound = Principal(try await server.store.createUser(username: "stat-suzhou", displayName: "Suzhou", role: .statistician,
                                                                         sites: .only([SiteID("SUZHOU")]), passwordHash: "$2b$12$placeholder",
                                                                         actor: Fixtures.cliActor), source: .api)
            read = 0
            _ = try await service.stream(by: siteBound, includeSources: false) { _ in read += 1 }
            #expect(read == 2, "the site-bound reader did not wait")
            never.cancel()
            read = 0
            _ = try await service.stream(by: statistician, includeSources: false) { _ in read += 1 }
            #expect(read == 2, "a cancelled background pass holds no one")

            // The real one: registered, waited for, and what it kept is what the reader then reads.
            try await server.store.executeRaw("DELETE FROM outcome_figures")
            let pass = service.keepMissingFiguresInBackground()
            let afterIt = try await Self.sourceless(service, statistician)
            #expect(try await pass.value == 2)
            #expect(afterIt == (try await Self.afresh(service, statistician)))
        }
    }
}
