import CartaStudy
import CartaCore
import CartaModel
@testable import CartaWeb

/// Fixed page models for snapshots and the security checks; `text` lets a test put the same
/// string into every user-data field.
enum PageFixtures {
    static func layout(user: Bool = true, current: NavLink.Section? = nil, text: String? = nil, flashes: [Flash] = []) -> LayoutModel {
        LayoutModel(
            studyId: text ?? "NCT05315778",
            studyTitle: text ?? "BCMA CAR-T in relapsed/refractory ITP",
            user: user ? SignedInUser(username: text ?? "ines.investigator", role: text ?? "Investigator") : nil,
            csrf: text ?? "csrf-token-123",
            flashes: flashes,
            current: current
        )
    }

    static func signIn(text: String? = nil) -> SignInPage.Model {
        SignInPage.Model(username: text ?? "cora", signinError: text ?? "Unknown username or wrong password.", next: text ?? "/participants")
    }

    static func dashboard(text: String? = nil) -> DashboardPage.Model {
        DashboardPage.Model(screening: 3, enrolled: 2, screenFailed: 1, target: 5, waiting: [
            .init(subjectId: text ?? "BCRITP-003", reason: text ?? "screening data incomplete: Hb, ANC"),
            .init(subjectId: text ?? "BCRITP-002", reason: text ?? "awaiting investigator signature"),
        ], conduct: [
            .init(id: "conduct-alerts", count: 2, text: text ?? "2 alerts to acknowledge for 1 participant", href: "/today", urgent: true),
            .init(id: "conduct-queries", count: 0, text: text ?? "No open queries", href: "/queries", urgent: false),
        ])
    }

    static func participants(text: String? = nil) -> ParticipantsPage.Model {
        ParticipantsPage.Model(rows: [
            .init(subjectId: text ?? "BCRITP-001", status: .enrolled, site: text ?? "Tianjin Haihe",
                  registeredOn: text ?? "2026-10-02", nextAction: text ?? "Schedule lymphodepletion"),
            .init(subjectId: text ?? "BCRITP-002", status: .screening, site: text ?? "Tianjin Haihe",
                  registeredOn: text ?? "2026-11-20", nextAction: text ?? "Awaiting investigator signature"),
            .init(subjectId: text ?? "BCRITP-004", status: .screenFailed, site: text ?? "Tianjin Haihe",
                  registeredOn: text ?? "2026-11-21", nextAction: text ?? "None"),
        ], status: .enrolled, pager: Pager(total: 203, page: 2, size: 100), subject: text ?? "00")
    }

    static func register(text: String? = nil) -> RegisterPage.Model {
        RegisterPage.Model(
            fullName: .init(value: text ?? "Li Wei", error: text),
            dateOfBirth: .init(value: text ?? "1984-13-07", error: text ?? "Date of birth: \"1984-13-07\" is not a calendar date (YYYY-MM-DD)."),
            hospitalNumber: .init(value: text ?? "", error: text ?? "Hospital number is required."),
            sites: [
                SelectOption(value: text ?? "", label: text ?? "— choose a site —"),
                SelectOption(value: text ?? "TJ01", label: text ?? "Tianjin Haihe Hospital", selected: true),
            ],
            siteError: text
        )
    }

    static func participant(text: String? = nil) -> ParticipantPage.Model {
        let t = text
        let history = [
            ParticipantPage.HistoryEntry(when: t ?? "2026-11-24T09:12:00Z", who: t ?? "cora", oldValue: t ?? "",
                                         newValue: t ?? "92", reason: t ?? "", source: t ?? "web"),
            ParticipantPage.HistoryEntry(when: t ?? "2026-11-25T10:02:00Z", who: t ?? "cora", oldValue: t ?? "92",
                                         newValue: t ?? "112", reason: t ?? "Transcription error corrected", source: t ?? "web"),
        ]
        let labs = ParticipantPage.FormSection(oid: t ?? "F.LAB", name: t ?? "Screening laboratory", items: [
            .init(oid: t ?? "HGB", label: t ?? "Haemoglobin", kind: .number, value: t ?? "112",
                  units: [SelectOption(value: t ?? "g/L", label: t ?? "g/L", selected: true), SelectOption(value: "g/dL", label: "g/dL")],
                  referenceRange: .init(lln: t ?? "115", uln: t ?? "150"), warning: t ?? "112 g/L is below the lab's LLN 115 g/L.",
                  help: t ?? "Most recent value within 28 days.", loinc: t ?? "718-7", history: history,
                  changeReason: .init(selected: t ?? "transcription_error", text: t ?? "The lab report says 112 g/L",
                                      error: t ?? "Haemoglobin was 92 g/L; changing it needs a reason for change."),
                  conflict: t ?? "You entered 110; the value now saved is 112 (shown)."),
            .init(oid: t ?? "ANC", label: t ?? "Neutrophils, absolute", kind: .number, value: t ?? "abc",
                  units: [SelectOption(value: t ?? "10*9/L", label: t ?? "10*9/L", selected: true)],
                  error: t ?? "ANC: \"abc\" is not a number.", loinc: t ?? "751-8", grade: t ?? "CTCAE v5.0 Neutrophil count decreased: grade 4 (< 0.5)",
                  confirmPrompt: t ?? "0.3 ×10⁹/L is right as typed"),
            .init(oid: t ?? "ALT", label: t ?? "ALT", kind: .number, value: t ?? "",
                  units: [SelectOption(value: "U/L", label: "U/L", selected: true)],
                  referenceRange: .init(lln: t ?? "", uln: t ?? "", laboratory: t ?? "7–40 U/L (Central laboratory, from 2020-01-01)",
                                        llnPlaceholder: t ?? "7", ulnPlaceholder: t ?? "40"), loinc: t ?? "1742-6"),
        ], laboratories: [SelectOption(value: "CENTRAL", label: t ?? "Central laboratory", selected: true),
                          SelectOption(value: "EMERGENCY", label: t ?? "Emergency laboratory")])
        let other = ParticipantPage.FormSection(oid: t ?? "F.SCR", name: t ?? "Screening assessments", items: [
            .init(oid: t ?? "ECOG", label: t ?? "ECOG performance status", kind: .select, value: t ?? "1",
                  choices: SelectOption.list([("0", "0 — fully active"), ("1", "1 — restricted strenuous activity"), ("2", "2 — ambulatory")], current: "1")
                    + (t.map { [SelectOption(value: $0, label: $0)] } ?? [])),
            .init(oid: t ?? "VENOUS", label: t ?? "Adequate venous access for apheresis", kind: .yesNo, value: t ?? "Y",
                  choices: t.map { [SelectOption(value: $0, label: $0)] } ?? []),
            .init(oid: t ?? "ECHODT", label: t ?? "Echocardiogram date", kind: .date, value: t ?? "2026-11-18"),
            .init(oid: t ?? "SECITP", label: t ?? "Cause of secondary ITP, if any", kind: .text, value: t ?? ""),
        ], lockedNote: t)
        let subject = t ?? "BCRITP-002"
        var model = ParticipantPage.Model(
            subjectId: subject, status: .screening, site: t ?? "Tianjin Haihe Hospital", registeredOn: t ?? "2026-11-20",
            identity: .init(fullName: t ?? "Li Wei", dateOfBirth: t ?? "1984-03-07", hospitalNumber: t ?? "H-0042"),
            criteria: [
                .init(id: t ?? "I2", inclusion: true, text: t ?? "Age 18–65 years at consent", outcome: .met(t ?? "Age 42 on 2026-11-20 (18–65)"),
                      fields: [.init(label: t ?? "Date of informed consent", href: "#item-CONSENT_DATE")]),
                .init(id: t ?? "E7", inclusion: false, text: t ?? "Hb < 100 g/L or ANC < 1.5 × 10^9/L",
                      outcome: .notMet(t ?? "Hb 92 g/L < 100 g/L"),
                      fields: [.init(label: t ?? "Haemoglobin", href: "#item-HGB"), .init(label: t ?? "Neutrophils", href: "#item-ANC")]),
                .init(id: t ?? "E8", inclusion: false, text: t ?? "ALT or AST > 3 × ULN",
                      outcome: .notEvaluable(missing: t ?? "ALT, AST, ALT ULN")),
            ],
            verdict: .notEligible(t ?? "1 criterion not met (E7); 1 not evaluable (E8)."),
            signature: .init(signedBy: t ?? "Dr Ines Investigator", signedAt: t ?? "2026-11-25T10:20:00+08:00",
                             decision: t ?? "Not eligible", meaning: t ?? "I reviewed the eligibility criteria.",
                             contentHash: t ?? "9f2c41d0e5b7a3c8f1e2d4b6a8c0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6", invalidated: true),
            screening: .init(subjectId: subject, version: t ?? "7", sections: [labs, other],
                             screeningError: t ?? "Someone else saved this participant first. Reload to see their changes."),
            signForm: .init(subjectId: subject, version: t ?? "7",
                            decisions: [SelectOption(value: t ?? "eligible", label: t ?? "Eligible"),
                                        SelectOption(value: t ?? "not_eligible", label: t ?? "Not eligible", selected: true)],
                            meaning: t ?? "I have reviewed every criterion and the decision is mine.",
                            signerName: t ?? "Dr Ines Investigator", signError: t ?? "Password incorrect. Nothing was signed.",
                            needsAcknowledgement: true, needsCode: false),
            enrolForm: .enrol(subjectId: subject, version: t ?? "7"),
            enrolBlockedReason: t ?? "E7 not met.",
            screenFailForm: .init(subjectId: subject, version: t ?? "7", reasons: t ?? "E7: Hb 92 g/L < 100 g/L",
                                  reasonsError: t),
            screenFailReasons: t
        )
        model.monitoringHTML = monitoring(text: t, monitor: false, version: 7).html
        return model
    }

    /// The monitoring section with a query of each status, SDV progress and a valid and an invalidated signature.
    static func monitoring(text t: String? = nil, monitor: Bool, version: Int = 9) -> MonitoringSection {
        let thread = [MonitoringSection.Message(action: "raised", by: t ?? "Mo Monitor", at: "2026-11-26 09:00 UTC+00:00", text: t ?? "Source says 52?"),
                      MonitoringSection.Message(action: "answered", by: t ?? "Cora Coordinator", at: "2026-11-27 10:00 UTC+00:00", text: t ?? "Corrected.")]
        return MonitoringSection(
            subjectId: "BCRITP-001", csrf: "csrf-token-123", version: version,
            queries: [
                .init(id: "q1", itemOID: "PLT", itemLabel: t ?? "Platelet count", formName: t ?? "Screening haematology", status: "answered",
                      origin: t ?? "Raised by Mo Monitor", ageDays: 3, messages: thread, canAnswer: false, canClose: monitor, canReopen: monitor),
                .init(id: "q2", itemOID: "WEIGHT", itemLabel: t ?? "Body weight", formName: t ?? "Vital signs", status: "open",
                      origin: t ?? "Edit check RANGE_WEIGHT", ageDays: 0, messages: Array(thread.prefix(1)), canAnswer: !monitor, canClose: monitor,
                      canReopen: false),
            ],
            raisableItems: monitor ? [("PLT", t ?? "Screening haematology: Platelet count"), ("WEIGHT", t ?? "Vital signs: Body weight")] : [],
            forms: [.init(formOID: "F_VITALS", name: t ?? "Vital signs", recorded: 5, verified: 4, criticalRecorded: 2, criticalVerified: 1,
                          changedSinceVerification: 1),
                    .init(formOID: "F_LAB_HEM", name: t ?? "Screening haematology", recorded: 4, verified: 4, criticalRecorded: 1,
                          criticalVerified: 1, changedSinceVerification: 0)],
            canVerify: monitor,
            signatures: [.init(signerName: t ?? "Dr Ines Investigator", signedAt: "2026-11-28 08:00 UTC+00:00", meaning: t ?? "Complete and accurate.",
                               contentHash: String(repeating: "ab", count: 32), valid: false),
                         .init(signerName: t ?? "Dr Ines Investigator", signedAt: "2026-11-29 08:00 UTC+00:00", meaning: t ?? "Complete and accurate.",
                               contentHash: String(repeating: "cd", count: 32), valid: true)],
            signForm: monitor ? nil : (meaning: t ?? "Complete and accurate.", signerName: t ?? "Dr Ines Investigator", needsAcknowledgement: true, needsCode: true))
    }

    static func casebook(text t: String? = nil) -> CasebookPage.Model {
        CasebookPage.Model(
            subjectId: "BCRITP-001", study: t ?? "NCT05315778 — Anti-BCMA CAR-T for ITP", site: t ?? "Suzhou", status: t ?? "enrolled",
            printedAt: t ?? "2026-12-05 06:00 UTC+00:00", printedBy: t ?? "Mo Monitor", eligibility: t ?? "eligible, signed by Dr Ines Investigator",
            forms: [.init(visitID: "SCR", visit: t ?? "Screening", oid: "F_LAB_HEM", name: t ?? "Screening haematology", rows: [
                        .init(id: "cb-SCR-PLT", label: t ?? "Platelet count", value: t ?? "25 ×10⁹/L", range: t ?? "150–400",
                              changed: t ?? "cora, 2026-11-25 10:02 UTC+00:00", verified: t ?? "Mo Monitor, 2026-11-26 09:00 UTC+00:00")]),
                    .init(visitID: "D7", visit: t ?? "Day 7", oid: "F_LAB_HEM", name: t ?? "Screening haematology", rows: [
                        .init(id: "cb-D7-PLT", label: t ?? "Platelet count", value: t ?? "9 ×10⁹/L", range: t ?? "150–400",
                              changed: t ?? "cora, 2026-12-09 09:40 UTC+00:00", verified: t ?? "not yet (critical)")])],
            signatures: [.init(kind: t ?? "Casebook", signer: t ?? "Dr Ines Investigator", at: t ?? "2026-11-29 08:00 UTC+00:00",
                               meaning: t ?? "Complete and accurate.", contentHash: t ?? String(repeating: "ab", count: 32), standing: t ?? "valid")],
            queries: [.init(item: t ?? "Platelet count (F_LAB_HEM)", status: t ?? "closed",
                            thread: [.init(action: t ?? "raised", by: t ?? "Mo Monitor", at: t ?? "2026-11-26 09:00 UTC+00:00", text: t ?? "Source says 52?")])],
            audit: .init(events: [.init(seq: 42, seqThrough: 44, time: t ?? "2026-11-25 10:02:11 UTC+00:00", user: t ?? "cora", field: t ?? "Screening haematology › Platelet count",
                                        change: t ?? "52 → 25", reason: t ?? "Transcription error")],
                         truncated: t ?? "The first 5000 audit records are shown."))
    }

    static func account(text t: String? = nil) -> AccountPage.Model {
        AccountPage.Model(displayName: t ?? "Dr Ines Investigator", username: t ?? "ines", role: t ?? "Investigator", sites: t ?? "Suzhou",
                          tokens: [.init(id: t ?? "3f2a9c01b7de…", created: t ?? "2026-12-05 06:00 UTC+00:00", expires: t ?? "2026-12-05 14:00 UTC+00:00")],
                          passwordError: t ?? "The current password is wrong; the password was not changed.",
                          secondFactorSince: t ?? "2026-12-01 09:12 UTC+08:00",
                          secondFactorSetup: .init(secret: t ?? "MZXW6YTBOIMZXW6YTBOIMZXW6YTBOIMZ", keyURI: t ?? "otpauth://totp/Carta:ines?secret=MZXW6YTBOI"),
                          secondFactorError: t ?? "The code does not match.")
    }

    static func queryInbox(text t: String? = nil) -> QueryInboxPage.Model {
        QueryInboxPage.Model(
            rows: [.init(id: "q1", subjectId: t ?? "BCRITP-001", href: "/participants/BCRITP-001#query-q1", item: t ?? "Platelet count",
                         form: t ?? "Screening haematology", status: "open", ageDays: 12, origin: t ?? "Mo Monitor", lastMessage: t ?? "raised: Source says 52?")],
            statuses: [SelectOption(value: "open,answered", label: "Active (open or answered)", selected: true), SelectOption(value: "closed", label: "Closed")],
            forms: [SelectOption(value: "", label: "Any form"), SelectOption(value: "F_LAB_HEM", label: t ?? "Screening haematology", selected: true)],
            subject: t ?? "BCRITP-001", minAgeDays: t ?? "7", summary: t ?? "1 query, oldest first.")
    }

    /// A monitor's view: no identity, read-only data, no action forms.
    static func participantMonitor() -> ParticipantPage.Model {
        let full = participant()
        var model = ParticipantPage.Model(
            subjectId: full.subjectId, status: .enrolled, site: full.site, registeredOn: full.registeredOn,
            identity: nil, criteria: full.criteria.filter { $0.result == "met" }, verdict: .eligible("Every criterion met."),
            signature: .init(signedBy: "Dr Ines Investigator", signedAt: "2026-11-25T10:20:00+08:00", decision: "Eligible",
                             meaning: "I have reviewed every criterion and the decision is mine."),
            screening: .init(subjectId: full.subjectId, version: "9", sections: full.screening!.sections, readOnly: true,
                             lockedNote: "This casebook is locked by Dana Manager (2026-11-26 09:00 +08:00): SDV complete.")
        )
        model.monitoringHTML = monitoring(monitor: true).html
        model.courseHTML = course().html
        return model
    }

    /// An enrolled participant's course three weeks after Day 0: a missed day, a late visit, a deviation each.
    static func course(text t: String? = nil) -> CourseSection {
        let day0 = ClinicalDate(iso: "2026-12-20")!
        func visit(_ id: String, _ name: String, _ day: Int, _ before: Int, _ after: Int, done: Int?, _ status: VisitStatus) -> CalendarVisit {
            CalendarVisit(id: t ?? id, name: t ?? name, day: day, nominalDate: day0.adding(days: day), earliest: day0.adding(days: day - before),
                          latest: day0.adding(days: day + after), doneOn: done.map { day0.adding(days: $0) }, status: status)
        }
        let calendar = VisitCalendar(dayZero: day0, provisional: false, visits: [
            visit("SCR", "Screening", -14, 28, 0, done: -30, .done),
            visit("LD1", "Lymphodepletion day −5", -5, 0, 0, done: -5, .done),
            visit("D0", "Day 0 (CAR-T infusion)", 0, 0, 0, done: 0, .done),
            visit("D5", "Day 5", 5, 0, 0, done: nil, .missed),
            visit("D7", "Day 7", 7, 0, 0, done: 8, .outOfWindow),
            visit("D21", "Day 21", 21, 2, 2, done: nil, .due),
            visit("M1", "Month 1", 28, 3, 3, done: nil, .planned),
        ])
        return CourseSection(
            subjectId: t ?? "BCRITP-002", calendar: calendar,
            chain: [.init(label: t ?? "Apheresis", value: t ?? "2026-12-01"), .init(label: t ?? "Product", value: t ?? "lot LOT-0042, released on 2026-12-10")],
            procedures: [.init(label: t ?? "Leukapheresis", value: t ?? "APH")],
            deviations: [ProtocolDeviation(rule: .dailyAssessmentMissed, visitID: t ?? "D5", date: day0.adding(days: 5),
                                           description: t ?? "Day 5 (2026-12-25): no assessment recorded.")],
            today: day0.adding(days: 21),
            dosing: [.init(label: t ?? "Lymphodepletion", value: t ?? "LD1 2026-12-15"), .init(label: t ?? "Infusions", value: t ?? "fraction 1 on 2026-12-20 (bag B1)")],
            dosingVisitIDs: [t ?? "LD1", t ?? "D0"],
            safety: [.init(label: t ?? "CRS now", value: t ?? "grade 1 (worst grade 2)"), .init(label: t ?? "Adverse events", value: t ?? "2 recorded, 1 serious")],
            alerts: [TodayPage.Alert(n: 1, key: t ?? "crs:D7:2", severity: "warning", text: t ?? "CRS grade 2 at D7 (2026-12-27): hypotension.",
                                     href: "/participants/BCRITP-002/visits/D7#form-F_CRS")],
            outcomes: [.init(label: t ?? "Best response so far", value: t ?? "R"), .init(label: t ?? "Time to response", value: t ?? "day 14")],
            otherSteps: [.init(label: t ?? "Early termination", value: t ?? "ET")])
    }

    /// The today screen: an alarming participant and a quiet one.
    static func today(text t: String? = nil) -> TodayPage.Model {
        TodayPage.Model(date: "2027-01-10", csrf: "csrf-token-123", rows: [
            TodayPage.Row(subjectId: t ?? "BCRITP-001", day: t ?? "Day 6",
                          alerts: [TodayPage.Alert(n: 1, key: t ?? "platelets:D0:12", severity: "error", text: t ?? "Platelets 12 ×10⁹/L at D0 (2027-01-04), below 20.",
                                                   href: "/participants/BCRITP-001/visits/D0#item-PLT"),
                                   TodayPage.Alert(n: 2, key: t ?? "deviation:schedule.daily_assessment_missed:D5", severity: "warning",
                                                   text: t ?? "Protocol deviation: Day 5 (2027-01-09): no assessment recorded.")],
                          dueToday: [TodayPage.Visit(name: t ?? "Day 6", href: "/participants/BCRITP-001/visits/D6", window: t ?? "today only"),
                                     TodayPage.Visit(name: t ?? "Month 1", href: "/participants/BCRITP-001/visits/M1", window: t ?? "window 2027-01-01 to 2027-01-07")],
                          overdue: [TodayPage.Visit(name: t ?? "Day 21", href: "/participants/BCRITP-001/visits/D21", window: t ?? "window 2027-01-08 to 2027-01-12")],
                          nextStep: t ?? "CAR-T fraction 2", platelets: t ?? "12 ×10⁹/L on 2027-01-04 (down)",
                          plateletValues: [25, 12], crs: t ?? "grade 1", icans: t ?? "none", canAcknowledge: true),
            TodayPage.Row(subjectId: t ?? "BCRITP-002", day: t ?? "Day −12 (provisional)", alerts: [],
                          dueToday: [TodayPage.Visit(name: t ?? "Leukapheresis", href: "/participants/BCRITP-002/visits/APH", window: t ?? "any day")],
                          overdue: [TodayPage.Visit(name: t ?? "Lymphodepletion day −5", href: "/participants/BCRITP-002/visits/LD1", window: t ?? "today only")],
                          nextStep: t ?? "Leukapheresis", platelets: nil, plateletValues: [], crs: t ?? "not assessed", icans: t ?? "not assessed",
                          canAcknowledge: false),
            TodayPage.Row(subjectId: t ?? "BCRITP-003", day: t ?? "Day 40", alerts: [], dueToday: [],
                          overdue: [TodayPage.Visit(name: t ?? "Month 2", href: "/participants/BCRITP-003/visits/M2", window: t ?? "window 2027-02-01 to 2027-02-15")],
                          nextStep: nil, platelets: t ?? "160 ×10⁹/L on 2027-01-30 (up)", plateletValues: [20, 60, 160], crs: t ?? "none", icans: t ?? "none",
                          canAcknowledge: true),
            TodayPage.Row(subjectId: t ?? "BCRITP-004", day: t ?? "Day 210", alerts: [], dueToday: [], overdue: [],
                          nextStep: nil, platelets: t ?? "240 ×10⁹/L on 2026-11-16 (up)", plateletValues: [], crs: t ?? "none", icans: t ?? "none",
                          canAcknowledge: true, offStudy: t ?? "completed on 2026-11-16 (M6)"),
        ], views: [.init(id: "today-view-all", label: t ?? "All participants", href: "/today?page=1", count: 203, current: false),
                   .init(id: "today-view-attention", label: t ?? "Needs attention", href: "/today?show=attention", count: 103, current: true)],
           rangeText: t ?? "Participants 101–103 of 103", previousHref: "/today?show=attention", nextHref: "/today?show=attention&page=3",
           show: "attention", page: 2)
    }

    /// Derived outcomes of two treated participants: a responder with a censored duration and a non-responder
    /// with skin bleeding; a CRS term and a neutropenia term in the AE table.
    static func outcomes(text t: String? = nil) -> StudyOutcomes {
        let d0 = ClinicalDate(iso: "2026-06-01")!
        func src(_ visit: String, _ day: Int, _ v: Double, _ status: String, form: String = "F_LAB_HEM", item: String = "PLT") -> StudyOutcomes.SourceValue {
            .init(visitID: visit, formOID: form, itemOID: item, date: d0.adding(days: day), day: day, value: t ?? "\(Int(v)) ×10⁹/L", number: v,
                  status: status, basis: t ?? "atLeast100", rules: ["S"], path: "/participants/BCRITP-001/visits/\(visit)")
        }
        var responder = StudyOutcomes.Participant(
            subjectID: t ?? "BCRITP-001", siteID: "SUZHOU", ageYears: 41, sex: "F", weightKg: 62, dayZero: d0, baseline: 14, bestOverallResponse: "CR",
            statusAtMonth6: "CR", timeToResponseDays: 28, completeResponseIWGDay: 60, completeResponseProtocolLiteralDay: 60, crDiscordant: false,
            durationOfResponse: .init(days: 152, event: false, end: "lastEvaluableAssessment"), daysInResponse: 152, daysObserved: 180,
            lossOfResponseDay: nil, maxCRSGrade: 2, maxICANSGrade: nil, crsOnsetDay: 5, icansOnsetDay: nil, seriousEventDays: [], adverseEvents: 2,
            seriousAdverseEvents: 0, worstAdverseEventGrade: 3, maxBleedingScore: 1, bleedingAssessmentsWithBleeding: 1, severeBleeding: false,
            plateletTransfusions: 1, rescueTherapies: 0,
            sources: [src("SCR", -40, 14, "NE"), src("D7", 7, 9, "NR"), src("M1", 28, 80, "R"), src("M2", 60, 160, "CR"), src("M6", 180, 210, "CR"),
                      .init(visitID: "D7", formOID: "F_BLEED", itemOID: "BLEED_SKIN", date: d0.adding(days: 7), day: 7, value: t ?? "bleeding, score 1",
                            number: 1, status: nil, basis: nil, rules: ["S"], path: "/participants/BCRITP-001/visits/D7")],
            problems: [])
        let nonResponder = StudyOutcomes.Participant(
            subjectID: t ?? "BCRITP-002", siteID: "SUZHOU", ageYears: 55, sex: "M", weightKg: 71, dayZero: d0.adding(days: 30), baseline: 20,
            bestOverallResponse: "NR", statusAtMonth6: "NE", timeToResponseDays: nil, completeResponseIWGDay: nil, completeResponseProtocolLiteralDay: nil,
            crDiscordant: false, durationOfResponse: nil, daysInResponse: 0, daysObserved: 90, lossOfResponseDay: nil, maxCRSGrade: nil, maxICANSGrade: nil,
            crsOnsetDay: nil, icansOnsetDay: nil, seriousEventDays: [3], adverseEvents: 1, seriousAdverseEvents: 1, worstAdverseEventGrade: 3,
            maxBleedingScore: 2, bleedingAssessmentsWithBleeding: 2, severeBleeding: false, plateletTransfusions: 0, rescueTherapies: 1,
            sources: [src("SCR", -40, 20, "NE"), src("M1", 28, 22, "NR"), src("M3", 90, 18, "NR"),
                      .init(visitID: "M3", formOID: "F_RESCUE", itemOID: "RESCUE_START", date: d0.adding(days: 116), day: 86, value: t ?? "rescue ivig for itp",
                            number: nil, status: nil, basis: nil, rules: ["E"], path: "/participants/BCRITP-002/visits/M3")],
            problems: [t ?? "M3: rescue therapy without its last dose date; both are taken as the visit date 2026-08-30."])
        responder.concomitantTherapy = .init(
            drugs: [.init(drug: t ?? "prednisone", drugClass: "corticosteroid", intensityUnit: t ?? "mg/day prednisone-equivalent", baselineIntensity: 15,
                          reductionDay: 42, secondaryReductionDay: 70, discontinuationDay: 98, daysOff: 86, daysReduced: 56, percentChangeMonth3: -100,
                          percentChangeMonth6: -100, increased: false, newDrug: false)],
            anyReduction: true, anySecondaryReduction: true, anyDiscontinuation: true, treatmentFailure: false, drugsAtBaseline: 1, drugsAtMonth6: 0,
            steroidBaselineMgPerDay: 15, steroidPercentChangeMonth3: -100, steroidPercentChangeMonth6: -100, equivalenceTable: t ?? "spec/clinical.md §9.2")
        responder.steroidDose = [.init(day: -33, mgPerDay: 15), .init(day: 42, mgPerDay: 7.5), .init(day: 98, mgPerDay: 0), .init(day: 183, mgPerDay: 0)]
        responder.itpBat = [.init(visitID: "D7", date: d0.adding(days: 7), day: 7, skin: 2, mucosae: 1, organs: 0),
                            .init(visitID: "M1", date: d0.adding(days: 28), day: 28, skin: 0, mucosae: 0, organs: 0)]
        responder.worstITPBAT = t ?? "S2M1O0"
        responder.questionnaires = [.init(visitID: "LD1", date: d0.adding(days: -5), day: -5, version: t ?? "v1", language: "zh-CN", answered: 44, items: 44, scales: [])]
        var outcomes = StudyOutcomes(
            studyID: "NCT05315778", settingsDigest: "0123456789abcdef0123", method: t ?? "Response engine of spec/clinical.md §1.6.",
            participants: [responder, nonResponder], registered: 3, screenFailed: 1, enrolled: 2, treated: 2,
            overallResponse: .init(successes: 1, total: 2, percentText: "50.0%", lower: 0.0126, upper: 0.9874),
            completeResponseIWG: .init(successes: 1, total: 2, percentText: "50.0%", lower: 0.0126, upper: 0.9874),
            completeResponseProtocolLiteral: .init(successes: 1, total: 2, percentText: "50.0%", lower: 0.0126, upper: 0.9874),
            timeToResponse: .init(n: 1, median: 28, minimum: 28, maximum: 28),
            durationOfResponse: .init(responders: 1, events: 0, medianDays: nil, medianLower: nil, medianUpper: nil,
                                      steps: [.init(time: 152, atRisk: 1, events: 0, censored: 1, survival: 1, lower: nil, upper: nil)], atRisk: [1, 1, 1, 1, 1, 1, 0]),
            adverseEventsByTerm: [.init(term: t ?? "Neutrophil count decreased", meddraCode: "10029366", participants: 2, byWorstGrade: [0, 0, 2, 0, 0], serious: 0),
                                  .init(term: t ?? "Cytokine release syndrome", meddraCode: "10052015", participants: 1, byWorstGrade: [0, 1, 0, 0, 0], serious: 0)],
            participantsWithSeriousEvents: 1,
            crs: .init(participants: 1, byMaxGrade: [0, 1, 0, 0, 0], onsetDays: [5], durationDays: [3], treatedAssessments: 0),
            icans: .init(participants: 0, byMaxGrade: [0, 0, 0, 0, 0], onsetDays: [], durationDays: [], treatedAssessments: 0),
            participantsWithBleeding: 2, participantsWithSevereBleeding: 0, participantsWithRescue: 1)
        outcomes.itpBat = .init(assessed: 1, skinByWorstGrade: [0, 0, 1, 0, 0, 0], mucosaeByWorstGrade: [0, 1, 0, 0, 0, 0], organsByWorstGrade: [1, 0, 0, 0, 0, 0])
        outcomes.concomitantTherapy = .init(derived: 1, withBaselineTherapy: 1, reduction: .init(successes: 1, total: 1, percentText: "100.0%", lower: 0.025, upper: 1),
                                            secondaryReduction: .init(successes: 1, total: 1, percentText: "100.0%", lower: 0.025, upper: 1),
                                            discontinuation: .init(successes: 1, total: 1, percentText: "100.0%", lower: 0.025, upper: 1), treatmentFailure: 0,
                                            withSteroidAtBaseline: 1, steroidChangeMonth3: 1, medianSteroidPercentChangeMonth3: -100, steroidChangeMonth6: 1,
                                            medianSteroidPercentChangeMonth6: -100)
        outcomes.questionnaire = .init(instrument: "ITP-PAQ", scoredBy: nil, visits: [
            .init(visitID: "LD1", completed: 1, medianAnswered: 44, itemMedians: [3, 4, nil], scales: []),
            .init(visitID: t ?? "M1", completed: 0, medianAnswered: nil, itemMedians: [nil, nil, nil], scales: []),
        ])
        return outcomes
    }

    /// A timeline three weeks after Day 0.
    static func timeline(text t: String? = nil) -> TimelinePage.Model {
        let d0 = ClinicalDate(iso: "2026-12-20")!
        let course = course(text: t)
        return TimelinePage.build(.init(
            subjectId: t ?? "BCRITP-002", dayZero: d0, provisional: false, visits: course.calendar?.visits ?? [],
            doses: [.init(date: d0.adding(days: -5), label: t ?? "Lymphodepletion day −5"), .init(date: d0, label: t ?? "CAR-T fraction 1, bag B1", cells: true)],
            platelets: [.init(date: d0.adding(days: -30), value: 25, label: t ?? "25 ×10⁹/L at SCR"), .init(date: d0.adding(days: 7), value: 12, label: t ?? "12 ×10⁹/L at D7"),
                        .init(date: d0.adding(days: 21), value: 64, label: t ?? "64 ×10⁹/L at D21")],
            baselinePlatelets: 25, crs: [.init(date: d0.adding(days: 1), value: 1, label: t ?? "D1"), .init(date: d0.adding(days: 2), value: 2, label: t ?? "D2")],
            icans: [.init(date: d0.adding(days: 1), value: 0, label: t ?? "D1")], today: d0.adding(days: 21)))
    }

    /// The adverse-event log with a serious event whose clock is open, a reported one and a CRS episode.
    static func adverseEvents(text t: String? = nil) -> AdverseEventsPage.Model {
        func opts(_ v: String) -> [SelectOption] { [SelectOption(value: "", label: t ?? "— choose —"), SelectOption(value: v, label: t ?? v.capitalized, selected: true)] }
        return AdverseEventsPage.Model(
            subjectId: t ?? "BCRITP-002", participantPath: "/participants/BCRITP-002", csrf: "csrf-token-123",
            events: [
                .init(number: 1, term: t ?? "Cytokine release syndrome", grade: 3, onset: t ?? "2026-12-21", resolution: t ?? "ongoing",
                      seriousness: t ?? "hospitalisation", serious: true, causality: t ?? "unlikely / related / unrelated", outcome: t ?? "recovering",
                      clock: t ?? "open: 21 h left", clockState: "open", canReport: true, reportAction: "/participants/BCRITP-002/adverse-events/1/report",
                      editHref: "/participants/BCRITP-002/adverse-events?edit=1#ae-form"),
                .init(number: 2, term: t ?? "Fever", grade: 1, onset: t ?? "2026-12-21", resolution: t ?? "2026-12-22", seriousness: t ?? "no",
                      serious: false, causality: t ?? "possible / probable / unrelated", outcome: t ?? "recovered", clock: "", clockState: "none",
                      canReport: false, reportAction: "/participants/BCRITP-002/adverse-events/2/report"),
                .init(number: 3, term: t ?? "Sepsis", grade: 4, onset: t ?? "2026-12-23", resolution: t ?? "2026-12-30", seriousness: t ?? "life threatening",
                      serious: true, causality: t ?? "unlikely / possible / unrelated", outcome: t ?? "recovered", clock: t ?? "reported in time",
                      clockState: "met", canReport: false, reportAction: "/participants/BCRITP-002/adverse-events/3/report"),
            ],
            episodes: [.init(n: 1, syndrome: t ?? "CRS", term: t ?? "Cytokine release syndrome", maxGrade: 2, onset: t ?? "2026-12-21",
                             resolution: t ?? "ongoing", visits: t ?? "D1, D2")],
            canRecord: true,
            form: .init(term: t ?? "Fever", specify: t ?? "infusion reaction", onset: t ?? "yesterday", resolution: t ?? "2026-12-22",
                        awareAt: t ?? "2026-12-21T09:00:00+08:00",
                        grades: [SelectOption(value: "1", label: t ?? "Grade 1", selected: true), SelectOption(value: "2", label: "Grade 2")],
                        criteria: [.init(value: t ?? "life_threatening", label: t ?? "life threatening", checked: false),
                                   .init(value: "hospitalisation", label: "Hospitalisation", checked: true)],
                        causalityLD: opts("unlikely"), causalityCART: opts("related"), causalityITP: opts("unrelated"), actions: opts("dose_held"),
                        outcomes: opts("recovering")),
            errors: [t ?? "onset must be a date YYYY-MM-DD (got \"yesterday\")."], terms: [t ?? "Cytokine release syndrome", "Fever"])
    }

    /// A visit's data-entry page with one form.
    static func visit(text t: String? = nil, alerts: Bool = true) -> VisitPage.Model {
        let form = ParticipantPage.FormSection(oid: t ?? "F_APHERESIS", name: t ?? "Leukapheresis", items: [
            .init(oid: t ?? "APH_DATE", label: t ?? "Apheresis date", kind: .date, value: t ?? "2026-12-01"),
            .init(oid: t ?? "APH_VOLUME", label: t ?? "Collected product volume", kind: .number, value: t ?? "5000",
                  units: [SelectOption(value: "mL", label: "mL", selected: true)], error: t ?? "Collected product volume: 5000 mL is outside 10–2000 mL.",
                  confirmPrompt: t ?? "5000 mL is right as typed"),
        ])
        return VisitPage.Model(
            title: t ?? "BCRITP-002 · Leukapheresis", subjectId: t ?? "BCRITP-002", participantPath: "/participants/BCRITP-002",
            visitName: t ?? "Leukapheresis", visitID: t ?? "APH", windowText: t ?? "Product chain step", status: t ?? "Product chain",
            action: "/participants/BCRITP-002/visits/APH", csrf: "csrf-token-123", version: t ?? "9", readOnly: false,
            error: t ?? "Leukapheresis: apheresis on 2026-11-30 is before enrolment on 2026-12-01. Nothing was saved.",
            errorSummary: [.init(fieldId: "item-APH_VOLUME", message: t ?? "Collected product volume: 5000 mL is outside 10–2000 mL.")], hasErrors: true,
            sectionsHTML: ParticipantPage.Screening.sectionsHTML([form], readOnly: false),
            calculationHTML: VisitPage.panelHTML(.init(rows: [("Body surface area", t ?? "1.82 m²"), ("fludarabine", t ?? "55 mg/day")], calculatedBy: t ?? "cora",
                                                       verifiedBy: nil, canCalculate: true, canVerify: true, action: "/participants/BCRITP-002/dose-calculation"),
                                                 csrf: "csrf-token-123", version: t ?? "9"),
            alerts: alerts ? [TodayPage.Alert(n: 1, key: t ?? "platelets:D7:12", severity: "error", text: t ?? "Platelets 12 ×10⁹/L at D7 (2027-01-11), below 20.",
                                              href: "/participants/BCRITP-002/visits/D7#item-PLT"),
                              TodayPage.Alert(n: 2, key: t ?? "crs:APH:2", severity: "warning", text: t ?? "CRS grade 2 at APH: hypotension without vasopressors.",
                                              href: "#form-F_CRS")] : [],
            hasAlerts: alerts)
    }

    static func audit(text: String? = nil) -> AuditPage.Model {
        let t = text
        return AuditPage.Model(events: [
            .init(seq: 51, time: t ?? "2026-11-25T10:02:00Z", user: t ?? "cora", source: t ?? "web",
                  entity: t ?? "participant BCRITP-002", field: t ?? "Screening laboratory › Haemoglobin",
                  fieldPath: t ?? "SCREENING/F_LAB/HGB", oldValue: t ?? "92", newValue: t ?? "112",
                  reason: t ?? "Transcription error — corrected from the lab report",
                  redaction: t ?? "Redacted by Dana Manager at 2026-11-26T01:00:00.000Z: patient's name typed into the reason"),
            .init(seq: 52, time: t ?? "2026-11-25T10:20:00Z", user: t ?? "ines", source: t ?? "web",
                  entity: t ?? "participant BCRITP-002", field: t ?? "eligibility.signature", oldValue: t ?? "",
                  newValue: t ?? "not_eligible", reason: t ?? ""),
            .init(seq: 53, seqThrough: 58, time: t ?? "2026-11-25T10:30:00Z", user: t ?? "cora", source: t ?? "web",
                  entity: t ?? "participant BCRITP-002", field: t ?? "Screening chemistry › Creatinine",
                  fieldPath: t ?? "SCREENING/F_LAB_CHEM/CREAT", oldValue: t ?? "",
                  newValue: t ?? "88 µmol/L · LLN 45 · ULN 90", reason: t ?? ""),
        ], chain: t.map { .broken(atSeq: 17, detail: $0) } ?? .verified(count: 123), page: 2, pageSize: 50, total: 123,
           filters: .init(subject: t ?? "BCRITP-002",
                          forms: [SelectOption(value: "", label: t ?? "— every form —"),
                                  SelectOption(value: t ?? "F_LAB", label: t ?? "Screening laboratory", selected: true)],
                          item: t ?? "HGB", user: t ?? "cora", from: t ?? "2026-11-01", to: t ?? "2026-11-30", afterSignatureOrLock: true,
                          error: t ?? "to must be a date YYYY-MM-DD (got \"30.11.2026\")."),
           signOff: .init(scope: t ?? "participant BCRITP-002 · changes after a signature or lock", recordCount: 2,
                          meaning: t ?? "Audit trail reviewed", signerName: t ?? "Mo Monitor", needsCode: true),
           reviews: [.init(scope: t ?? "participant BCRITP-002", href: t ?? "/audit?subject=BCRITP-002", records: t ?? "14 through #52",
                           reviewer: t ?? "Mo Monitor", signedAt: t ?? "2026-11-26 09:00 UTC+08:00", meaning: t ?? "Audit trail reviewed",
                           comment: t ?? "Corrections match the source.", contentHash: t ?? "3f2a9c01b7de4411…")],
           redactForm: .init(needsCode: true), archiveHref: t ?? "/export/odm")
    }

    static func accessReview(text t: String? = nil) -> AccessReviewPage.Model {
        AccessReviewPage.Model(generatedAt: t ?? "2026-12-05 09:00 UTC+08:00", summary: t ?? "2 accounts (2 active); 1 to look at.", rows: [
            .init(username: t ?? "stan", displayName: t ?? "Stan Statistician", role: t ?? "Statistician", sites: t ?? "every site",
                  state: t ?? "active", lastSignIn: t ?? "never", failures: 0, lastAccessChange: t ?? "—", secondFactor: t ?? "no", tokens: 0,
                  flags: t ?? "never signed in in 90 days: deactivate?"),
            .init(username: t ?? "cora", displayName: t ?? "Cora Coordinator", role: t ?? "Coordinator", sites: t ?? "Suzhou",
                  state: t ?? "active", lastSignIn: t ?? "2026-12-04 17:30 UTC+08:00", failures: 1,
                  lastAccessChange: t ?? "2026-11-02 09:00 UTC+08:00", secondFactor: t ?? "yes", tokens: 2, flags: ""),
        ], alerts: [t ?? "2026-12-05 08:12 UTC+08:00 — Account cora was locked after 5 failed sign-ins within 15 minutes (audit record #812)."])
    }

    static func error(text: String? = nil) -> ErrorPage.Model {
        ErrorPage.Model(status: 409, heading: text ?? "Conflict", message: text ?? "Someone else saved this participant first.",
                        nextStep: text ?? "Reload the participant page, check their changes, and enter yours again.")
    }
}
