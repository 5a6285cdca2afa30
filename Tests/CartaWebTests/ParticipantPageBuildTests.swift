import CartaCore
import CartaModel
import CartaStudy
import CartaWeb
import Foundation
import Testing

/// The domain → page mapping, as a table: participant state × viewer role → which actions the page
/// offers, why enrolment is blocked, and whether the screening form is editable.
/// Source: issue 6 scope 4; issue 2 §5 (roles) and §6 (sign, enrol, screen failure).
@Suite struct ParticipantPageBuildTests {
    enum Situation: String, Sendable, CaseIterable { case incomplete, failing, eligibleUnsigned, eligibleSigned, enrolled, screenFailed }

    struct Expectation: Sendable, CustomTestStringConvertible {
        let situation: Situation
        let role: UserRole
        let sign: [String]          // decision values offered on the signing form
        let enrol: Bool             // enrol button present
        let blocked: String?        // prefix of the "why not" shown instead
        let screenFail: Bool        // screen-failure form present
        let editable: Bool          // screening form editable
        var testDescription: String { "\(situation.rawValue) as \(role.rawValue)" }
    }

    static let needsSignature = "Enrolment needs the investigator's signed"
    static let notAllMet = "Enrolment is possible only when every criterion is met"

    static let table: [Expectation] = [
        .init(situation: .incomplete, role: .investigator, sign: [], enrol: false, blocked: notAllMet, screenFail: true, editable: true),
        .init(situation: .incomplete, role: .coordinator, sign: [], enrol: false, blocked: notAllMet, screenFail: true, editable: true),
        .init(situation: .incomplete, role: .monitor, sign: [], enrol: false, blocked: nil, screenFail: false, editable: false),
        .init(situation: .failing, role: .investigator, sign: ["not_eligible"], enrol: false, blocked: notAllMet, screenFail: true, editable: true),
        .init(situation: .failing, role: .coordinator, sign: [], enrol: false, blocked: notAllMet, screenFail: true, editable: true),
        .init(situation: .eligibleUnsigned, role: .investigator, sign: ["eligible"], enrol: false, blocked: needsSignature, screenFail: true, editable: true),
        .init(situation: .eligibleUnsigned, role: .coordinator, sign: [], enrol: false, blocked: needsSignature, screenFail: true, editable: true),
        .init(situation: .eligibleSigned, role: .investigator, sign: [], enrol: true, blocked: nil, screenFail: true, editable: true),
        .init(situation: .eligibleSigned, role: .coordinator, sign: [], enrol: true, blocked: nil, screenFail: true, editable: true),
        .init(situation: .eligibleSigned, role: .monitor, sign: [], enrol: false, blocked: nil, screenFail: false, editable: false),
        .init(situation: .eligibleSigned, role: .admin, sign: [], enrol: false, blocked: nil, screenFail: false, editable: false),
        .init(situation: .enrolled, role: .investigator, sign: [], enrol: false, blocked: nil, screenFail: false, editable: false),
        .init(situation: .screenFailed, role: .coordinator, sign: [], enrol: false, blocked: nil, screenFail: false, editable: false),
    ]

    static func input(_ situation: Situation, role: UserRole) throws -> ParticipantPage.Input {
        let study = try StudyLoader.builtIn()
        let status: ParticipantStatus = situation == .enrolled ? .enrolled : situation == .screenFailed ? .screenFailed : .screening
        let p = Participant(id: "p1", studyID: "NCT05315778", subjectID: "BCRITP-001", sequenceNumber: 1, siteID: "SUZHOU",
                            status: status, version: 7, createdAt: Date(timeIntervalSince1970: 1_764_000_000),
                            updatedAt: Date(timeIntervalSince1970: 1_764_000_000), updatedBy: "cora", enrolledAt: nil,
                            screenFailureReasons: situation == .screenFailed ? ["E7: ANC 0.5 < 1.0"] : [])
        let overall: EligibilityEvaluation.Overall
        switch situation {
        case .incomplete: overall = .incomplete(notEvaluable: ["I3"])
        case .failing, .screenFailed: overall = .notEligible(failed: ["E7"])
        case .eligibleUnsigned, .eligibleSigned, .enrolled: overall = .eligible
        }
        let decision = [.eligibleSigned, .enrolled].contains(situation) ? EligibilityDecision(
            id: "d1", participantID: p.id, decision: .eligible, criteriaSnapshot: "[]", signedBy: "u1", signerName: "Dr Ivy",
            signedAt: Date(timeIntervalSince1970: 1_764_000_600), meaning: EligibilityDecision.defaultMeaning, participantVersion: 7) : nil
        let file = ParticipantFile(participant: p, dateOfBirth: nil, identity: nil, latestDecision: decision, values: [])
        let rows = [ChecklistRow(id: "E7", kind: "exclusion", text: "ANC < 1.0", result: overall == .notEligible(failed: ["E7"]) ? .notMet : .met,
                                 reason: "ANC 0.5 < 1.0", missing: [])]
        let state = ScreeningState(participant: p, overall: overall, latestDecision: decision, missing: ["Haemoglobin"])
        return ParticipantPage.Input(file: file, study: study, checklist: rows, state: state, role: role,
                                     viewerName: "Dr Ivy", siteName: "Soochow")
    }

    @Test(arguments: table)
    func actionsFollowStateAndRole(_ e: Expectation) throws {
        let model = ParticipantPage.build(try Self.input(e.situation, role: e.role))
        #expect((model.signForm?.decisions.map(\.value) ?? []) == e.sign)
        #expect((model.enrolForm != nil) == e.enrol)
        if let blocked = e.blocked {
            #expect(model.enrolBlockedReason?.hasPrefix(blocked) == true, "\(model.enrolBlockedReason ?? "nil")")
        } else {
            #expect(model.enrolBlockedReason == nil)
        }
        #expect((model.screenFailForm != nil) == e.screenFail)
        #expect(model.screening?.readOnly == !e.editable)
        #expect(model.identity == nil, "no identity unless the file carries it")
    }

    @Test func failedCriteriaAreSuggestedAsScreenFailureReasons() throws {
        let model = ParticipantPage.build(try Self.input(.failing, role: .coordinator))
        #expect(model.screenFailForm?.reasons == "E7: ANC 0.5 < 1.0")
        #expect(model.verdict.code == "not_eligible")
        let signed = ParticipantPage.build(try Self.input(.eligibleSigned, role: .investigator))
        #expect(signed.signature?.decision == "Eligible")
        #expect(signed.signature?.signedBy == "Dr Ivy")
    }

    @Test func storedValuesAndHistoryReachTheirField() throws {
        var input = try Self.input(.incomplete, role: .coordinator)
        let study = input.study
        let form = try #require(study.forms.first { $0.items.contains { $0.oid == "HGB" } })
        let at = Date(timeIntervalSince1970: 1_764_000_000)
        input.file.values = [ItemValue(participantID: "p1", address: ItemAddress(eventOID: .screening, formOID: FormOID(form.oid), itemOID: "HGB"),
                                       value: MeasuredValue(text: "95", unit: "g/L", standardValue: 95, standardUnit: "g/L",
                                                            lowerLimitNormal: 115, upperLimitNormal: 150),
                                       updatedAt: at, updatedBy: "cora")]
        let field = "SCREENING/\(form.oid)/HGB"
        func event(_ seq: Int, _ suffix: String, _ old: String?, _ new: String?) -> AuditEvent {
            AuditEvent(seq: seq, at: "2025-11-24T16:00:0\(seq).000Z", userID: "u", username: "cora", source: .web, entity: .itemValue,
                       entityID: "p1", field: field + suffix, oldValue: old, newValue: new, reason: seq > 2 ? "lab re-run" : nil,
                       prevHash: "", hash: "")
        }
        // A neighbouring item whose OID starts with HGB must not leak into HGB's history.
        input.file.valueHistory = [event(1, "", nil, "90"), event(2, ":standard", nil, "90"), event(3, "", "90", "95"),
                                   AuditEvent(seq: 4, at: "2025-11-24T16:00:04.000Z", userID: "u", username: "cora", source: .web,
                                              entity: .itemValue, entityID: "p1", field: field + "X", oldValue: nil, newValue: "1",
                                              reason: nil, prevHash: "", hash: "")]
        let model = ParticipantPage.build(input)
        let item = try #require(model.screening?.sections.flatMap(\.items).first { $0.oid == "HGB" })
        #expect(item.value == "95")
        #expect(item.referenceRange?.lln == "115" && item.referenceRange?.uln == "150")
        #expect(item.history.map(\.newValue) == ["95", "90"], "newest first, standardised parts hidden")
        #expect(item.history.first?.reason == "lab re-run")
    }
}
