import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Simultaneous requests keep subject numbers unique, the enrolment cap exact and the audit chain linear.
/// Source: issue 2 §3–6 (subject IDs by the study's pattern; enrolment stops at the target; audit
/// records chained one after another) — on both engines, where PostgreSQL writers run in parallel.
@Suite("Concurrent requests")
struct ConcurrencyTests {
    @Test(arguments: TestDatabase.engines)
    func simultaneousRegistrationsGetDistinctSubjectIDs(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let token = try await client.token(.coordinator)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for i in 1...6 {
                    group.addTask {
                        let r = try await client.api(.post, "/api/v1/participants", token: token,
                                                     json: ["fullName": .string("Person \(i)"), "dateOfBirth": "1980-01-01", "hospitalNumber": .string("H-\(i)")])
                        return (r.status, r.json?["subjectID"]?.string)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .created }, "\(statuses)")
            #expect(Set(statuses.compactMap(\.1)) == Set((1...6).map { Fixtures.bcritpSubjectID($0).rawValue }))
            let trail = try await server.store.auditTrail(entity: nil, entityID: nil)
            #expect(try await server.store.verifyAuditChain() == .intact(count: trail.count))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func twoEnrolmentsRaceForTheLastPlace(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let token = try await client.token(.coordinator)
            var ready: [Participant] = []
            for i in 1...6 { ready.append(try await server.signedEligibleParticipant("Person \(i)")) }
            let coordinator = try await server.principal(.coordinator)
            for p in ready.prefix(4) { _ = try await server.services.screening.enrol(subjectID: p.subjectID, expectedVersion: p.version, by: coordinator) }
            let racers = Array(ready.suffix(2))
            let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for p in racers {
                    group.addTask {
                        try await client.api(.post, "/api/v1/participants/\(p.subjectID)/enrolment", token: token,
                                             json: ["version": .number(Double(p.version))])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.status == .ok }.count == 1, "\(results.map(\.status))")
            let refused = try #require(results.first { $0.status != .ok })
            expectErrorShape(refused, .conflict, code: "enrolment_full")
            let enrolled = try await server.store.participants(studyID: StudyID(server.services.study.id)).filter { $0.status == .enrolled }
            #expect(enrolled.count == 5)
        }
    }
}
