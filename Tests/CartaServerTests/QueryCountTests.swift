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

    @Test(arguments: TestDatabase.engines)
    func participantPageReadsAtMostThreeStatements(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.signedEligibleParticipant()
            for caller in [Caller.investigator, .coordinator, .monitor] {
                let session = try await client.webSignIn(caller, server: server)
                let (n, page) = try await Self.statements(server) {
                    try await client.webGet("/participants/\(p.subjectID)", session: session)
                }
                #expect(page.status == .ok)
                #expect(page.text.contains("eligibility-verdict"))
                #expect(n <= 3, "\(caller): the participant page ran \(n) statements")
            }
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
