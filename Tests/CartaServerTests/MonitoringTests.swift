import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Queries (manual and from edit checks), source data verification and the investigator's casebook
/// signature, through the JSON API on SQLite and PostgreSQL, with their audit records and role checks.
/// Source: issue 7 scopes 4–6 and its tests ("query life cycle; SDV reset; signature invalidation and replay").
@Suite("Queries, SDV and casebook signatures")
struct MonitoringTests {
    @Test(arguments: TestDatabase.engines)
    func queryLifeCycleWithRolesPerTransition(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let monitor = try await client.token(.monitor), coordinator = try await client.token(.coordinator)
            let statistician = try await client.token(.statistician), dm = try await client.token(.dataManager)
            let path = "/api/v1/participants/\(p.subjectID)/queries"

            // Only a monitor or data manager raises; the text is required; the item must exist.
            expectErrorShape(try await client.api(.post, path, token: coordinator, json: ["itemOID": "PLT", "text": "?"]), .forbidden)
            expectErrorShape(try await client.api(.post, path, token: monitor, json: ["itemOID": "PLT", "text": "  "]), .unprocessableContent, field: "text")
            expectErrorShape(try await client.api(.post, path, token: monitor, json: ["itemOID": "NOPE", "text": "?"]), .unprocessableContent, field: "item")
            let raised = try await client.api(.post, path, token: monitor, json: ["itemOID": "PLT", "text": "Source says 52, not 25?"])
            #expect(raised.status == .created, "\(raised.text)")
            let id = try #require(raised.json?["id"]?.string)
            #expect(raised.json?["status"]?.string == "open" && raised.json?["formOID"]?.string == "F_LAB_HEM")

            // The monitor cannot answer; the statistician cannot act at all; a closed query cannot be answered.
            expectErrorShape(try await client.api(.post, "/api/v1/queries/\(id)/answer", token: monitor, json: ["text": "x"]), .forbidden)
            expectErrorShape(try await client.api(.post, "/api/v1/queries/\(id)/close", token: statistician, json: ["text": "x"]), .forbidden)

            // The site corrects the value with the reason "query response" and answers.
            let put = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                           json: ScreeningData.formBody(version: p.version, items: ["PLT": Entry(value: "52", unit: "10*9/L", lln: "150", uln: "400")],
                                                                        reason: "query_response: monitor query on PLT"))
            #expect(put.status == .ok, "\(put.text)")
            let answered = try await client.api(.post, "/api/v1/queries/\(id)/answer", token: coordinator, json: ["text": "Corrected to 52 from the lab report."])
            #expect(answered.json?["status"]?.string == "answered", "\(answered.text)")
            expectErrorShape(try await client.api(.post, "/api/v1/queries/\(id)/answer", token: coordinator, json: ["text": "again"]), .conflict)

            // Re-opened by the data manager, answered again, closed by the monitor.
            #expect(try await client.api(.post, "/api/v1/queries/\(id)/reopen", token: dm, json: ["text": "Attach the report page."]).json?["status"]?.string == "open")
            #expect(try await client.api(.post, "/api/v1/queries/\(id)/answer", token: coordinator, json: ["text": "Filed in the ISF."]).json?["status"]?.string == "answered")
            let closed = try await client.api(.post, "/api/v1/queries/\(id)/close", token: monitor, json: ["text": "Verified."])
            #expect(closed.json?["status"]?.string == "closed")
            #expect(closed.json?["messages"]?.array?.compactMap { $0["action"]?.string } == ["raised", "answered", "reopened", "answered", "closed"])
            expectErrorShape(try await client.api(.post, "/api/v1/queries/\(id)/answer", token: coordinator, json: ["text": "late"]), .conflict)

            // Inbox filters: status, subject, form, age; a bad status is named.
            #expect(try await client.api(.get, "/api/v1/queries?status=closed", token: monitor).json?["queries"]?.array?.map { $0["id"]?.string } == [id])
            #expect(try await client.api(.get, "/api/v1/queries?status=open&form=F_LAB_HEM", token: monitor).json?["queries"]?.array?.isEmpty == true)
            #expect(try await client.api(.get, "/api/v1/queries?minAgeDays=1", token: monitor).json?["queries"]?.array?.isEmpty == true)
            #expect(try await client.api(.get, "/api/v1/queries?subject=\(p.subjectID)&status=closed", token: monitor).json?["queries"]?.array?.count == 1)
            expectErrorShape(try await client.api(.get, "/api/v1/queries?status=pending", token: monitor), .unprocessableContent, field: "status")
            expectErrorShape(try await client.api(.get, "/api/v1/queries?form=F_NOPE", token: monitor), .unprocessableContent, field: "form")
            expectErrorShape(try await client.api(.get, "/api/v1/queries?subject=\(String(repeating: "9", count: 41))", token: monitor),
                             .unprocessableContent, field: "subject")

            // Every transition is audited with its text; the audit replay agrees with the data.
            let trail = try await server.store.auditTrail(entity: .query, entityID: id).filter { $0.field == "status" }
            #expect(trail.map { "\($0.oldValue ?? "-")→\($0.newValue ?? "-")" } == ["-→open", "open→answered", "answered→open", "open→answered", "answered→closed"])
            #expect(trail.first?.reason == "raised: Source says 52, not 25?")
            #expect(try await server.store.replayAuditTrail().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func editChecksRaiseAndResolveQueriesInTheSave(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let coordinator = try await client.token(.coordinator)
            #expect(try await server.store.queries(participantID: p.id).isEmpty, "the eligible data set fails no edit check")
            // A platelet count outside the soft range (1–600) and an infusion date before consent raise two queries.
            let put = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                           json: ScreeningData.formBody(version: p.version, items: ["PLT": Entry(value: "700", unit: "10*9/L", lln: "150", uln: "400")],
                                                                        reason: "transcription_error"))
            #expect(put.status == .ok, "\(put.text)")
            var v = try #require(put.json?["participant"]?["version"]?.number).asInt
            let put2 = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_CONSENT", token: coordinator,
                                            json: ScreeningData.formBody(version: v, items: ["PLANNED_INFUSION_DATE": Entry(value: "2026-10-01")], reason: "new_information"))
            #expect(put2.status == .ok, "\(put2.text)")
            v = try #require(put2.json?["participant"]?["version"]?.number).asInt
            var queries = try await server.store.queries(participantID: p.id)
            #expect(queries.map { "\($0.checkID ?? "") \($0.status.rawValue)" }.sorted() == ["EC_INFUSION_AFTER_CONSENT open", "RANGE_PLT open"])
            #expect(queries.allSatisfy { $0.raisedBy == CartaStore.editCheckName })

            // Saving the same value again does not raise a second query.
            let same = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                            json: ScreeningData.formBody(version: v, items: ["PLT": Entry(value: "700", unit: "10*9/L", lln: "150", uln: "400")]))
            #expect(same.status == .ok)
            #expect(try await server.store.queries(participantID: p.id).count == 2)

            // Correcting the value resolves its query in the same save; the other stays open.
            let fix = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                           json: ScreeningData.formBody(version: v, items: ["PLT": Entry(value: "70", unit: "10*9/L", lln: "150", uln: "400")],
                                                                        reason: "query_response"))
            #expect(fix.status == .ok, "\(fix.text)")
            v = try #require(fix.json?["participant"]?["version"]?.number).asInt
            queries = try await server.store.queries(participantID: p.id)
            let range = try #require(queries.first { $0.checkID == "RANGE_PLT" })
            #expect(range.status == .closed && range.messages.last?.action == .resolved)
            #expect(queries.first { $0.checkID == "EC_INFUSION_AFTER_CONSENT" }?.status == .open)

            // A query a monitor closed (value confirmed) is not raised again at the next save of the same value…
            let infusion = try #require(queries.first { $0.checkID == "EC_INFUSION_AFTER_CONSENT" })
            _ = try await server.services.runtime.queries.close(id: infusion.id, text: "Confirmed: the infusion date is a placeholder.",
                                                                by: try await server.principal(.monitor))
            let resave = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_CONSENT", token: coordinator,
                                              json: ScreeningData.formBody(version: v, items: ["PLANNED_INFUSION_DATE": Entry(value: "2026-10-01"), "SEX": Entry(value: "F")]))
            #expect(resave.status == .ok)
            #expect(try await server.store.queries(participantID: p.id).filter { $0.checkID == "EC_INFUSION_AFTER_CONSENT" }.count == 1)
            // …but is when a value it reads changes and still fails.
            let moved = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_CONSENT", token: coordinator,
                                             json: ScreeningData.formBody(version: v, items: ["PLANNED_INFUSION_DATE": Entry(value: "2026-09-01")], reason: "new_information"))
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try await server.store.queries(participantID: p.id).filter { $0.checkID == "EC_INFUSION_AFTER_CONSENT" }.map(\.status) == [.closed, .open])
            #expect(try await server.store.replayAuditTrail().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func sourceVerificationIsClearedByALaterChange(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let monitor = try await client.token(.monitor), coordinator = try await client.token(.coordinator)
            let path = "/api/v1/participants/\(p.subjectID)/sdv"
            expectErrorShape(try await client.api(.post, path, token: coordinator, json: ["formOID": "F_VITALS"]), .forbidden)
            expectErrorShape(try await client.api(.post, path, token: monitor, json: ["formOID": "F_NOPE"]), .unprocessableContent, field: "formOID")
            let before = try await client.api(.get, path, token: monitor)
            let recorded = try #require(before.json?["forms"]?["F_VITALS"]?["recorded"]?.number)
            #expect(recorded == 5 && before.json?["forms"]?["F_VITALS"]?["criticalRecorded"]?.number == 2)
            #expect(before.json?["forms"]?["F_VITALS"]?["criticalComplete"] == .bool(false))

            let verified = try await client.api(.post, path, token: monitor, json: ["formOID": "F_VITALS"])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json?["verifiedNow"]?.number == 5)
            #expect(verified.json?["progress"]?["forms"]?["F_VITALS"]?["verified"]?.number == 5)
            #expect(verified.json?["progress"]?["forms"]?["F_VITALS"]?["criticalComplete"] == .bool(true))
            // Verifying again writes nothing new.
            #expect(try await client.api(.post, path, token: monitor, json: ["formOID": "F_VITALS"]).json?["verifiedNow"]?.number == 0)

            // A later change to WEIGHT leaves its mark behind.
            let put = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                           json: ScreeningData.formBody(version: p.version, items: ["WEIGHT": Entry(value: "71", unit: "kg")], reason: "transcription_error"))
            #expect(put.status == .ok, "\(put.text)")
            let after = try await client.api(.get, path, token: monitor)
            #expect(after.json?["forms"]?["F_VITALS"]?["verified"]?.number == 4)
            #expect(after.json?["forms"]?["F_VITALS"]?["changedSinceVerification"]?.number == 1)
            #expect(after.json?["forms"]?["F_VITALS"]?["criticalComplete"] == .bool(false))
            #expect(after.json?["marks"]?.array?.first { $0["itemOID"]?.string == "WEIGHT" }?["current"] == .bool(false))
            // Marking with the version the monitor's page showed before that change is refused and marks nothing; the
            // current version marks the changed value.
            let stale = try await client.api(.post, path, token: monitor, json: ["formOID": "F_VITALS", "version": .number(Double(p.version))])
            expectErrorShape(stale, .conflict)
            #expect(stale.json?["error"]?["message"]?.string?.contains("nothing was marked verified") == true, "\(stale.text)")
            #expect(try await client.api(.get, path, token: monitor).json?["forms"]?["F_VITALS"]?["verified"]?.number == 4)
            let web = try await client.webSignIn(.monitor, server: server)
            let stalePage = try await client.webPost("/participants/\(p.subjectID)/sdv", session: web,
                                                     fields: [("form", "F_VITALS"), ("version", "\(p.version)")])
            #expect(stalePage.status == .seeOther)
            #expect(try await client.api(.get, path, token: monitor).json?["forms"]?["F_VITALS"]?["verified"]?.number == 4, "the stale page marked nothing")
            // Site progress adds up the participants.
            let all = try await client.api(.get, "/api/v1/sdv", token: monitor)
            #expect(all.json?["sites"]?.array?.first?["progress"]?["verified"]?.number == 4, "\(all.text)")
            // Read a participant at a time, the progress is the same as read in one page.
            _ = try await server.enterEligibleData(try await server.register("Grace Hopper").subjectID)
            let reader = try await server.principal(.monitor)
            let whole = try await server.services.runtime.sourceVerification.progress(by: reader)
            let paged = try await server.services.runtime.sourceVerification.progress(by: reader, pageSize: 1)
            #expect(whole.participants.count == 2 && "\(paged.participants)" == "\(whole.participants)" && "\(paged.sites)" == "\(whole.sites)")
            #expect(whole.sites.first?.progress.verified == 4)
            // Marks are audited; the replay agrees with the data.
            let trail = try await server.store.auditTrail(entity: .sourceVerification, entityID: p.id.rawValue)
            #expect(trail.count == 5 && trail.allSatisfy { $0.reason == "source data verified" })
            #expect(try await server.store.replayAuditTrail().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func casebookSignatureIsBoundToItsContentAndRefusesReplay(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let investigator = try await client.token(.investigator), coordinator = try await client.token(.coordinator)
            let path = "/api/v1/participants/\(p.subjectID)/casebook/signatures"
            let body: JSON = ["version": .number(Double(p.version)), "password": .string(Caller.investigator.password), "acknowledgeBinding": true]
            expectErrorShape(try await client.api(.post, path, token: coordinator, json: body), .forbidden)
            expectErrorShape(try await client.api(.post, path, token: investigator, json: ["version": .number(Double(p.version)),
                                                                                          "password": .string(Caller.investigator.password)]),
                             .unprocessableContent, field: "acknowledgeBinding")
            expectErrorShape(try await client.api(.post, path, token: investigator, json: ["version": .number(Double(p.version)),
                                                                                          "password": "wrong password 123", "acknowledgeBinding": true]),
                             .unprocessableContent, field: "password")
            #expect(try await server.authenticationEvents().contains("investigator signature_password_failed"))
            let signed = try await client.api(.post, path, token: investigator, json: body)
            #expect(signed.status == .created, "\(signed.text)")
            let hash = try #require(signed.json?["contentSHA256"]?.string)
            #expect(hash.count == 64 && signed.json?["standing"]?.string == "valid")
            #expect(signed.json?["meaning"]?.string == CasebookService.meaning)
            // The same request again is refused (replay): one signature per content and signer.
            expectErrorShape(try await client.api(.post, path, token: investigator, json: body), .conflict)
            // A stale version is a conflict too.
            let put = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                           json: ScreeningData.formBody(version: p.version, items: ["ECOG": Entry(value: "0")], reason: "transcription_error"))
            #expect(put.status == .ok)
            expectErrorShape(try await client.api(.post, path, token: investigator, json: body), .conflict)
            // The change invalidates the signature; signing the new content works.
            let list = try await client.api(.get, path, token: coordinator)
            #expect(list.json?["signatures"]?.array?.map { $0["standing"]?.string } == ["invalidated_by_change"])
            let v = try #require(put.json?["participant"]?["version"]?.number)
            let again = try await client.api(.post, path, token: investigator, json: ["version": .number(v), "password": .string(Caller.investigator.password)])
            #expect(again.status == .created && again.json?["contentSHA256"]?.string != hash, "\(again.text)")
            #expect(try await server.store.auditTrail(entity: .casebookSignature, entityID: nil).filter { $0.field == "content_sha256" }.count == 2)
        }
    }

    @Test func theWebPagesShowQueriesOnTheFieldAndInTheInbox() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let monitor = try await client.webSignIn(.monitor, server: server)
            let raised = try await client.webPost("/participants/\(p.subjectID)/queries", session: monitor,
                                                  fields: [("item", "ECOG"), ("text", "ECOG <b>1</b> in the notes?")])
            #expect(raised.status == .seeOther && raised.headers[.location]?.hasSuffix("#monitoring") == true)
            let q = try #require(try await server.store.queries(participantID: p.id).first)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: monitor)
            #expect(page.text.contains(##"id="query-badge-ECOG" class="badge badge--query-open" href="#query-\##(q.id)">1 active query</a>"##))
            #expect(page.text.contains(#"id="query-\#(q.id)" class="query query--open" data-status="open""#))
            #expect(page.text.contains("ECOG &lt;b&gt;1&lt;/b&gt; in the notes?"), "the question is escaped")
            // An empty answer is refused back on the page with the reason; nothing is written.
            let coordinator = try await client.webSignIn(.coordinator, server: server)
            let before = try await server.snapshot()
            let empty = try await client.webPost("/participants/\(p.subjectID)/queries/\(q.id)", session: coordinator,
                                                 fields: [("action", "answer"), ("text", " ")])
            #expect(empty.status == .seeOther)
            #expect(try await server.snapshot() == before)
            let answered = try await client.webPost("/participants/\(p.subjectID)/queries/\(q.id)", session: coordinator,
                                                    fields: [("action", "answer"), ("text", "Notes say 1; corrected.")])
            #expect(answered.status == .seeOther)
            #expect(try await server.store.query(id: q.id)?.status == .answered)
            let inbox = try await client.webGet("/queries", session: monitor)
            #expect(inbox.status == .ok && inbox.text.contains(#"id="inbox-\#(q.id)" data-status="answered""#))
            #expect(try await client.webGet("/queries?status=closed", session: monitor).text.contains("inbox-\(q.id)") == false)
            // A filter that cannot be read is said and lists nothing, rather than every query under its error.
            for (query, message) in [("minAgeDays=x", "minAgeDays must be a whole number"), ("status=xxxx", "status must be among"),
                                     ("form=F_NOPE", "form must be one of the study")] {
                let refused = try await client.webGet("/queries?\(query)", session: monitor)
                #expect(refused.text.contains(message) && !refused.text.contains("inbox-\(q.id)"), "\(query)")
            }
            _ = try await client.webPost("/participants/\(p.subjectID)/queries/\(q.id)", session: monitor, fields: [("action", "close"), ("text", "ok")])
            #expect(try await client.webGet("/queries?status=closed", session: monitor).text.contains("inbox-\(q.id)"))
            #expect(!(try await client.webGet("/participants/\(p.subjectID)", session: monitor).text.contains("query-badge-ECOG")),
                    "a closed query leaves no badge")
        }
    }

    /// A form recorded at several visits is printed under each of them, in the schedule's order — the casebook
    /// once showed each item's first value only, whatever the visit.
    @Test func theCasebookPrintsEveryVisitsValues() async throws {
        try await TestServer.run { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let html = try await client.webGet("/participants/\(p.subjectID)/casebook", session: try await client.webSignIn(.monitor, server: server)).text
            let screening = try #require(html.range(of: #"<tr id="cb-SCR-PLT"><th scope="row">Platelet count</th><td>25 ×10⁹/L</td>"#), "\(html)")
            let dayZero = try #require(html.range(of: #"<tr id="cb-D0-PLT"><th scope="row">Platelet count</th><td>12 ×10⁹/L</td>"#), "\(html)")
            #expect(screening.lowerBound < dayZero.lowerBound, "screening first")
            #expect(html.contains(#"<table id="casebook-form-SCR-F_LAB_HEM""#) && html.contains(#"<table id="casebook-form-D0-F_LAB_HEM""#))
            #expect(html.contains("Day 0 (CAR-T infusion) · Haematology"), "each form under its visit's name")
            for visit in ["LD1", "LD2", "LD3"] { #expect(html.contains(#"id="casebook-form-\#(visit)-F_LD_ADMIN""#), "\(visit)") }
        }
    }

    @Test func thePrintableCasebookHasValuesSignaturesQueriesAndAudit() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register("Identifiable Person").subjectID)
            let monitor = try await server.principal(.monitor)
            _ = try await server.services.runtime.queries.raise(subjectID: p.subjectID, itemOID: "PLT", text: "Lab sheet says 25?", by: monitor)
            _ = try await server.services.runtime.sourceVerification.verify(subjectID: p.subjectID, formOID: "F_LAB_HEM", by: monitor)
            let signature = try await server.services.runtime.casebook.sign(subjectID: p.subjectID, password: Caller.investigator.password,
                                                                            expectedVersion: p.version, acknowledgesBinding: true,
                                                                            by: try await server.principal(.investigator))
            let page = try await client.webGet("/participants/\(p.subjectID)/casebook", session: try await client.webSignIn(.monitor, server: server))
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains(#"<tr id="cb-SCR-PLT"><th scope="row">Platelet count</th><td>25 ×10⁹/L</td><td>150–400</td>"#), "\(html)")
            #expect(html.contains("Lab sheet says 25?") && html.contains(signature.contentHash) && html.contains(">Casebook</strong>"))
            #expect(html.contains(#"id="casebook-audit""#) && html.contains("Haematology"))
            #expect(html.contains("Monitor") && !html.contains("Identifiable Person"), "pseudonymised")
            // Roles that may not read the audit trail get the casebook without it.
            let statistician = try await client.webGet("/participants/\(p.subjectID)/casebook", session: try await client.webSignIn(.statistician, server: server))
            #expect(statistician.status == .ok && !statistician.text.contains(#"id="casebook-audit""#) && statistician.text.contains("cb-SCR-PLT"))
        }
    }

    @Test func queriesOfAnotherSiteAreNotFound() async throws {
        try await TestServer.run(study: try SiteScopeTests.twoSiteStudy()) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let monitor = try await server.principal(.monitor)
            let q = try await server.services.runtime.queries.raise(subjectID: p.subjectID, itemOID: "ECOG", text: "Check ECOG", by: monitor)
            _ = try await SiteScopeTests.user(server, "coord-b", .coordinator, .only(["WUXI"]))
            let token = try await client.token(username: "coord-b", password: SiteScopeTests.password)
            expectErrorShape(try await client.api(.post, "/api/v1/queries/\(q.id)/answer", token: token, json: ["text": "x"]), .notFound)
            #expect(try await client.api(.get, "/api/v1/queries", token: token).json?["queries"]?.array?.isEmpty == true)
        }
    }
}

private extension Double {
    var asInt: Int { Int(self) }
}
