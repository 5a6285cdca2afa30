import CartaModel
import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CartaServer

/// The request path reads in a fixed, small number of statements: the participant page loads one
/// participant file (at most three statements) and the participant list, dashboard and API list load
/// a roster whose statement count does not grow with the number of participants.
/// Source: issue 6 "Done when" (at most 3 store reads for the participant page; a constant number for the list).
@Suite struct QueryCountTests {
    /// Statements a request runs beyond authentication (one joined session or token lookup).
    static func statements(_ server: TestServer, _ request: () async throws -> TestResponse) async throws -> (Int, TestResponse) {
        let before = server.store.readStatementCount
        let response = try await request()
        return (server.store.readStatementCount - before - 1, response)
    }

    /// The participant file is read in at most three statements (issue 6); the monitoring section added by
    /// issue 7 (queries with their threads, source-verification marks, casebook signatures) reads four more,
    /// and neither number grows with the queries, marks or signatures on the casebook.
    @Test(arguments: TestDatabase.engines)
    func participantPageReadsAFixedSmallNumberOfStatements(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.signedEligibleParticipant()
            let monitorPrincipal = try await server.principal(.monitor)
            let start = server.store.readStatementCount
            _ = try await server.services.screening.file(p.subjectID, by: monitorPrincipal, identity: true, history: true)
            let fileReads = server.store.readStatementCount - start
            #expect(fileReads <= 3, "the participant file took \(fileReads) statements")
            func pageStatements() async throws -> [Int] {
                var out: [Int] = []
                for caller in [Caller.investigator, .coordinator, .monitor] {
                    let session = try await client.webSignIn(caller, server: server)
                    let (n, page) = try await Self.statements(server) {
                        try await client.webGet("/participants/\(p.subjectID)", session: session)
                    }
                    #expect(page.status == .ok)
                    #expect(page.text.contains("eligibility-verdict") && page.text.contains(#"id="monitoring""#))
                    #expect(n <= 7, "\(caller): the participant page ran \(n) statements")
                    out.append(n)
                }
                return out
            }
            let monitor = try await server.principal(.monitor)
            _ = try await server.services.runtime.queries.raise(subjectID: p.subjectID, itemOID: "SEX", text: "Check sex", by: monitor)
            let bare = try await pageStatements()
            for item in ["ECOG", "WEIGHT", "HEIGHT", "PLT", "HGB"] {
                let q = try await server.services.runtime.queries.raise(subjectID: p.subjectID, itemOID: item, text: "Check \(item)", by: monitor)
                _ = try await server.services.runtime.queries.close(id: q.id, text: "ok", by: monitor)
            }
            for form in ["F_VITALS", "F_LAB_HEM"] {
                _ = try await server.services.runtime.sourceVerification.verify(subjectID: p.subjectID, formOID: form, by: monitor)
            }
            let busy = try await pageStatements()
            #expect(busy == bare, "the page's statement count grew with queries and marks: \(bare) → \(busy)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func listsReadAConstantNumberOfStatements(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let session = try await client.webSignIn(.coordinator, server: server)
            let token = try await client.token(.monitor)
            func counts() async throws -> [Int] {
                var out: [Int] = []
                for path in ["/participants", "/"] {
                    let (n, r) = try await Self.statements(server) { try await client.webGet(path, session: session) }
                    #expect(r.status == .ok)
                    out.append(n)
                }
                let (n, r) = try await Self.statements(server) { try await client.api(.get, "/api/v1/participants", token: token) }
                #expect(r.status == .ok)
                out.append(n)
                return out
            }
            _ = try await server.signedEligibleParticipant("Ada Lovelace")
            let withOne = try await counts()
            for name in ["Grace Hopper", "Mary Somerville", "Emmy Noether", "Lise Meitner"] {
                _ = try await server.enterEligibleData(try await server.register(name).subjectID)
            }
            let withFive = try await counts()
            #expect(withOne == withFive, "statements grew with participants: \(withOne) → \(withFive)")
            #expect(withFive.allSatisfy { $0 <= 2 }, "\(withFive)")
        }
    }
}
