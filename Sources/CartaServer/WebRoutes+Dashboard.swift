import CartaModel
import CartaCore
import CartaStore
import CartaWeb
import Foundation

extension CartaServices {
    /// Counts by status and who is waiting for what — what a coordinator needs first.
    func dashboardModel() async throws -> DashboardPage.Model {
        let all = try await store.participants(studyID: study.id)
        var waiting: [DashboardPage.WaitingItem] = []
        for p in all where p.status == .screening {
            waiting.append(.init(subjectId: p.subjectID, reason: try await nextAction(p)))
        }
        return DashboardPage.Model(
            screening: all.filter { $0.status == .screening }.count,
            enrolled: all.filter { $0.status == .enrolled }.count,
            screenFailed: all.filter { $0.status == .screenFailed }.count,
            target: study.targetEnrolment, waiting: waiting)
    }

    /// What the participant is waiting for, in a coordinator's words.
    func nextAction(_ p: Participant) async throws -> String {
        switch p.status {
        case .enrolled: return "Enrolled — follow the visit schedule"
        case .screenFailed: return "Screen failed"
        case .screening:
            let evaluation = try await screening.evaluate(p)
            let decision = try await store.latestEligibilityDecision(participantID: p.id)
            switch evaluation.overall {
            case .incomplete(let open):
                let missing = Set(screening.checklist(evaluation).flatMap(\.missing)).sorted()
                let shown = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? " and \(missing.count - 4) more" : "")
                return "Screening data incomplete (\(open.count) criteria): \(shown)"
            case .notEligible(let failed):
                if let decision, decision.decision == .notEligible, decision.participantVersion == p.version {
                    return "Signed not eligible — record the screen failure"
                }
                return "Not eligible (\(failed.joined(separator: ", "))) — investigator to review and sign, or record a screen failure"
            case .eligible:
                if let decision, decision.decision == .eligible, decision.participantVersion == p.version {
                    return "Eligibility signed — ready to enrol"
                }
                return "All criteria met — awaiting investigator signature"
            }
        }
    }
}
