import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Courses for the outcome tests, entered through the conduct service like real data.
enum OutcomeData {
    static let noBleeding: [String: Entry] = ["BLEED_SKIN": Entry(value: "none"), "BLEED_MUCOSAL": Entry(value: "none"),
                                              "BLEED_VISCERAL": Entry(value: "none"), "BLEED_CNS": Entry(value: "false")]
    static let skinBleeding: [String: Entry] = ["BLEED_SKIN": Entry(value: "body"), "BLEED_MUCOSAL": Entry(value: "none"),
                                                "BLEED_VISCERAL": Entry(value: "none"), "BLEED_CNS": Entry(value: "false")]

    /// A follow-up visit on `date` with a platelet count, a bleeding assessment and (optionally) a transfusion.
    static func followUp(_ date: ClinicalDate, platelets: String, bleeding: [String: Entry] = noBleeding,
                         transfusedOn: ClinicalDate? = nil) -> [String: [String: Entry]] {
        var forms: [String: [String: Entry]] = [
            "F_VISIT": ["VISIT_DATE": Entry(value: date.description)],
            "F_LAB_HEM": ["PLT": Entry(value: platelets, unit: "10*9/L", lln: "150", uln: "400")],
            "F_BLEED": bleeding,
        ]
        if let transfusedOn {
            forms["F_TRANSFUSION"] = ["PLT_TRANSFUSED": Entry(value: "true"), "PLT_TRANSFUSION_DATE": Entry(value: transfusedOn.description)]
        }
        return forms
    }
}

/// The outcome measures (issue 9 scope 1) derived from data entered through the services: a responder
/// with a confirmed CR that is later lost, and a non-responder whose count after a transfusion is not
/// evaluable — through the service, the API (JSON and CSV) and the web, on both engines.
@Suite("Outcome derivation")
struct OutcomeTests {
    /// Responder: baseline 25 (screening), D0 40, M1 120, M2 150 (CR confirmed from day 28), M3 20, M4 22
    /// (loss from day 90): best response CR, time to response 28 days, duration 62 days, an event.
    /// Non-responder: D0 15, M1 60 two days after a platelet transfusion (not evaluable, rule E), M2 22 with
    /// skin bleeding (NR).
    @Test(arguments: TestDatabase.engines)
    func responseTimeAndDurationFromTheCapturedCourse(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await server.principal(.coordinator)
            var a = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            var b = try await server.infusedParticipant("Grace Hopper", platelets: "15")
            let d0 = ConductData.siteToday.adding(days: 15)
            a = try await server.saveVisit(a, "D1", ["F_VISIT": ["VISIT_DATE": Entry(value: d0.adding(days: 1).description)], "F_CRS": ConductData.crs()], by: coordinator)
            for (visit, day, plt) in [("M1", 28, "120"), ("M2", 60, "150"), ("M3", 90, "20"), ("M4", 120, "22")] {
                a = try await server.saveVisit(a, visit, OutcomeData.followUp(d0.adding(days: day), platelets: plt), by: coordinator)
            }
            b = try await server.saveVisit(b, "M1", OutcomeData.followUp(d0.adding(days: 28), platelets: "60", transfusedOn: d0.adding(days: 26)), by: coordinator)
            b = try await server.saveVisit(b, "M2", OutcomeData.followUp(d0.adding(days: 60), platelets: "22", bleeding: OutcomeData.skinBleeding), by: coordinator)
            _ = try await server.services.runtime.adverseEvents.record(AdverseEventData.serious(), subjectID: a.subjectID, by: coordinator)

            let o = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            #expect(o.treated == 2)
            let pa = try #require(o.participants.first { $0.subjectID == a.subjectID.rawValue })
            let pb = try #require(o.participants.first { $0.subjectID == b.subjectID.rawValue })
            #expect(pa.baseline == 25 && pa.bestOverallResponse == "CR" && pa.timeToResponseDays == 28)
            #expect(pa.completeResponseIWGDay == 28 && pa.completeResponseProtocolLiteralDay == 28 && !pa.crDiscordant)
            #expect(pa.durationOfResponse?.days == 62 && pa.durationOfResponse?.event == true && pa.durationOfResponse?.end == "loss" && pa.lossOfResponseDay == 90)
            #expect(pa.maxCRSGrade == 1 && pa.seriousAdverseEvents == 1)
            #expect(pb.bestOverallResponse == "NR" && pb.timeToResponseDays == nil && pb.durationOfResponse == nil && pb.plateletTransfusions == 1)
            // Every count is traceable: its visit, item, the engine's status and the rules that used it.
            let m1 = try #require(pb.sources.first { $0.visitID == "M1" && $0.itemOID == "PLT" })
            #expect(m1.status == "NE" && m1.basis == "transfusionWindow" && m1.rules == ["E"] && m1.day == 28)
            #expect(m1.path == "/participants/\(b.subjectID)/visits/M1")
            let baseline = try #require(pa.sources.first { $0.itemOID == "PLT" && $0.rules.contains("B") })
            #expect(baseline.value == "25 ×10⁹/L" && baseline.visitID == "SCR")
            #expect(pb.sources.contains { $0.visitID == "M2" && $0.formOID == "F_BLEED" && $0.value.hasPrefix("bleeding") })
            // Study level: 1/2 = 50.0 % with the exact interval; KM of the one responder.
            let orr = try #require(o.overallResponse)
            #expect(orr.successes == 1 && orr.total == 2 && orr.percentText == "50.0%")
            #expect(abs(orr.lower - 0.01257911) < 1e-6 && abs(orr.upper - 0.98742089) < 1e-6)
            #expect(o.timeToResponse.n == 1 && o.timeToResponse.median == 28 && o.timeToResponse.minimum == 28 && o.timeToResponse.maximum == 28)
            let dor = try #require(o.durationOfResponse)
            #expect(dor.responders == 1 && dor.events == 1 && dor.medianDays == 62 && dor.atRisk == [1, 1, 1, 0, 0, 0, 0])
            let crs = try #require(o.adverseEventsByTerm.first { $0.term == "Cytokine release syndrome" })
            // The logged serious CRS (grade 3) and the grade-1 episode of the assessments count once, at grade 3.
            #expect(crs.participants == 1 && crs.byWorstGrade == [0, 0, 1, 0, 0] && crs.serious == 1)
            #expect(o.crs.participants == 1 && o.crs.onsetDays == [1] && o.participantsWithSeriousEvents == 1)
            #expect(o.participantsWithBleeding == 1 && o.participantsWithSevereBleeding == 0)

            // Streamed one participant per page: the same rows and the same study-level figures, without holding the participants.
            var streamed: [StudyOutcomes.Participant] = []
            let s = try await server.services.runtime.outcomes.stream(by: try await server.principal(.statistician), pageSize: 1) { streamed.append($0) }
            #expect(streamed.flatMap { OutcomeTables.rows(.visits, $0, synthetic: false) } == o.participants.flatMap { OutcomeTables.rows(.visits, $0, synthetic: false) })
            #expect(streamed.flatMap { OutcomeTables.rows(.subjects, $0, synthetic: false) } == o.participants.flatMap { OutcomeTables.rows(.subjects, $0, synthetic: false) })
            #expect(s.participants.isEmpty && s.overallResponse == o.overallResponse && s.registered == o.registered && s.enrolled == 2)
            // Without sources (the tables other than `visits`): the same rows of those tables and the same study-level figures.
            var bare: [StudyOutcomes.Participant] = []
            let withoutSources = try await server.services.runtime.outcomes.stream(by: try await server.principal(.statistician), includeSources: false) { bare.append($0) }
            #expect(bare.allSatisfy(\.sources.isEmpty) && o.participants.contains { !$0.sources.isEmpty })
            for table in OutcomeTables.Table.allCases where table != .visits {
                #expect(bare.flatMap { OutcomeTables.rows(table, $0, synthetic: false) } == o.participants.flatMap { OutcomeTables.rows(table, $0, synthetic: false) }, "\(table)")
            }
            #expect(OutcomeTables.csv(.ae, withoutSources) == OutcomeTables.csv(.ae, o) && withoutSources.durationOfResponse == o.durationOfResponse
                    && withoutSources.overallResponse == o.overallResponse)
            // The total its progress bar counts up to (`carta derive --format csv`) is the number of participants the pass reads.
            #expect(try await server.services.runtime.outcomes.participantTotal(by: try await server.principal(.statistician)) == s.registered)
            #expect(OutcomeTables.csv(.ae, s) == OutcomeTables.csv(.ae, o) && s.durationOfResponse == o.durationOfResponse)

            // The API returns the same figures; the CSV tables are analysis-ready.
            let token = try await client.token(.statistician)
            let json = try await client.api(.get, "/api/v1/outcomes", token: token)
            #expect(json.status == .ok && json.json?["treated"] == 2)
            #expect(json.json?["overallResponse"]?["percentText"] == "50.0%")
            // Streamed, yet the same object as the whole derivation encoded at once (members in another order).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            // The same data cut too: the token's sign-in is audited but is no data change.
            let streamedObject = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? NSDictionary
            let wholeObject = try JSONSerialization.jsonObject(with: encoder.encode(o)) as? NSDictionary
            #expect(streamedObject != nil && streamedObject == wholeObject)
            #expect((streamedObject?["participants"] as? [Any])?.count == 2)
            let subjects = try await client.api(.get, "/api/v1/outcomes/tables/subjects", token: token)
            #expect(subjects.status == .ok && subjects.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = subjects.text.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 3 && lines[0].hasPrefix("USUBJID,SITEID,DAY0,BASELINE_PLT,BOR"))
            #expect(lines.contains { $0.hasPrefix("\(a.subjectID),") && $0.contains(",25,CR,") })
            let tte = try await client.api(.get, "/api/v1/outcomes/tables/tte", token: token)
            #expect(tte.text.contains("\(a.subjectID),DOR,62,0,loss,N"))
            // Every table ends with SYNTHETIC, N on every row of a real database; the visits table carries each count's
            // number and unit in their own columns beside its words.
            for table in OutcomeTables.Table.allCases {
                let csvLines = OutcomeTables.csv(table, o).split(separator: "\r\n")
                #expect(csvLines.first?.hasSuffix(",SYNTHETIC") == true && csvLines.dropFirst().allSatisfy { $0.hasSuffix(",N") }, "\(table)")
            }
            let visits = OutcomeTables.csv(.visits, o).split(separator: "\r\n").map(String.init)
            #expect(visits[0] == "USUBJID,VISIT,FORM,ITEM,DATE,DAY,VALUE,AVAL,AVALU,STATUS,BASIS,RULES,SYNTHETIC")
            let counts = visits.dropFirst().filter { $0.contains(" ×10⁹/L,") }
            #expect(!counts.isEmpty && counts.allSatisfy { line in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return cells.count == 13 && cells[6] == cells[7] + " ×10⁹/L" && Double(cells[7]) != nil && cells[8] == "10*9/L"
            }, "\(counts.prefix(3))")
            // Streamed downloads: every table byte for byte the table of the whole derivation.
            for table in OutcomeTables.Table.allCases {
                let download = try await client.api(.get, "/api/v1/outcomes/tables/\(table.rawValue)", token: token)
                #expect(download.status == .ok && download.text == OutcomeTables.csv(table, o), "\(table)")
            }
            let unknown = try await client.api(.get, "/api/v1/outcomes/tables/secrets", token: token)
            expectErrorShape(unknown, .notFound)
        }
    }

    /// Pure derivation rules that need no database: the median of whole days, CSV quoting against
    /// spreadsheet formulas, and a participant without Day 0 outside the analysis population.
    @Test func medianQuotingAndPopulation() throws {
        #expect(OutcomeDerivation.median([]) == nil)
        #expect(OutcomeDerivation.median([10, 20, 40]) == 20)
        #expect(OutcomeDerivation.median([10, 20, 40, 60]) == 30)
        #expect(OutcomeTables.quote("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(OutcomeTables.quote("-5") == "-5" && OutcomeTables.quote("a,b") == "\"a,b\"")
        let study = try StudyLoader.builtIn()
        let participant = Participant(id: ParticipantID(rawValue: "p1"), studyID: StudyID(study.id), subjectID: SubjectID("BCRITP-009"), sequenceNumber: 9,
                                      siteID: SiteID("SUZHOU"), status: .enrolled, version: 3, createdAt: Date(timeIntervalSince1970: 0),
                                      updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "x", enrolledAt: Date(timeIntervalSince1970: 0), screenFailureReasons: [])
        let file = ParticipantFile(participant: participant, dateOfBirth: nil, identity: nil, latestDecision: nil, values: [])
        let o = OutcomeDerivation.derive([.init(record: ParticipantCourseRecord(file: file, study: study), events: [], episodes: [])], study: study)
        #expect(o.treated == 0 && o.overallResponse == nil && o.durationOfResponse == nil)
        #expect(o.participants.first?.bestOverallResponse == nil && o.participants.first?.problems.last?.contains("No CAR-T infusion") == true)
    }
}
