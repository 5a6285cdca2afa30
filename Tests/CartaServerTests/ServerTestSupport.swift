import CartaTrial
import CartaModel
import CartaCore
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

// Shared harness for the server suites: a Carta application over a fresh test database (SQLite
// file or real PostgreSQL) with one account per role, plus JSON, cookie and snapshot helpers.
// Source: issue 2 §5–8 (tested per role, on both engines, in-process HTTP).

/// Who sends a request: one account per role, or nobody.
enum Caller: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case anonymous, admin, investigator, subInvestigator = "sub-investigator", coordinator, dataManager = "data-manager",
         monitor, statistician, auditor, sponsorViewer = "sponsor-viewer"

    /// The role of the account, nil for an anonymous caller.
    var role: UserRole? { UserRole(rawValue: rawValue) }
    /// A fixed TOTP secret per account, for route tests that set up a second factor.
    var testSecondFactor: TOTP { TOTP(secret: Data("second factor of \(rawValue)".utf8)) }

    /// The account's password (at least 10 characters, as the policy requires).
    var password: String { "pw-\(rawValue)-0123456789" }
    var testDescription: String { rawValue }
}

/// A running test application's services over a fresh database.
struct TestServer: Sendable {
    let services: CartaServices
    let engine: DatabaseEngine
    var store: CartaStore { services.store }

    static let logger: Logger = {
        var l = Logger(label: "carta.test")
        l.logLevel = .critical
        return l
    }()

    /// Runs `body` against the application built by `CartaApplication.build` over a fresh,
    /// migrated database with users `admin`, `investigator`, `coordinator`, `monitor` (bcrypt cost 4).
    static func run<T: Sendable>(_ engine: DatabaseEngine = .sqlite, setup: TestingSetup = .router, secureCookies: Bool? = nil,
                                 idleTimeout: Duration = .seconds(30), study: Study? = nil,
                                 instant: (@Sendable () -> Date)? = nil,
                                 _ body: @escaping @Sendable (TestServer, any TestClientProtocol) async throws -> T) async throws -> T {
        // Each PostgreSQL test database holds two connection pools; bound how many run at once so
        // the parallel suites stay under the server's max_connections.
        if engine == .postgresql { await postgresLimiter.acquire() }
        do {
            let result = try await runUnlimited(engine, setup: setup, secureCookies: secureCookies, idleTimeout: idleTimeout,
                                                study: study, instant: instant, body)
            if engine == .postgresql { await postgresLimiter.release() }
            return result
        } catch {
            if engine == .postgresql { await postgresLimiter.release() }
            throw error
        }
    }

    static let postgresLimiter = AsyncLimiter(limit: 3)

    private static func runUnlimited<T: Sendable>(_ engine: DatabaseEngine, setup: TestingSetup, secureCookies: Bool?, idleTimeout: Duration,
                                                  study: Study?, instant: (@Sendable () -> Date)?, _ body: @escaping @Sendable (TestServer, any TestClientProtocol) async throws -> T) async throws -> T {
        try await TestDatabase.with(engine) { store in
            let config = ServerConfig(host: "127.0.0.1", port: 0, databaseURL: "sqlite://unused.sqlite",
                                      secureCookies: secureCookies, bcryptCost: 4, idleTimeout: idleTimeout)
            let study = try study ?? StudyLoader.builtIn()
            let runtime = CartaRuntime(config: config.trial, store: store, study: study, instant: instant ?? { Date() })
            let services = try CartaServices(config: config, runtime: runtime, logger: logger)
            for caller in Caller.allCases {
                guard let role = caller.role else { continue }
                _ = try await store.createUser(username: caller.rawValue, displayName: caller.rawValue.capitalized, role: role,
                                               passwordHash: services.auth.hash(caller.password), actor: Fixtures.cliActor)
            }
            let server = TestServer(services: services, engine: engine)
            let built = CartaApplication.build(services: services)
            return try await built.application.test(setup) { client in try await body(server, client) }
        }
    }

    /// The application-layer principal of a caller's account (setup through the services).
    func principal(_ caller: Caller, source: AuditSource = .api) async throws -> Principal {
        Principal(try #require(try await store.user(username: caller.rawValue)), source: source)
    }

    /// An audit actor for setting up state directly through the services.
    func actor(_ caller: Caller, source: AuditSource = .api) async throws -> (User, AuditActor) {
        let user = try #require(try await store.user(username: caller.rawValue))
        return (user, AuditActor(user: user, source: source))
    }

    /// Registers a participant through the service (setup only; the flows under test use HTTP).
    func register(_ name: String = "Ada Lovelace") async throws -> Participant {
        try await services.screening.register(fullName: name, dateOfBirth: "1980-05-17", hospitalNumber: "H-\(name.count)",
                                              siteID: nil, by: try await principal(.coordinator))
    }

    /// Enters the complete eligible screening data set through the service: the coordinator the
    /// measured data, the investigator the attestations (forms with `entry: investigator`, issue 7).
    func enterEligibleData(_ subjectID: SubjectID) async throws -> Participant {
        let coordinator = try await principal(.coordinator), investigator = try await principal(.investigator)
        var p = try await services.screening.participant(subjectID, by: coordinator)
        for attested in [false, true] {
            var forms: [String: [String: ScreeningService.RawEntry]] = [:]
            for (form, items) in ScreeningData.eligible where (services.study.form(form)?.entry == .investigator) == attested {
                forms[form] = items.mapValues { ScreeningService.RawEntry(value: $0.value, unit: $0.unit, lowerLimitNormal: $0.lln, upperLimitNormal: $0.uln) }
            }
            p = try await services.screening.saveForms(subjectID: subjectID, forms: forms, expectedVersion: p.version,
                                                       reason: nil, by: attested ? investigator : coordinator).participant
        }
        return p
    }

    /// The participant a route test acts on: ready to enrol, or — for the signing routes, which sign
    /// once per data version (issue 7) — eligible and not yet signed.
    func participant(forRoute template: String) async throws -> Participant {
        if template.contains("/eligibility/sign") { return try await enterEligibleData(try await register().subjectID) }
        if template.contains("/alerts/") { return try await infusedParticipant(platelets: "12") }
        let p = try await signedEligibleParticipant()
        if template.contains("/adverse-events/") {
            // A serious event to change or report.
            let enrolled = try await enrol(p)
            _ = try await services.runtime.adverseEvents.record(AdverseEventData.serious(), subjectID: enrolled.subjectID, by: try await principal(.coordinator))
            return enrolled
        }
        return template.contains("/visits/") || template.contains("/adverse-events") || template.contains("/dose-calculation") ? try await enrol(p) : p
    }

    /// An enrolled participant taken through apheresis, release and lymphodepletion to the first infusion
    /// 15 days after the site's today (through the service, as the coordinator), with a Day 0 platelet count.
    func infusedParticipant(_ name: String = "Ada Lovelace", platelets: String = "40") async throws -> Participant {
        let coordinator = try await principal(.coordinator)
        var p = try await enrol(try await signedEligibleParticipant(name))
        let base = ConductData.siteToday
        func save(_ visit: String, _ forms: [String: [String: Entry]]) async throws {
            p = try await saveVisit(p, visit, forms, by: coordinator)
        }
        try await save("APH", ["F_APHERESIS": ConductData.apheresis(base)])
        try await save("PROD", ["F_PRODUCT": ConductData.product(base.adding(days: 9), bagPrefix: p.subjectID.rawValue)])
        p = try await verifiedDoses(p)
        for (i, visit) in ["LD1", "LD2", "LD3"].enumerated() {
            try await save(visit, ["F_LD_ADMIN": ConductData.lymphodepletion(base.adding(days: 10 + i))])
        }
        try await save("D0", ["F_INFUSION": ConductData.infusion(base.adding(days: 15), fraction: 1, bag: "\(p.subjectID)-B1"),
                              "F_LAB_HEM": ["PLT": Entry(value: platelets, unit: "10*9/L", lln: "150", uln: "400")]])
        return p
    }

    /// Calculates the lymphodepletion doses (coordinator) and has them verified (investigator), as the site does before LD1.
    func verifiedDoses(_ p: Participant) async throws -> Participant {
        let calculated = try await services.runtime.dosing.calculate(subjectID: p.subjectID, expectedVersion: p.version, by: try await principal(.coordinator))
        return try await services.runtime.dosing.verify(subjectID: p.subjectID, expectedVersion: calculated.version, by: try await principal(.investigator))
    }

    /// Saves one visit's forms through the conduct service (as `principal`) and returns the participant at its new version.
    func saveVisit(_ p: Participant, _ visit: String, _ forms: [String: [String: Entry]], by principal: Principal) async throws -> Participant {
        try await services.runtime.conduct.saveVisitForms(
            subjectID: p.subjectID, visitID: visit,
            forms: forms.mapValues { $0.mapValues { ScreeningService.RawEntry(value: $0.value, unit: $0.unit, lowerLimitNormal: $0.lln, upperLimitNormal: $0.uln) } },
            expectedVersion: p.version, by: principal).participant
    }

    /// Enrols a participant ready for it (signed eligible) through the service, as the investigator.
    func enrol(_ p: Participant) async throws -> Participant {
        try await services.screening.enrol(subjectID: p.subjectID, expectedVersion: p.version, by: try await principal(.investigator))
    }

    /// Locks a participant's casebook as the data manager (for the unlock route); returns the lock id.
    func lockedForRoute(_ p: Participant) async throws -> String {
        try await services.runtime.locks.lock(.participant, subjectID: p.subjectID, formOID: nil, reason: "locked for the test",
                                              password: Caller.dataManager.password, by: try await principal(.dataManager)).id
    }

    /// The query a route test acts on (`/queries/{id}` routes): raised by the monitor; closed first for
    /// the re-open route. The template's `?answer`-style suffix only tells the web cases apart.
    func queryForRoute(_ template: String, _ p: Participant) async throws -> String? {
        guard template.contains("/queries/{id}") else { return nil }
        let monitor = try await principal(.monitor)
        let q = try await services.runtime.queries.raise(subjectID: p.subjectID, itemOID: "ECOG", text: "Check ECOG", by: monitor)
        if template.contains("reopen") { _ = try await services.runtime.queries.close(id: q.id, text: "Settled.", by: monitor) }
        return q.id
    }

    /// The second-factor state a route test needs: a set-up waiting for its code (`…/confirm`) or an
    /// enrolled factor (`…/remove`), both with the caller's fixed test secret so the route body can make a code.
    func secondFactorForRoute(_ template: String, _ caller: Caller) async throws {
        guard template.hasSuffix("/confirm") || template.hasSuffix("/remove"), let user = try await store.user(username: caller.rawValue) else { return }
        try await store.setPendingSecondFactor(user.id, secret: caller.testSecondFactor.secret)
        if template.hasSuffix("/remove") {
            _ = try await store.enrolSecondFactor(user.id, step: caller.testSecondFactor.step(at: Date()) - 2, actor: AuditActor(user: user, source: .api), at: Date())
        }
    }

    /// Registers, enters eligible data and has the investigator sign "eligible": ready to enrol.
    func signedEligibleParticipant(_ name: String = "Ada Lovelace") async throws -> Participant {
        let p = try await enterEligibleData(try await register(name).subjectID)
        let investigator = try await principal(.investigator)
        _ = try await services.screening.sign(subjectID: p.subjectID, decision: .eligible, meaning: nil,
                                              expectedVersion: p.version, acknowledgesBinding: true, by: investigator)
        return try await services.screening.participant(p.subjectID, by: investigator)
    }

    /// Full contents of every table, to prove that a refused request changed nothing. With
    /// `ignoringAuthentication`, audit records of sign-in attempts are left out: a refused sign-in or
    /// signature changes no data but is itself audited (issue 7), which the caller checks separately.
    func snapshot(ignoringAuthentication: Bool = false) async throws -> [String: [[String]]] {
        var result: [String: [[String]]] = [:]
        // Verified audit checkpoints are a cache of a verification (a read), not data a request may change.
        for table in try await store.tableNames() where table != "audit_checkpoints" {
            let order = try #require(Self.tableOrder[table], "no sort key for table \(table)")
            var rows = try await store.tableContents(table, orderBy: order)
            if ignoringAuthentication, table == "audit_events" {
                rows = rows.filter { !$0.contains("entity=\(AuditEntity.authentication.rawValue)") }
            }
            result[table] = rows
        }
        return result
    }

    /// The audited authentication events (`sign_in_failed`, `signature_password_failed`, …) as `name event`.
    func authenticationEvents() async throws -> [String] {
        try await store.auditTrail(entity: .authentication, entityID: nil).map { "\($0.entityID) \($0.field)" }
    }

    static let tableOrder: [String: String] = [
        "schema_migrations": "name", "users": "id", "audit_reviews": "id", "audit_redactions": "seq", "alert_acknowledgements": "participant_id, alert_key", "adverse_events": "id", "sessions": "id", "api_tokens": "token_hash",
        "audit_events": "seq", "audit_chain": "id", "audit_checkpoints": "seq", "participants": "id", "participant_identities": "participant_id",
        "item_values": "participant_id, event_oid, form_oid, item_oid, repeat_key", "eligibility_decisions": "id", "locks": "id",
        "queries": "id", "query_messages": "query_id, seq", "sdv_marks": "participant_id, event_oid, form_oid, item_oid, repeat_key",
        "casebook_signatures": "id", "outcome_figures": "participant_id",
    ]
}

/// Lets at most `limit` tasks run a section at once (FIFO).
actor AsyncLimiter {
    let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if running < limit { running += 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
    }
}

/// One screening entry as sent by a client.
struct Entry: Sendable {
    var value: String
    var unit: String? = nil
    var lln: String? = nil
    var uln: String? = nil

    /// The API form of the entry (`{"value", "unit", "lowerLimitNormal", "upperLimitNormal"}`).
    var json: JSON {
        var o: [String: JSON] = ["value": .string(value)]
        if let unit { o["unit"] = .string(unit) }
        if let lln { o["lowerLimitNormal"] = .string(lln) }
        if let uln { o["upperLimitNormal"] = .string(uln) }
        return .object(o)
    }
}

/// Screening data of the built-in study NCT05315778 (Resources/NCT05315778.yaml, §0.4 I1–I5, E1–E16).
enum ScreeningData {
    /// A data set that meets every criterion (age 46 on the consent date, normal labs, attestations "no").
    static let eligible: [String: [String: Entry]] = [
        "F_CONSENT": ["CONSENT_DATE": Entry(value: "2026-11-02"), "SEX": Entry(value: "F"),
                      "PLANNED_INFUSION_DATE": Entry(value: "2026-12-15")],
        "F_VITALS": ["ECOG": Entry(value: "1"), "WEIGHT": Entry(value: "70", unit: "kg"), "HEIGHT": Entry(value: "170", unit: "cm"),
                     "SPO2": Entry(value: "97", unit: "%"), "DYSPNEA_GRADE": Entry(value: "0")],
        "F_LAB_HEM": ["HGB": Entry(value: "120", unit: "g/L", lln: "115", uln: "150"),
                      "ANC": Entry(value: "2.5", unit: "10*9/L", lln: "1.8", uln: "7.5"),
                      "PLT": Entry(value: "25", unit: "10*9/L", lln: "150", uln: "400"),
                      "WBC": Entry(value: "5", unit: "10*9/L", lln: "4", uln: "10")],
        "F_LAB_CHEM": ["CREAT": Entry(value: "80", unit: "umol/L", lln: "45", uln: "110"),
                       "BILI": Entry(value: "10", unit: "umol/L", lln: "3", uln: "21"),
                       "ALT": Entry(value: "20", unit: "U/L", lln: "7", uln: "40"),
                       "AST": Entry(value: "22", unit: "U/L", lln: "8", uln: "40")],
        "F_LAB_COAG": ["PT": Entry(value: "12", unit: "s", lln: "11", uln: "14"),
                       "INR": Entry(value: "1.0", lln: "0.8", uln: "1.2"),
                       "APTT": Entry(value: "30", unit: "s", lln: "25", uln: "37")],
        "F_SEROLOGY": ["HIV_AB": Entry(value: "NEG"), "SYPHILIS_AB": Entry(value: "NEG"),
                       "HCV_AB": Entry(value: "NEG"), "HBSAG": Entry(value: "NEG")],
        "F_ECHO": ["ECHO_DATE": Entry(value: "2026-11-03"), "LVEF": Entry(value: "60", unit: "%")],
        "F_TCELL": ["TCELL_RESULT": Entry(value: "PASS"), "TCELL_DATE": Entry(value: "2026-11-04")],
        "F_PRIOR_STUDY": ["OTHER_STUDY": Entry(value: "false")],
        "F_ATTEST": ["I1_RR_ITP": Entry(value: "true"), "I3_VENOUS_ACCESS": Entry(value: "true"),
                     "I5_CONSENT_CAPACITY": Entry(value: "true"), "E1_SECONDARY_ITP": Entry(value: "false"),
                     "E2_THROMBOSIS": Entry(value: "false"), "E3_CARDIOVASCULAR": Entry(value: "false"),
                     "E4_UNCONTROLLED": Entry(value: "false"), "E5_MALIGNANCY": Entry(value: "false"),
                     "E9_COAG_HISTORY": Entry(value: "false"), "E12_PREGNANCY": Entry(value: "false"),
                     "E13_FERTILITY": Entry(value: "false"), "E14_ALLERGY": Entry(value: "false"),
                     "E15_SUBSTANCE": Entry(value: "false"), "E16_INVESTIGATOR": Entry(value: "false")],
    ]

    /// The body of `PUT /participants/{id}/forms/{formOID}`.
    static func formBody(version: Int, items: [String: Entry], reason: String? = nil) -> JSON {
        var o: [String: JSON] = ["version": .number(Double(version)), "items": .object(items.mapValues(\.json))]
        // A reason in ChangeReason's stored form, "code: words", sent as the API's {code, text} object.
        if let reason {
            let parts = reason.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            o["reason"] = parts.count > 1 ? ["code": .string(parts[0]), "text": .string(parts[1])] : ["code": .string(parts[0])]
        }
        return .object(o)
    }
}
