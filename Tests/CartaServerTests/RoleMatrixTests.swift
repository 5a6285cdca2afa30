import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One API route of the role matrix: who may call it (from `Permission`) and a request that succeeds.
struct APIRouteCase: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    /// OpenAPI-style template, as recorded in `Built.apiRoutes`.
    let template: String
    /// The permission the route requires; nil = any signed-in user.
    let permission: Permission?
    let success: HTTPResponse.Status
    /// A second permission the step needs on the route's fixture (a screen failure without an
    /// investigator's "not eligible" decision needs the investigator's own authority, issue 7).
    var alsoNeeds: Permission? = nil
    let body: @Sendable (Caller, Participant) -> JSON?

    var testDescription: String { "\(method.rawValue) \(template)" }

    func path(_ p: Participant, token: String? = nil, lockID: String? = nil, queryID: String? = nil) -> String {
        template.replacingOccurrences(of: "{subjectID}", with: p.subjectID.rawValue)
            .replacingOccurrences(of: "/locks/{id}", with: "/locks/\(lockID ?? "no-lock")")
            .replacingOccurrences(of: "/queries/{id}", with: "/queries/\(queryID ?? "no-query")")
            .replacingOccurrences(of: "{id}", with: token.map(CartaStore.tokenHash) ?? "no-token")
            .replacingOccurrences(of: "{visitID}/preview", with: "APH/preview")
            .replacingOccurrences(of: "{visitID}/forms/{formOID}", with: "APH/forms/F_APHERESIS")
            .replacingOccurrences(of: "{formOID}", with: "F_VITALS").replacingOccurrences(of: "{name}", with: "bsa")
            .replacingOccurrences(of: "{seq}", with: "1") // the first audit record: an account's creation
            .replacingOccurrences(of: "{number}", with: "1").replacingOccurrences(of: "{table}", with: "subjects")
    }

    func allows(_ caller: Caller) -> Bool {
        guard let role = caller.role else { return false }
        return (permission?.allows(role) ?? true) && (alsoNeeds?.allows(role) ?? true)
    }

    /// Whether a successful call changes stored data (calculators are pure).
    /// Reads posted for their body (calculators, a visit's preview) write nothing.
    var writes: Bool { method != .get && !template.hasPrefix("/api/v1/compute") && !template.hasSuffix("/preview") }

    // Issue 2 §5 ("enforced on the server for every route, tested per role"); Permission.swift is the matrix.
    static let all: [APIRouteCase] = [
        .init(method: .get, template: "/api/v1/me", permission: nil, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/compute", permission: .compute, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/compute/{name}", permission: .compute, success: .ok) { _, _ in
            ["weightKg": 70, "heightCm": 170] },
        .init(method: .get, template: "/api/v1/study", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/participants", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/participants", permission: .registerParticipant, success: .created) { _, _ in
            ["fullName": "Grace Hopper", "dateOfBirth": "1970-12-09", "hospitalNumber": "H-77"] },
        .init(method: .get, template: "/api/v1/participants/{subjectID}", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .put, template: "/api/v1/participants/{subjectID}/forms/{formOID}", permission: .enterData, success: .ok) { _, p in
            ScreeningData.formBody(version: p.version, items: ["ECOG": Entry(value: "0")], reason: "new_information: re-assessed") },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/eligibility", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .put, template: "/api/v1/participants/{subjectID}/visits/{visitID}/forms/{formOID}", permission: .enterData, success: .ok) { _, p in
            ScreeningData.formBody(version: p.version, items: ["APH_DATE": Entry(value: ConductData.siteToday.description),
                                                              "APH_VOLUME": Entry(value: "180", unit: "mL"), "APH_CD3_YIELD": Entry(value: "4.2", unit: "10*9")]) },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/visits/{visitID}/preview", permission: .enterData, success: .ok) { _, _ in
            ["forms": ["F_APHERESIS": ["APH_VOLUME": ["value": "180", "unit": "mL"]]]] },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/calendar", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/today", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/outcomes", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/outcomes/tables/{table}", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/ctcae/terms?q=cytokine", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/adverse-events", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/adverse-events", permission: .enterData, success: .created) { _, _ in
            AdverseEventData.json(AdverseEventData.mild()) },
        .init(method: .put, template: "/api/v1/participants/{subjectID}/adverse-events/{number}", permission: .enterData, success: .ok) { _, _ in
            var event = AdverseEventData.serious()
            event.grade = 4
            return ["version": 1, "reason": ["code": "new_information", "text": "worsened"], "event": AdverseEventData.json(event)] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/adverse-events/{number}/report", permission: .enterData, success: .ok) { _, _ in
            [:] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/alerts/acknowledgement", permission: .enterData, success: .ok) { _, _ in
            ["key": "platelets:D0:12", "note": "Transfusion ordered."] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/eligibility/signature", permission: .signEligibility, success: .created) { c, p in
            ["password": .string(c.password), "decision": "eligible", "version": .number(Double(p.version)), "acknowledgeBinding": true] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/enrolment", permission: .enrol, success: .ok) { _, p in
            ["version": .number(Double(p.version))] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/dose-calculation", permission: .enterData, success: .ok) { _, p in
            ["version": .number(Double(p.version)), "action": "calculate"] },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/screen-failure", permission: .enrol, success: .ok,
              alsoNeeds: .signEligibility) { _, p in
            ["version": .number(Double(p.version)), "reasons": ["withdrew consent"]] },
        .init(method: .get, template: "/api/v1/audit", permission: .readAudit, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/audit/verify", permission: .readAudit, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/audit/reviews", permission: .readAudit, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/access-review", permission: .reviewAccess, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/export/odm", permission: .exportArchive, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/export/odm?mode=safe-harbor", permission: .exportDeidentified, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/audit/{seq}/redaction", permission: .redactAudit, success: .created) { c, _ in
            ["justification": "Name typed into a free-text field", "password": .string(c.password)] },
        .init(method: .post, template: "/api/v1/audit/reviews", permission: .reviewAudit, success: .created) { c, _ in
            ["password": .string(c.password), "comment": "Reviewed."] },
        // Issue 7 scope 2: every signed-in user manages their own tokens, sessions and password.
        .init(method: .get, template: "/api/v1/tokens", permission: nil, success: .ok) { _, _ in nil },
        .init(method: .delete, template: "/api/v1/tokens/{id}", permission: nil, success: .noContent) { _, _ in nil },
        .init(method: .post, template: "/api/v1/me/sign-out-everywhere", permission: nil, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/me/password", permission: nil, success: .noContent) { c, _ in
            ["currentPassword": .string(c.password), "newPassword": "a new pass phrase 2026"] },
        .init(method: .post, template: "/api/v1/me/second-factor", permission: nil, success: .created) { _, _ in nil },
        .init(method: .post, template: "/api/v1/me/second-factor/confirm", permission: nil, success: .ok) { c, _ in
            ["password": .string(c.password), "code": .string(c.testSecondFactor.code(at: Date()))] },
        .init(method: .post, template: "/api/v1/me/second-factor/remove", permission: nil, success: .ok) { c, _ in
            ["password": .string(c.password), "code": .string(c.testSecondFactor.code(at: Date()))] },
        // Issue 7 scope 7: only a data manager locks and unlocks; everyone who reads data sees the locks.
        .init(method: .get, template: "/api/v1/locks", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/locks", permission: .lockData, success: .created) { c, p in
            ["scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "monitoring visit done", "password": .string(c.password)] },
        .init(method: .post, template: "/api/v1/locks/{id}/unlock", permission: .lockData, success: .ok) { c, _ in
            ["reason": "query to resolve", "password": .string(c.password)] },
        // Issue 7 scopes 4–6: monitors and data managers raise, close and re-open queries; the site answers;
        // the monitor verifies source; the investigator signs the casebook.
        .init(method: .get, template: "/api/v1/queries", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/queries", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/queries", permission: .manageQueries, success: .created) { _, _ in
            ["itemOID": "ECOG", "text": "Source says ECOG 1?"] },
        .init(method: .post, template: "/api/v1/queries/{id}/answer", permission: .answerQueries, success: .ok) { _, _ in ["text": "Confirmed."] },
        .init(method: .post, template: "/api/v1/queries/{id}/close", permission: .manageQueries, success: .ok) { _, _ in ["text": "Thanks."] },
        .init(method: .post, template: "/api/v1/queries/{id}/reopen", permission: .manageQueries, success: .ok) { _, _ in ["text": "Not yet."] },
        .init(method: .get, template: "/api/v1/sdv", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/sdv", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/sdv", permission: .verifySource, success: .ok) { _, _ in ["formOID": "F_VITALS"] },
        .init(method: .get, template: "/api/v1/participants/{subjectID}/casebook/signatures", permission: .readStudyData, success: .ok) { _, _ in nil },
        .init(method: .post, template: "/api/v1/participants/{subjectID}/casebook/signatures", permission: .signCasebook, success: .created) { c, p in
            ["password": .string(c.password), "version": .number(Double(p.version)), "acknowledgeBinding": true] },
    ]

    /// Routes open to everybody (sign-in and the API description).
    static let publicRoutes: Set<String> = ["POST /api/v1/tokens"]
}

/// One web route of the role matrix.
struct WebRouteCase: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    let template: String
    let permission: Permission?
    /// As `APIRouteCase.alsoNeeds`.
    var alsoNeeds: Permission? = nil
    let fields: @Sendable (Caller, Participant) -> [(String, String)]

    var testDescription: String { "\(method.rawValue) \(template)" }
    /// A preview is a read posted with its form: it answers 200 with JSON and writes nothing; the rest redirect after writing.
    var writes: Bool { !template.hasSuffix("/preview") }
    func path(_ p: Participant, queryID: String? = nil) -> String {
        template.replacingOccurrences(of: "{subjectID}", with: p.subjectID.rawValue).replacingOccurrences(of: "{id}", with: queryID ?? "no-query")
    }
    func allows(_ caller: Caller) -> Bool {
        guard let role = caller.role else { return false }
        return (permission?.allows(role) ?? true) && (alsoNeeds?.allows(role) ?? true)
    }

    // Issue 2 §5 and §7 (web pages enforce the same matrix as the API).
    static let posts: [WebRouteCase] = [
        .init(method: .post, template: "/participants/new", permission: .registerParticipant) { _, _ in
            [("full_name", "Grace Hopper"), ("date_of_birth", "1970-12-09"), ("hospital_number", "H-77")] },
        .init(method: .post, template: "/participants/{subjectID}/screening", permission: .enterData) { _, p in
            [("item.ECOG", "0"), ("version", "\(p.version)"), ("reason.ECOG", "new_information"), ("reasonText.ECOG", "re-assessed")] },
        .init(method: .post, template: "/participants/{subjectID}/eligibility/sign", permission: .signEligibility) { c, p in
            [("decision", "eligible"), ("password", c.password), ("version", "\(p.version)"), ("acknowledge_binding", "yes")] },
        .init(method: .post, template: "/participants/{subjectID}/enrol", permission: .enrol) { _, p in [("version", "\(p.version)")] },
        .init(method: .post, template: "/participants/{subjectID}/dose-calculation", permission: .enterData) { _, p in
            [("action", "calculate"), ("version", "\(p.version)")] },
        .init(method: .post, template: "/participants/{subjectID}/screen-fail", permission: .enrol, alsoNeeds: .signEligibility) { _, p in
            [("reasons", "withdrew consent"), ("version", "\(p.version)")] },
        .init(method: .post, template: "/signout", permission: nil) { _, _ in [] },
        .init(method: .post, template: "/participants/{subjectID}/queries", permission: .manageQueries) { _, _ in
            [("item", "ECOG"), ("text", "Source says ECOG 1?")] },
        .init(method: .post, template: "/participants/{subjectID}/queries/{id}?answer", permission: .answerQueries) { _, _ in
            [("action", "answer"), ("text", "Confirmed.")] },
        .init(method: .post, template: "/participants/{subjectID}/queries/{id}?close", permission: .manageQueries) { _, _ in
            [("action", "close"), ("text", "Thanks.")] },
        .init(method: .post, template: "/participants/{subjectID}/queries/{id}?reopen", permission: .manageQueries) { _, _ in
            [("action", "reopen"), ("text", "Not yet.")] },
        .init(method: .post, template: "/participants/{subjectID}/sdv", permission: .verifySource) { _, p in [("form", "F_VITALS"), ("version", "\(p.version)")] },
        .init(method: .post, template: "/participants/{subjectID}/adverse-events", permission: .enterData) { _, _ in
            [("term", "Fever"), ("grade", "1"), ("onset", ConductData.siteToday.description), ("causality_ld", "possible"),
             ("causality_cart", "probable"), ("causality_itp", "unrelated"), ("action", "none")] },
        .init(method: .post, template: "/participants/{subjectID}/adverse-events/1/report", permission: .enterData) { _, _ in [] },
        .init(method: .post, template: "/participants/{subjectID}/adverse-events/1", permission: .enterData) { _, _ in
            let e = AdverseEventData.serious()
            return [("term", e.term), ("grade", "4"), ("onset", e.onset), ("serious", "hospitalisation"), ("aware_at", e.awareAt ?? ""),
                    ("causality_ld", e.causalityLymphodepletion), ("causality_cart", e.causalityCART), ("causality_itp", e.causalityITP),
                    ("action", e.action ?? "none"), ("outcome", e.outcome ?? ""), ("version", "1"), ("reason", "new_information"), ("reason_text", "worsened")] },
        .init(method: .post, template: "/participants/{subjectID}/alerts/acknowledge", permission: .enterData) { _, _ in
            [("key", "platelets:D0:12"), ("note", "Transfusion ordered.")] },
        .init(method: .post, template: "/participants/{subjectID}/visits/APH/preview", permission: .enterData) { _, _ in
            [("item.APH_VOLUME", "180"), ("unit.APH_VOLUME", "mL")] },
        .init(method: .post, template: "/participants/{subjectID}/visits/APH", permission: .enterData) { _, p in
            [("item.APH_DATE", ConductData.siteToday.description), ("item.APH_VOLUME", "180"), ("item.APH_CD3_YIELD", "4.2"), ("version", "\(p.version)")] },
        // Issue 7 scope 2: every signed-in user manages their own password and sessions.
        .init(method: .post, template: "/account/password", permission: nil) { c, _ in
            [("current_password", c.password), ("new_password", "a new pass phrase 2026")] },
        .init(method: .post, template: "/account/sign-out-everywhere", permission: nil) { _, _ in [] },
        .init(method: .post, template: "/account/second-factor/start", permission: nil) { _, _ in [] },
        .init(method: .post, template: "/audit/reviews", permission: .reviewAudit) { c, _ in [("password", c.password), ("comment", "Reviewed.")] },
        .init(method: .post, template: "/audit/redactions", permission: .redactAudit) { c, _ in
            [("seq", "1"), ("justification", "Name typed into a free-text field"), ("password", c.password)] },
        .init(method: .post, template: "/account/second-factor/confirm", permission: nil) { c, _ in
            [("password", c.password), ("code", c.testSecondFactor.code(at: Date()))] },
        .init(method: .post, template: "/account/second-factor/remove", permission: nil) { c, _ in
            [("password", c.password), ("code", c.testSecondFactor.code(at: Date()))] },
        .init(method: .post, template: "/participants/{subjectID}/casebook/sign", permission: .signCasebook) { c, p in
            [("password", c.password), ("version", "\(p.version)"), ("acknowledge_binding", "yes")] },
    ]

    static let gets: [WebRouteCase] = [
        .init(method: .get, template: "/", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/participants", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/participants/new", permission: .registerParticipant) { _, _ in [] },
        .init(method: .get, template: "/participants/{subjectID}", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/audit", permission: .readAudit) { _, _ in [] },
        .init(method: .get, template: "/admin/access-review", permission: .reviewAccess) { _, _ in [] },
        .init(method: .get, template: "/export/odm", permission: .exportArchive) { _, _ in [] },
        .init(method: .get, template: "/admin/access-review.csv", permission: .reviewAccess) { _, _ in [] },
        .init(method: .get, template: "/queries", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/report", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/report/tables/subjects.csv", permission: .readStudyData) { _, _ in [] },
        .init(method: .get, template: "/account", permission: nil) { _, _ in [] },
        .init(method: .get, template: "/participants/{subjectID}/casebook", permission: .readStudyData) { _, _ in [] },
    ]
}

/// Every route × every role gets exactly the outcome `Permission` allows; refusals change nothing.
/// Source: issue 2 §5 (coordinator cannot sign; monitor cannot write; tested per role) and "Bad input"
/// (a write by a read-only role leaves the database exactly as it was).
@Suite("Role matrix")
struct RoleMatrixTests {
    /// Permissions that change stored data.
    static let writes: Set<Permission> = [.registerParticipant, .enterData, .attestEligibility, .signEligibility, .enrol, .manageUsers]

    // Issue 2 §5 and issue 7 scope 1, stated independently of Permission.swift (the route tests below
    // derive from it): a coordinator cannot sign or attest eligibility; monitors, data managers, auditors,
    // statisticians and sponsor viewers cannot write; an admin does not enter or sign clinical data;
    // identifying details only for the roles that register and screen people; statistician and sponsor
    // viewer see pseudonymised data and no audit trail.
    static let expectedPermissions: [UserRole: Set<Permission>] = {
        let reader: Set<Permission> = [.readStudyData, .compute]
        let clinical: Set<Permission> = reader.union([.readAudit, .readIdentity, .registerParticipant, .enterData, .enrol, .answerQueries])
        let investigator = clinical.union([.signEligibility, .attestEligibility])
        return [
            // Audit-trail review sign-off (R-AT-5) by data managers, monitors and auditors; the periodic access
            // review (R-AC-1) by administrators and auditors. Restoring an archive into a new database (R-CP-1) is
            // system administration: it re-creates records under their original authors, it enters nothing new.
            .admin: reader.union([.readAudit, .manageUsers, .reviewAccess, .importArchive]),
            // Only the principal investigator signs the whole casebook (ICH E6(R3) 2.12).
            .investigator: investigator.union([.signCasebook, .exportArchive, .exportDeidentified]), .subInvestigator: investigator,
            .coordinator: clinical,
            .dataManager: reader.union([.readAudit, .reviewAudit, .redactAudit, .exportArchive, .exportDeidentified, .lockData, .manageQueries]),
            .monitor: reader.union([.readAudit, .reviewAudit, .manageQueries, .verifySource]),
            .auditor: reader.union([.readAudit, .reviewAudit, .reviewAccess, .exportArchive, .exportDeidentified]),
            .statistician: reader.union([.exportDeidentified]), .sponsorViewer: reader.union([.exportDeidentified]),
        ]
    }()

    @Test(arguments: UserRole.allCases)
    func permissionTableMatchesTheIssue(role: UserRole) {
        let granted = Set(Permission.allCases.filter { $0.allows(role) })
        #expect(granted == Self.expectedPermissions[role])
        if [.monitor, .dataManager, .auditor, .statistician, .sponsorViewer].contains(role) { #expect(granted.isDisjoint(with: Self.writes)) }
        if ![.investigator, .subInvestigator].contains(role) { #expect(!granted.contains(.signEligibility) && !granted.contains(.attestEligibility)) }
        if role == .admin { #expect(granted.isDisjoint(with: [.enterData, .signEligibility, .enrol, .registerParticipant, .readIdentity])) }
        if [.statistician, .sponsorViewer].contains(role) { #expect(!granted.contains(.readIdentity) && !granted.contains(.readAudit)) }
    }

    @Test(arguments: APIRouteCase.all, Caller.allCases)
    func apiRoute(route: APIRouteCase, caller: Caller) async throws {
        try await TestServer.run { server, client in
            let p = try await server.participant(forRoute: route.template)
            let lockID = route.template.contains("/unlock") ? try await server.lockedForRoute(p) : nil
            let queryID = try await server.queryForRoute(route.template, p)
            let token = try await client.token(caller)
            try await server.secondFactorForRoute(route.template, caller)
            let before = try await server.snapshot()
            let r = try await client.api(route.method, route.path(p, token: token, lockID: lockID, queryID: queryID), token: token,
                                         json: route.body(caller, p))
            if caller == .anonymous {
                expectErrorShape(r, .unauthorized, code: "unauthorized")
            } else if route.allows(caller) {
                #expect(r.status == route.success, "\(caller) \(route): \(r.text)")
            } else {
                expectErrorShape(r, .forbidden, code: "forbidden")
            }
            if caller == .anonymous || !route.allows(caller) || !route.writes {
                #expect(try await server.snapshot() == before, "\(caller) \(route) changed the database")
            } else {
                #expect(try await server.snapshot() != before, "\(caller) \(route) succeeded without writing")
            }
        }
    }

    // The matrix above covers every registered API route, so a new route cannot escape it.
    @Test func matrixCoversEveryAPIRoute() async throws {
        try await TestServer.run { server, _ in
            let built = CartaApplication.build(services: server.services)
            let covered = Set(APIRouteCase.all.map { String($0.testDescription.prefix { $0 != "?" }) }).union(APIRouteCase.publicRoutes)
            #expect(Set(built.apiRoutes) == covered)
        }
    }

    @Test(arguments: WebRouteCase.posts, Caller.allCases)
    func webPost(route: WebRouteCase, caller: Caller) async throws {
        try await TestServer.run { server, client in
            let p = try await server.participant(forRoute: route.template)
            let queryID = try await server.queryForRoute(route.template, p)
            let session = try await client.webSignIn(caller, server: server)
            try await server.secondFactorForRoute(route.template, caller)
            let before = try await server.snapshot()
            let r = try await client.webPost(route.path(p, queryID: queryID), session: session, fields: route.fields(caller, p))
            if caller == .anonymous {
                #expect(r.status == .unauthorized, "\(route): \(r.status)")
            } else if route.allows(caller) {
                #expect(r.status == (route.writes ? .seeOther : .ok), "\(caller) \(route): \(r.status) \(r.text.prefix(300))")
                if route.writes {
                    #expect(try await server.snapshot() != before, "\(caller) \(route) succeeded without writing")
                    return
                }
            } else {
                #expect(r.status == .forbidden, "\(caller) \(route): \(r.status)")
            }
            #expect(try await server.snapshot() == before, "\(caller) \(route) changed the database")
        }
    }

    @Test(arguments: WebRouteCase.gets, Caller.allCases)
    func webPage(route: WebRouteCase, caller: Caller) async throws {
        try await TestServer.run { server, client in
            let p = try await server.register()
            let session = try await client.webSignIn(caller, server: server)
            let r = try await client.webGet(route.path(p), session: session)
            if caller == .anonymous {
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/signin?next=") == true)
            } else if route.allows(caller) {
                #expect(r.status == .ok, "\(caller) \(route): \(r.status)")
            } else {
                #expect(r.status == .forbidden, "\(caller) \(route): \(r.status)")
            }
        }
    }

    // Issue 2 §6: identifying details only for roles with `readIdentity`; never for a monitor.
    @Test(arguments: Caller.allCases.filter { $0 != .anonymous })
    func identityOnlyForRolesThatMayReadIt(caller: Caller) async throws {
        try await TestServer.run { server, client in
            let p = try await server.register("Ada Lovelace")
            let mayRead = Permission.readIdentity.allows(try #require(caller.role))
            let r = try await client.api(.get, "/api/v1/participants/\(p.subjectID)", token: try await client.token(caller))
            #expect(r.status == .ok)
            if mayRead {
                #expect(r.json?["identity"]?["fullName"] == "Ada Lovelace")
                #expect(r.json?["identity"]?["dateOfBirth"] == "1980-05-17")
            } else {
                #expect(r.json?["identity"] == nil || r.json?["identity"] == .null)
                #expect(!r.text.contains("Lovelace") && !r.text.contains("1980-05-17"))
            }
            let list = try await client.api(.get, "/api/v1/participants", token: try await client.token(caller))
            #expect(!list.text.contains("Lovelace"))
            let session = try await client.webSignIn(caller, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("Lovelace") == mayRead, "\(caller) page shows identity: \(!mayRead)")
        }
    }
}
