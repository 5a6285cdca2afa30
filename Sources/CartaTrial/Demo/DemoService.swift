import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation
import Synchronization

/// The demo's clock: the instant the services read, moved forward as the synthetic trial is replayed so
/// every record carries the date it would have had.
public final class DemoClock: Sendable {
    let current: Mutex<Date>
    public init(_ start: Date) { current = Mutex(start) }
    public var now: Date { current.withLock { $0 } }
    public func set(_ d: Date) { current.withLock { $0 = d } }
}

/// `carta demo`: fills a database with clearly labelled synthetic participants whose courses
/// (`DemoCourse`) are entered through the same services, checks and audit trail as real data — screening,
/// the investigator's signed eligibility, enrolment, the product chain, lymphodepletion, the CAR-T
/// fractions, daily and monthly visits, adverse events — replayed in date order up to today.
///
/// Source: issue 9 scope 3. The database is marked synthetic by an audit record before anything else is
/// written, and a database that already holds participants is refused, so synthetic and real data never mix.
public struct DemoService: Sendable {
    public let runtime: CartaRuntime
    public let clock: DemoClock
    public let settings: DemoSettings

    public init(runtime: CartaRuntime, clock: DemoClock, settings: DemoSettings = DemoSettings()) {
        self.runtime = runtime; self.clock = clock; self.settings = settings
    }

    /// A demo account and the password it was given (printed once by the CLI).
    public struct Account: Sendable { public let username: String, role: UserRole, password: String }

    public struct Summary: Sendable {
        public var participants: Int
        public var saves: Int
        public var values: Int
        public var adverseEvents: Int
        public var accounts: [Account]
    }

    /// One dated step of the replay.
    struct Step: Sendable {
        let date: ClinicalDate
        let order: Int
        let participant: Int
        let run: @Sendable (inout DemoState) async throws -> Void
    }

    /// What the replay carries between steps.
    struct DemoState: Sendable {
        var subjects: [Int: SubjectID] = [:]
        var versions: [Int: Int] = [:]
        var saves = 0
        var values = 0
        var adverseEvents = 0
        /// Each participant's verified lymphodepletion doses (mg/day) by drug.
        var doses: [Int: [String: Double]] = [:]
        var coordinator: Principal
        var investigator: Principal
        var monitor: Principal
        /// Each participant's monitoring query (`monitoringVisits`).
        var queries: [Int: String] = [:]
    }

    /// Runs the demo for `count` participants with `seed`, up to `today`; `progress(done, total)` after each step.
    /// `now` stamps the synthetic mark (the real time, before the replay clock takes over).
    public func run(participants count: Int, seed: UInt64, today: ClinicalDate, now: Date,
                    progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        guard (1...10_000).contains(count) else { throw WorkflowError.invalid("participants", "between 1 and 10000 (got \(count))") }
        guard count <= runtime.study.targetEnrolment || runtime.study.allowEnrolmentBeyondTarget else {
            throw WorkflowError.invalid("participants", "the study enrols at most \(runtime.study.targetEnrolment) participants (got \(count))")
        }
        let store = runtime.store
        // The mark comes first, stamped with the real time; only then does the replay clock take over.
        let system = try await claim(detail: "synthetic demonstration data, seed \(seed), \(count) participants", now: now)
        clock.set(noon(today.adding(days: -(settings.latestDayZeroDaysAgo + settings.enrolmentSpreadDays + 60))))
        try await store.replayClock { [clock] in clock.now }
        do {
            let summary = try await replay(participants: count, seed: seed, today: today, system: system, progress: progress)
            try await store.replayClock(nil)
            return summary
        } catch {
            try? await store.replayClock(nil)
            throw error
        }
    }

    func replay(participants count: Int, seed: UInt64, today: ClinicalDate, system: AuditActor,
                progress: @Sendable (Int, Int) -> Void) async throws -> Summary {
        let (accounts, users) = try await createAccounts(system: system)
        guard let inv = users[.investigator], let coord = users[.coordinator], let mon = users[.monitor] else {
            throw WorkflowError(.notFound, "demo accounts were not created")
        }
        var state = DemoState(coordinator: Principal(coord, source: .cli), investigator: Principal(inv, source: .cli), monitor: Principal(mon, source: .cli))
        let courses = (0..<count).map { DemoCourse(index: $0, of: count, seed: seed, today: today, settings: settings) }
        let plan = courses.flatMap { self.steps(for: $0, today: today) }.sorted { ($0.date, $0.order, $0.participant) < ($1.date, $1.order, $1.participant) }
        for (i, step) in plan.enumerated() {
            clock.set(noon(step.date).addingTimeInterval(Double(step.order) * 60))
            try await step.run(&state)
            progress(i + 1, plan.count)
        }
        return Summary(participants: count, saves: state.saves, values: state.values, adverseEvents: state.adverseEvents, accounts: accounts)
    }

    /// Claims the database for synthetic data (`CartaStore.claimForSynthetic`: refused unless it holds no participants
    /// and no accounts or is already marked) and returns the actor the demo records as.
    func claim(detail: String, now: Date) async throws -> AuditActor {
        let system = AuditActor(userID: nil, username: "carta demo", source: .cli)
        do {
            try await runtime.store.claimForSynthetic(detail: detail, actor: system, at: now)
        } catch let e as StoreError {
            throw WorkflowError(e) ?? e
        }
        return system
    }

    /// One demo account for each role, with a strong random password (printed once by the CLI).
    func createAccounts(system: AuditActor) async throws -> ([Account], [UserRole: User]) {
        var accounts: [Account] = []
        var users: [UserRole: User] = [:]
        for role in [UserRole.investigator, .coordinator, .dataManager, .monitor, .statistician, .admin] {
            let name = "demo-\(role.rawValue)"
            let password = Self.password()
            let user = try await runtime.accounts.createUser(username: name, displayName: "Demo \(role.rawValue)", role: role, sites: .all,
                                                             password: password, actor: system)
            users[role] = user
            accounts.append(Account(username: name, role: role, password: password))
        }
        return (accounts, users)
    }

    /// Noon at the site on a date (the site's zone), when the demo's records are stamped.
    func noon(_ d: ClinicalDate) -> Date {
        let offset = Double(runtime.clock.timeZone.secondsFromGMT())
        return Date(timeIntervalSince1970: Double(d.dayNumber) * 86_400 + 12 * 3600 - offset)
    }

    /// A strong random password for a demo account (the policy's 12+ characters, not a common one).
    static func password() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<18).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }

    /// A value as typed: text, unit, and the laboratory's lower and upper limits of normal.
    static func e(_ v: String, _ unit: String? = nil, _ lln: String? = nil, _ uln: String? = nil) -> ScreeningService.RawEntry {
        ScreeningService.RawEntry(value: v, unit: unit, lowerLimitNormal: lln, upperLimitNormal: uln)
    }

    // MARK: the steps of one course

    func steps(for c: DemoCourse, today: ClinicalDate) -> [Step] {
        @Sendable func e(_ v: String, _ u: String?, _ l: String?, _ h: String?) -> ScreeningService.RawEntry { Self.e(v, u, l, h) }
        let d0 = c.dayZero
        let consent = d0.adding(days: -40)
        let i = c.index
        var out: [Step] = []
        func at(_ day: Int, _ order: Int, _ run: @escaping @Sendable (inout DemoState) async throws -> Void) {
            let date = d0.adding(days: day)
            if date <= today { out.append(Step(date: date, order: order, participant: i, run: run)) }
        }
        let conduct = runtime.conduct, screening = runtime.screening, adverse = runtime.adverseEvents
        @Sendable func save(_ visit: String, _ forms: [String: [String: ScreeningService.RawEntry]], _ s: inout DemoState) async throws {
            guard let subject = s.subjects[i], let version = s.versions[i] else { return }
            let r = try await conduct.saveVisitForms(subjectID: subject, visitID: visit, forms: forms, expectedVersion: version, by: s.coordinator)
            s.versions[i] = r.participant.version
            s.saves += 1
            s.values += forms.values.map(\.count).reduce(0, +)
        }
        let birthYear = Self.birthYear(c)
        // Screening: registration, the measured data, the investigator's attestations and signature, enrolment.
        at(-40, 0) { s in
            let p = try await screening.register(fullName: "Synthetic Participant \(i + 1)", dateOfBirth: "\(birthYear)-06-15",
                                                 hospitalNumber: "SYN-\(1000 + i)", siteID: nil, by: s.coordinator)
            s.subjects[i] = p.subjectID; s.versions[i] = p.version
            var forms = Self.screeningForms(c, consent: consent)
            let attest = forms.removeValue(forKey: "F_ATTEST")
            var v = try await screening.saveForms(subjectID: p.subjectID, forms: forms, expectedVersion: p.version, by: s.coordinator).participant.version
            if let attest {
                v = try await screening.saveForms(subjectID: p.subjectID, forms: ["F_ATTEST": attest], expectedVersion: v, by: s.investigator).participant.version
            }
            _ = try await screening.sign(subjectID: p.subjectID, decision: .eligible, meaning: nil, expectedVersion: v, acknowledgesBinding: true, by: s.investigator)
            let signed = try await screening.participant(p.subjectID, by: s.investigator)
            let enrolled = try await screening.enrol(subjectID: p.subjectID, expectedVersion: signed.version, by: s.investigator)
            s.versions[i] = enrolled.version
            s.saves += 4
            s.values += Self.screeningForms(c, consent: consent).values.map(\.count).reduce(0, +)
        }
        let prefix: @Sendable (DemoState) -> String = { s in s.subjects[i]?.rawValue ?? "SYN" }
        at(-30, 0) { s in
            try await save("APH", Self.apheresisForms(c), &s)
        }
        let totalCells = Self.totalCells(c)
        at(-8, 0) { s in
            try await save("PROD", Self.productForms(c, bag: prefix(s), totalCells: totalCells), &s)
        }
        for (k, visit) in ["LD1", "LD2", "LD3"].enumerated() {
            at(-5 + k, 0) { s in
                guard let subject = s.subjects[i], let version = s.versions[i] else { return }
                if k == 0 {
                    // The coordinator calculates the doses from the latest values; the investigator verifies them.
                    let calculated = try await runtime.dosing.calculate(subjectID: subject, expectedVersion: version, by: s.coordinator)
                    let verified = try await runtime.dosing.verify(subjectID: subject, expectedVersion: calculated.version, by: s.investigator)
                    s.versions[i] = verified.version
                    s.saves += 2
                    let file = try await screening.file(subject, by: s.coordinator)
                    let calc = LymphodepletionDosing.calculation(in: file.values, visitID: visit)
                    s.doses[i] = (calc?.dosesMg ?? [:]).compactMapValues { $0 }
                }
                try await save(visit, Self.lymphodepletionForms(c, day: k + 1, doses: s.doses[i] ?? [:]), &s)
            }
        }
        var rescued = false
        for visit in runtime.study.schedule.visits where visit.day >= 0 && visit.kind == .visit {
            let (day, forms) = Self.visitForms(c, visit, totalCells: totalCells, rescued: &rescued)
            let fixed = forms
            at(day, 1) { s in
                var forms = fixed
                if var infusion = forms["F_INFUSION"], let bag = infusion["INF_BAG"] {
                    infusion["INF_BAG"] = e(bag.value.replacingOccurrences(of: "{BAG}", with: prefix(s)), nil, nil, nil)
                    forms["F_INFUSION"] = infusion
                }
                try await save(visit.id, forms, &s)
            }
        }
        // Adverse events as a site records them: on the day it learns of them, with the resolution added
        // (a change with its reason) once the event is over. Neutropenia after lymphodepletion for everyone;
        // CRS of grade ≥ 2 (serious from grade 3, reported within hours of awareness).
        func event(term: String, grade: Int, onset: Int, end: Int, serious: Bool, ld: String, cart: String, recordOn: Int) {
            let resolution = d0.adding(days: end)
            @Sendable func input(resolved: Bool, awareAt: String?) -> AdverseEventService.Input {
                .init(term: term, grade: grade, onset: d0.adding(days: onset).description, resolution: resolved ? resolution.description : nil,
                      seriousCriteria: serious ? ["important_medical_event"] : nil, awareAt: awareAt, causalityLymphodepletion: ld,
                      causalityCART: cart, causalityITP: "unrelated", action: "none", outcome: resolved ? "recovered" : "recovering")
            }
            let aware = ISO8601DateFormatter().string(from: noon(d0.adding(days: recordOn)).addingTimeInterval(120 - 3600))
            at(recordOn, 2) { s in
                guard let subject = s.subjects[i] else { return }
                let recorded = try await adverse.record(input(resolved: false, awareAt: serious ? aware : nil), subjectID: subject, by: s.coordinator)
                if serious {
                    clock.set(clock.now.addingTimeInterval(6 * 3600))
                    _ = try await adverse.report(number: recorded.number, reportedAt: nil, subjectID: subject, by: s.coordinator)
                }
                s.adverseEvents += 1
            }
            at(end + 1, 2) { s in
                guard let subject = s.subjects[i],
                      let current = try await adverse.log(subject, by: s.coordinator).events.first(where: { $0.term == term }) else { return }
                _ = try await adverse.update(number: current.number, input(resolved: true, awareAt: serious ? aware : nil), expectedVersion: current.version,
                                             reason: ChangeReason(code: .newInformation, text: "Resolved"), subjectID: subject, by: s.coordinator)
            }
        }
        // Grade 4, as the lab values grade it (ANC 0.3 ×10⁹/L on Day 5, `blood`): the log and the lab grades agree.
        event(term: "Neutrophil count decreased", grade: 4, onset: 2, end: 9, serious: false, ld: "probable", cart: "possible", recordOn: 3)
        if c.crsGrade >= 2 {
            event(term: "Cytokine release syndrome", grade: c.crsGrade, onset: c.crsOnsetDay, end: c.crsOnsetDay + c.crsDays, serious: c.crsGrade >= 3,
                  ld: "unlikely", cart: "related", recordOn: c.crsOnsetDay + 1)
        }
        monitoringVisits(participant: i, at: at)
        return out
    }

    /// The monitor's part, so the query inbox and source-verification pages of a new demo are not empty: on Day 5 a
    /// question about Day 3's highest temperature (the CRS grade rests on it), answered by the coordinator on Day 7; on
    /// Day 17 the screening values and the Day 0 infusion verified against source, and the answered query closed. The
    /// participant whose Day 0 was less than a week ago therefore still has the query open.
    func monitoringVisits(participant i: Int, at: (Int, Int, @escaping @Sendable (inout DemoState) async throws -> Void) -> Void) {
        let queries = runtime.queries, verification = runtime.sourceVerification
        at(5, 3) { s in
            guard let subject = s.subjects[i] else { return }
            s.queries[i] = try await queries.raise(
                subjectID: subject, itemOID: "CRS_TMAX", visitID: "D3",
                text: "The nursing chart for Day 3 shows the highest temperature at 22:00; please confirm it is the value entered.",
                by: s.monitor).id
        }
        at(7, 3) { s in
            guard let id = s.queries[i] else { return }
            _ = try await queries.answer(id: id, text: "Confirmed against the nursing chart: the value entered is the 22:00 reading.", by: s.coordinator)
        }
        at(17, 3) { s in
            guard let subject = s.subjects[i] else { return }
            for form in ["F_CONSENT", "F_VITALS", "F_LAB_HEM"] {
                _ = try await verification.verify(subjectID: subject, formOID: form, by: s.monitor)
            }
            _ = try await verification.verify(subjectID: subject, formOID: "F_INFUSION", visitID: "D0", by: s.monitor)
            if let id = s.queries[i] {
                _ = try await queries.close(id: id, text: "Checked at the monitoring visit against the chart.", by: s.monitor)
            }
        }
    }

    /// The forms of one scheduled visit on or after Day 0 of a course, and the day it is done (the visit's day moved
    /// within its window); `rescued` carries whether the course already had its rescue therapy. The bag of an
    /// infusion is written `{BAG}-B<n>`, the subject's ID replacing `{BAG}` once it is known.
    static func visitForms(_ c: DemoCourse, _ visit: VisitDefinition, totalCells: Int, rescued: inout Bool)
        -> (day: Int, forms: [String: [String: ScreeningService.RawEntry]]) {
        let fractions = [10, 30, 60]
        let jitter = visit.windowAfter > 0 ? Int(c.chance(day: visit.day, 2) * Double(min(visit.windowBefore, visit.windowAfter) + 1)) - min(visit.windowBefore, visit.windowAfter) / 2 : 0
        let day = visit.day + jitter
        let date = c.dayZero.adding(days: day)
        var forms: [String: [String: ScreeningService.RawEntry]] = [:]
        let plt = c.platelets(day: day)
        for form in visit.forms {
            switch form {
            case "F_VISIT": forms[form] = ["VISIT_DATE": e(date.description, nil, nil, nil)]
            case "F_INFUSION" where day <= 2:
                forms[form] = ["INF_DATE": e(date.description, nil, nil, nil), "FRACTION": e("\(day + 1)", nil, nil, nil),
                               "INF_BAG": e("{BAG}-B\(day + 1)", nil, nil, nil), "INF_CELLS": e("\(totalCells * fractions[day] / 100)", "10*6", nil, nil)]
            case "F_LAB_HEM": forms[form] = Self.blood(c, day: day)
            case "F_VITALS": forms[form] = Self.vitals(c)
            case "F_CRS": forms[form] = Self.crs(grade: c.crs(day: day))
            case "F_ICANS": forms[form] = Self.icans(grade: c.icans(day: day))
            case "F_BLEED": forms[form] = Self.bleeding(c, day: day, platelets: plt)
            case "F_ITPBAT": forms[form] = Self.bleedingTool(c, day: day, platelets: plt)
            case "F_CONMED": forms[form] = Self.conmed(c, day: day)
            case "F_DISPOSITION": forms[form] = ["DISP_STATUS": e("completed", nil, nil, nil), "DISP_DATE": e(date.description, nil, nil, nil)]
            case "F_LAB_INFLAM": forms[form] = Self.inflammation(c, day: day)
            case "F_LAB_IG": forms[form] = Self.immunoglobulins(c, day: day)
            case "F_CART_PK": forms[form] = ["CART_QPCR": e(String(Int(c.carT(day: day).rounded())), "{copies}/ug", nil, nil)]
            case "F_ITPPAQ": forms[form] = Self.questionnaire(c, day: day, date: date)
            case "F_TRANSFUSION":
                forms[form] = day <= 14 && plt < 10 && c.chance(day: day, 8) < 0.35
                    ? ["PLT_TRANSFUSED": e("true", nil, nil, nil), "PLT_TRANSFUSION_DATE": e(date.description, nil, nil, nil)]
                    : ["PLT_TRANSFUSED": e("false", nil, nil, nil)]
            case "F_RESCUE":
                if !rescued, day >= 55, plt < 20, c.chance(day: day, 3) < 0.7 {
                    rescued = true
                    forms[form] = ["RESCUE_GIVEN": e("true", nil, nil, nil), "RESCUE_AGENT": e("ivig", nil, nil, nil), "RESCUE_REASON": e("itp", nil, nil, nil),
                                   "RESCUE_START": e(date.adding(days: -4).description, nil, nil, nil), "RESCUE_END": e(date.adding(days: -3).description, nil, nil, nil)]
                } else {
                    forms[form] = ["RESCUE_GIVEN": e("false", nil, nil, nil)]
                }
            default: break
            }
        }
        return (day, forms)
    }

    /// The product's viable CAR-T cells: 1.5 × 10⁷ cells/kg, in 10⁶ cells (the middle of the registry's 1.0–2.0 × 10⁷/kg).
    static func totalCells(_ c: DemoCourse) -> Int { Int(c.weightKg * 1.5e7 / 1e6) }

    /// The participant's year of birth: 25 to 60 years before consent (40 days before Day 0).
    static func birthYear(_ c: DemoCourse) -> Int { c.dayZero.adding(days: -40).year - 25 - Int(c.chance(day: -99, 1) * 35) }

    static func apheresisForms(_ c: DemoCourse) -> [String: [String: ScreeningService.RawEntry]] {
        ["F_APHERESIS": ["APH_DATE": e(c.dayZero.adding(days: -30).description), "APH_VOLUME": e("180", "mL"), "APH_CD3_YIELD": e("4.2", "10*9")]]
    }

    /// The released product: its lot and three bags named after the subject (`bag`).
    static func productForms(_ c: DemoCourse, bag: String, totalCells: Int) -> [String: [String: ScreeningService.RawEntry]] {
        ["F_PRODUCT": [
            "LOT_ID": e("LOT-\(bag)"), "VIABILITY": e("92", "%"), "CAR_POSITIVE": e("41", "%"),
            "TOTAL_CELLS": e(String(totalCells + 200), "10*6"), "STERILITY": e("NEG"), "ENDOTOXIN": e("0.5", "[EU]/mL"),
            "RELEASE_DATE": e(c.dayZero.adding(days: -8).description), "RELEASED": e("Y"),
            "BAG_1": e("\(bag)-B1"), "BAG_2": e("\(bag)-B2"), "BAG_3": e("\(bag)-B3")]]
    }

    /// Lymphodepletion day `day` (1…3) given as calculated (`doses`, mg/day by drug); the first day also records
    /// the blood count, the ITP regimen and the baseline questionnaire.
    static func lymphodepletionForms(_ c: DemoCourse, day: Int, doses: [String: Double]) -> [String: [String: ScreeningService.RawEntry]] {
        let flu = LymphodepletionDosing.text(doses["fludarabine"] ?? 0), cy = LymphodepletionDosing.text(doses["cyclophosphamide"] ?? 0)
        var forms: [String: [String: ScreeningService.RawEntry]] = ["F_LD_ADMIN": [
            "LD_DATE": e(c.dayZero.adding(days: -6 + day).description), "FLU_PRESCRIBED": e(flu, "mg"), "FLU_GIVEN": e(flu, "mg"),
            "CY_PRESCRIBED": e(cy, "mg"), "CY_GIVEN": e(cy, "mg")]]
        if day == 1 {
            forms["F_LAB_HEM"] = blood(c, day: -5)
            forms["F_CONMED"] = conmed(c, day: -5)
            forms["F_ITPPAQ"] = questionnaire(c, day: -5, date: c.dayZero.adding(days: -5))
        }
        return forms
    }

    // MARK: form contents

    static func screeningForms(_ c: DemoCourse, consent: ClinicalDate) -> [String: [String: ScreeningService.RawEntry]] {
        return [
            "F_CONSENT": ["CONSENT_DATE": e(consent.description), "SEX": e(c.index % 3 == 0 ? "M" : "F"), "PLANNED_INFUSION_DATE": e(c.dayZero.description)],
            "F_VITALS": vitals(c),
            "F_LAB_HEM": blood(c, day: -40),
            "F_LAB_CHEM": ["CREAT": e("70", "umol/L", "45", "110"), "BILI": e("10", "umol/L", "3", "21"),
                           "ALT": e("20", "U/L", "7", "40"), "AST": e("22", "U/L", "8", "40")],
            "F_LAB_COAG": ["PT": e("12", "s", "11", "14"), "INR": e("1.0", nil, "0.8", "1.2"), "APTT": e("30", "s", "25", "37")],
            "F_SEROLOGY": ["HIV_AB": e("NEG"), "SYPHILIS_AB": e("NEG"), "HCV_AB": e("NEG"), "HBSAG": e("NEG")],
            "F_ECHO": ["ECHO_DATE": e(consent.adding(days: 1).description), "LVEF": e("62", "%")],
            "F_TCELL": ["TCELL_RESULT": e("PASS"), "TCELL_DATE": e(consent.adding(days: 2).description)],
            "F_PRIOR_STUDY": ["OTHER_STUDY": e("false")],
            "F_ATTEST": Dictionary(uniqueKeysWithValues: ["I1_RR_ITP", "I3_VENOUS_ACCESS", "I5_CONSENT_CAPACITY"].map { ($0, e("true")) }
                + ["E1_SECONDARY_ITP", "E2_THROMBOSIS", "E3_CARDIOVASCULAR", "E4_UNCONTROLLED", "E5_MALIGNANCY", "E9_COAG_HISTORY", "E12_PREGNANCY",
                   "E13_FERTILITY", "E14_ALLERGY", "E15_SUBSTANCE", "E16_INVESTIGATOR"].map { ($0, e("false")) }),
        ]
    }

    static func vitals(_ c: DemoCourse) -> [String: ScreeningService.RawEntry] {
        return ["ECOG": e("1"), "WEIGHT": e(String(Int(c.weightKg)), "kg"), "HEIGHT": e(String(150 + Int(c.weightKg) / 2), "cm"),
                "SPO2": e("97", "%"), "DYSPNEA_GRADE": e("0")]
    }

    /// The blood count of a day: platelets from the course, neutrophils low for the days after lymphodepletion.
    static func blood(_ c: DemoCourse, day: Int) -> [String: ScreeningService.RawEntry] {
        let anc = (1...10).contains(day) ? 0.3 + 0.15 * Double(abs(day - 5)) : 2.6 + c.chance(day: day, 4)
        return ["HGB": e(String(105 + Int(c.chance(day: day, 5) * 20)), "g/L", "115", "150"),
                "ANC": e(String(format: "%.1f", anc), "10*9/L", "1.8", "7.5"),
                "PLT": e(String(c.platelets(day: day)), "10*9/L", "125", "350"),
                "WBC": e(String(format: "%.1f", anc + 1.5), "10*9/L", "3.5", "9.5")]
    }

    /// The ITP regimen of a day: the course's prednisone taper and eltrombopag (spec §9.1 doses).
    static func conmed(_ c: DemoCourse, day: Int) -> [String: ScreeningService.RawEntry] {
        var out: [String: ScreeningService.RawEntry] = [:]
        var slot = 0
        for (drug, mg) in [("prednisone", c.prednisoneMg(day: day)), ("eltrombopag", c.eltrombopagMg(day: day))] where mg > 0 {
            slot += 1
            out["CM\(slot)_DRUG"] = e(drug); out["CM\(slot)_DOSE"] = e(TodayService.number(mg)); out["CM\(slot)_UNIT"] = e("mg/day")
        }
        out["CM_ANY"] = e(slot > 0 ? "true" : "false")
        return out
    }

    /// CRP, ferritin and IL-6 rising with CRS (illustrative magnitudes).
    static func inflammation(_ c: DemoCourse, day: Int) -> [String: ScreeningService.RawEntry] {
        let g = Double(max(c.crs(day: day), c.crs(day: day - 1)))
        return ["CRP": e(String(format: "%.1f", 3 + 40 * g + 4 * c.chance(day: day, 14)), "mg/L", "0", "8"),
                "FERRITIN": e(String(Int(150 + 900 * g + 50 * c.chance(day: day, 15))), "ug/L", "30", "400"),
                "IL6": e(String(format: "%.1f", 4 + 60 * g * g), "pg/mL", "0", "7")]
    }

    /// IgG falling with plasma-cell depletion and recovering slowly (g/L).
    static func immunoglobulins(_ c: DemoCourse, day: Int) -> [String: ScreeningService.RawEntry] {
        let fall = day > 0 ? c.depletion * 0.55 * min(1, Double(day) / 30) * exp(-Double(max(0, day - 60)) / 240) : 0
        return ["IGG": e(String(format: "%.1f", 11 * (1 - fall)), "g/L", "7", "16"), "IGA": e(String(format: "%.2f", 2 * (1 - fall)), "g/L", "0.7", "4"),
                "IGM": e(String(format: "%.2f", 1.1 * (1 - fall)), "g/L", "0.4", "2.3")]
    }

    /// ITP-PAQ raw codes (1…5, synthetic): better answers with higher counts and without bleeding risk.
    static func questionnaire(_ c: DemoCourse, day: Int, date: ClinicalDate) -> [String: ScreeningService.RawEntry] {
        let quality = min(1, c.expectedPlatelets(day: day) / 150)
        var out: [String: ScreeningService.RawEntry] = ["PAQ_DATE": e(date.description), "PAQ_VERSION": e("synthetic-1"), "PAQ_LANGUAGE": e("zh-CN")]
        for item in 1...44 where c.chance(day: day * 100 + item, 12) > 0.03 {
            let code = 1 + Int((4 * quality + 1.6 * (c.chance(day: day * 100 + item, 13) - 0.5)).rounded())
            out["PAQ_" + (item < 10 ? "0" : "") + String(item)] = e(String(min(5, max(1, code))))
        }
        return out
    }

    /// ASTCT signs that give `grade`: fever; with hypotension for 2; with one vasopressor for 3.
    static func crs(grade: Int) -> [String: ScreeningService.RawEntry] {
        return ["CRS_TMAX": e(grade == 0 ? "36.8" : "38.9", "Cel"), "CRS_FEVER_MASKED": e("false"),
                "CRS_HYPOTENSION": e(grade >= 2 ? "true" : "false"), "CRS_VASOPRESSORS": e(grade >= 3 ? "1" : "0"), "CRS_O2_DEVICE": e("roomAir")]
    }

    /// ICE items that give `grade` (10 correct = 0, 8 = grade 1, 5 = grade 2), the other findings normal.
    static func icans(grade: Int) -> [String: ScreeningService.RawEntry] {
        let correct = grade == 0 ? 10 : grade == 1 ? 8 : 5
        var out: [String: ScreeningService.RawEntry] = ["ICANS_CONSCIOUSNESS": e("alert"), "ICANS_SEIZURE": e("none"), "ICANS_MOTOR": e("false"),
                                                        "ICANS_EDEMA": e("none"), "ICANS_ICP_SIGNS": e("false")]
        for (k, oid) in ToxicityCourse.iceItems.enumerated() { out[oid] = e(k < correct ? "true" : "false") }
        return out
    }

    /// The same day's bleeding graded with ITP-BAT: skin bleeding as petechiae grade 1 (grade 2 below 10 ×10⁹/L),
    /// mucosal bleeding as epistaxis grade 1 — the draws `bleeding` makes, so the two assessments agree.
    static func bleedingTool(_ c: DemoCourse, day: Int, platelets: Int) -> [String: ScreeningService.RawEntry] {
        let skin = platelets < 20 && c.chance(day: day, 6) < 0.5
        let mucosal = platelets < 10 && c.chance(day: day, 7) < 0.25
        var out: [String: ScreeningService.RawEntry] = ["BAT_ANY": e(skin || mucosal ? "true" : "false")]
        if skin { out["BAT_PETECHIAE"] = e(platelets < 10 ? "2" : "1") }
        if mucosal { out["BAT_EPISTAXIS"] = e("1") }
        return out
    }

    /// Bleeding drawn from the count: skin bleeding at < 20 half the time, mucosal at < 10 now and then.
    static func bleeding(_ c: DemoCourse, day: Int, platelets: Int) -> [String: ScreeningService.RawEntry] {
        let skin = platelets < 20 && c.chance(day: day, 6) < 0.5
        let mucosal = platelets < 10 && c.chance(day: day, 7) < 0.25
        return ["BLEED_SKIN": e(skin ? "body" : "none"), "BLEED_MUCOSAL": e(mucosal ? "occasional" : "none"),
                "BLEED_VISCERAL": e("none"), "BLEED_CNS": e("false")]
    }
}
