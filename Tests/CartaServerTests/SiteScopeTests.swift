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

/// Users see and act on their own sites' participants only, on every path; a participant of another
/// site answers exactly as an unknown subject ID does.
/// Source: issue 7 scope 1 ("Users belong to one or more sites and see only their sites' participants";
/// tests: "cross-site access by ID"); standards.md R-AC-1.
@Suite("Site scope")
struct SiteScopeTests {
    /// The built-in study with a second site, WUXI.
    static func twoSiteStudy() throws -> Study {
        let yaml = try BuiltInStudy.yamlText()
        let anchor = "    timeZone: Asia/Shanghai\n"
        let range = try #require(yaml.range(of: anchor))
        let extra = anchor + """
              - id: WUXI
                name: Wuxi People's Hospital (test site)
                address: Wuxi, Jiangsu, China
                timeZone: Asia/Shanghai

            """
        return try StudyLoader.load(yaml: yaml.replacingCharacters(in: range, with: extra))
    }

    static let password = "site-scope-pass-0123"

    /// Creates `name` with `role` at `sites` and returns its principal for service calls.
    static func user(_ server: TestServer, _ name: String, _ role: UserRole, _ sites: SiteAccess) async throws -> Principal {
        let user = try await server.store.createUser(username: name, displayName: name, role: role, sites: sites,
                                                     passwordHash: server.services.auth.hash(password), actor: Fixtures.cliActor)
        return Principal(user, source: .api)
    }

    @Test(arguments: TestDatabase.engines)
    func otherSitesParticipantsAreInvisibleOnEveryPath(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try Self.twoSiteStudy()) { server, client in
            let suzhou = try await Self.user(server, "cora-sz", .coordinator, .only(["SUZHOU"]))
            let wuxi = try await Self.user(server, "cora-wx", .coordinator, .only(["WUXI"]))
            let wuxiMonitor = try await Self.user(server, "mona-wx", .monitor, .only(["WUXI"]))
            let screening = server.services.screening
            let a = try await screening.register(fullName: "Ada Lovelace", dateOfBirth: "1980-05-17", hospitalNumber: "H-1",
                                                 siteID: nil, by: suzhou)
            let b = try await screening.register(fullName: "Grace Hopper", dateOfBirth: "1970-12-09", hospitalNumber: "H-2",
                                                 siteID: nil, by: wuxi)
            #expect(a.siteID == "SUZHOU" && b.siteID == "WUXI", "registration defaults to the user's own site")

            // Application layer: lists, files and writes.
            #expect(try await screening.participants(by: wuxi).map(\.subjectID) == [b.subjectID])
            #expect(try await screening.roster(by: wuxiMonitor).map(\.participant.subjectID) == [b.subjectID])
            let overview = try await screening.rosterOverview(by: wuxiMonitor)
            #expect(overview.participants.map(\.subjectID) == [b.subjectID] && overview.inScreening.map(\.participant.subjectID) == [b.subjectID])
            await #expect(throws: WorkflowError(.notFound, "No participant \(a.subjectID) in study NCT05315778 at your sites.")) {
                _ = try await screening.file(a.subjectID, by: wuxi)
            }
            let before = try await server.snapshot()
            await #expect(throws: WorkflowError.self) {
                _ = try await screening.saveForms(subjectID: a.subjectID, forms: ["F_VITALS": ["ECOG": RawEntry(value: "1")]],
                                                  expectedVersion: a.version, reason: nil, by: wuxi)
            }
            do {
                _ = try await screening.register(fullName: "Mary Somerville", dateOfBirth: "1980-12-26", hospitalNumber: "H-3",
                                                 siteID: "SUZHOU", by: wuxi)
                Issue.record("registered at a site the user does not belong to")
            } catch let e as WorkflowError {
                #expect(e.field == "site" && e.message.contains("do not belong to site SUZHOU"), "\(e)")
            }
            #expect(try await server.snapshot() == before, "a refused cross-site write changed the database")

            // API: another site's participant answers exactly like an unknown one.
            let token = try await client.token(username: "cora-wx", password: Self.password)
            let beforeAPI = try await server.snapshot()
            let list = try await client.api(.get, "/api/v1/participants", token: token)
            #expect(list.status == .ok && list.text.contains(b.subjectID.rawValue) && !list.text.contains(a.subjectID.rawValue))
            let unknown = try await client.api(.get, "/api/v1/participants/BCRITP-999", token: token)
            for path in ["/api/v1/participants/\(a.subjectID)", "/api/v1/participants/\(a.subjectID)/eligibility",
                         "/api/v1/audit?subjectID=\(a.subjectID)"] {
                let r = try await client.api(.get, path, token: token)
                expectErrorShape(r, .notFound, code: "not_found")
                #expect(r.text.replacingOccurrences(of: a.subjectID.rawValue, with: "BCRITP-999") == unknown.text, "\(path): \(r.text)")
            }
            for (method, path, body) in [
                (HTTPRequest.Method.put, "/api/v1/participants/\(a.subjectID)/forms/F_VITALS",
                 JSON.object(["version": .number(Double(a.version)), "items": ["ECOG": ["value": "1"]]])),
                (.post, "/api/v1/participants/\(a.subjectID)/enrolment", ["version": .number(Double(a.version))]),
                (.post, "/api/v1/participants/\(a.subjectID)/screen-failure", ["version": .number(Double(a.version)), "reasons": ["x"]]),
            ] {
                expectErrorShape(try await client.api(method, path, token: token, json: body), .notFound, code: "not_found")
            }
            #expect(try await server.snapshot() == beforeAPI)

            // Web: the page is "not found", the list and the dashboard leave the participant out.
            let session = try await client.webSignIn(username: "cora-wx", password: Self.password, server: server)
            #expect(try await client.webGet("/participants/\(a.subjectID)", session: session).status == .notFound)
            let roster = try await client.webGet("/participants", session: session)
            #expect(roster.status == .ok && roster.text.contains(b.subjectID.rawValue) && !roster.text.contains(a.subjectID.rawValue))
            let dashboard = try await client.webGet("/", session: session)
            #expect(!dashboard.text.contains(a.subjectID.rawValue))
            #expect(dashboard.text.contains(#"<li id="waiting-\#(b.subjectID)">"#) && dashboard.text.contains(#"<li id="count-screening""#), "\(dashboard.text)")
            let register = try await client.webGet("/participants/new", session: session)
            #expect(register.text.contains("value=\"WUXI\"") && !register.text.contains("value=\"SUZHOU\""), "only the user's sites are offered")

            // A study-wide role sees both.
            let manager = try await Self.user(server, "dana", .dataManager, .all)
            #expect(try await screening.participants(by: manager).map(\.subjectID) == [a.subjectID, b.subjectID])
        }
    }

    // Pseudonymisation (issue 7 scope 9): roles without `readIdentity` never receive identifying
    // details, even when a page asks for them.
    @Test func identityIsWithheldFromPseudonymisedRolesInTheApplicationLayer() async throws {
        try await TestServer.run { server, _ in
            let p = try await server.register("Ada Lovelace")
            for caller in [Caller.statistician, .sponsorViewer, .monitor, .dataManager, .auditor, .admin] {
                let file = try await server.services.screening.file(p.subjectID, by: try await server.principal(caller), identity: true)
                #expect(file.identity == nil, "\(caller) received identifying details")
            }
            let coordinator = try await server.services.screening.file(p.subjectID, by: try await server.principal(.coordinator), identity: true)
            #expect(coordinator.identity?.fullName == "Ada Lovelace")
        }
    }
}
