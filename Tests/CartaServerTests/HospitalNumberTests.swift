import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Registering a hospital number already in the study warns and names the participant (issue 8 scope 11),
/// comparing through the sealed identities, ignoring case, spaces and dashes.
@Suite("Duplicate hospital numbers")
struct HospitalNumberTests {
    @Test func aSecondRegistrationOfTheSameNumberIsNamed() async throws {
        try await TestServer.run(.sqlite) { server, client in
            let coordinator = try await server.principal(.coordinator)
            let first = try await server.services.screening.register(fullName: "Ada Lovelace", dateOfBirth: "1980-05-17", hospitalNumber: "H-0042",
                                                                       siteID: nil, by: coordinator)
            let warning = try await server.services.screening.hospitalNumberWarning(" h 0042", except: nil, by: coordinator)
            #expect(warning?.contains("already registered in this study for \(first.subjectID)") == true, "\(warning ?? "no warning")")
            #expect(try await server.services.screening.hospitalNumberWarning("H-0042", except: first.subjectID, by: coordinator) == nil)
            #expect(try await server.services.screening.hospitalNumberWarning("H-0043", except: nil, by: coordinator) == nil)
            // On the web the registration goes through, with a warning naming the participant.
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            let r = try await client.webPost("/participants/new", session: session,
                                             fields: [("full_name", "Ada King"), ("date_of_birth", "1980-05-17"), ("hospital_number", "h0042")])
            #expect(r.status == .seeOther)
            let flash = r.setCookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let page = try await client.webGet(r.headers[.location] ?? "/", session: WebSession(cookie: session.cookie + "; " + flash, csrf: session.csrf))
            #expect(page.text.contains("already registered in this study for \(first.subjectID)"), "\(page.text.prefix(400))")
            // Through the API: 201 with the warning in the Carta-Warning header; a new number has none.
            let token = try await client.token(.coordinator)
            let again = try await client.api(.post, "/api/v1/participants", token: token,
                                             json: ["fullName": "Ada Byron", "dateOfBirth": "1980-05-17", "hospitalNumber": "H 0042"])
            #expect(again.status == .created && again.headers[.init("Carta-Warning")!]?.contains("\(first.subjectID)") == true)
            let fresh = try await client.api(.post, "/api/v1/participants", token: token,
                                             json: ["fullName": "Mary Shelley", "dateOfBirth": "1980-05-17", "hospitalNumber": "H-0099"])
            #expect(fresh.status == .created && fresh.headers[.init("Carta-Warning")!] == nil)
        }
    }
}
