import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// The default and largest page of `GET /today`.
    static let todayPageLimit = 500

    /// Participant and screening routes of the JSON API (issue 2 §6–7).
    func addParticipantRoutes(to api: APIRouter) {
        api.on(.get, "/study") { _, context in
            _ = try context.require(.readStudyData)
            return try JSONResponse.make(self.study)
        }
        api.on(.get, "/participants") { request, context in
            let principal = try context.principal(.readStudyData, .api)
            let status = try Self.statusParameter(request.uri.queryParameters["status"].map(String.init))
            let subject = try Self.subjectSearch(request.uri.queryParameters["subject"].map(String.init))
            let list = try await self.screening.participants(by: principal)
                .filter { (status == nil || $0.status == status) && $0.subjectIDContains(subject) }
            return try JSONResponse.make(["participants": list.map(ParticipantDTO.init)])
        }
        struct Registration: Decodable { let fullName: String; let dateOfBirth: String; let hospitalNumber: String; let siteID: String? }
        api.on(.post, "/participants") { request, context in
            let principal = try context.principal(.registerParticipant, .api)
            let r = try await JSONResponse.decode(Registration.self, from: request, context: context)
            let p: Participant
            do {
                p = try await self.screening.register(
                    fullName: r.fullName, dateOfBirth: r.dateOfBirth, hospitalNumber: r.hospitalNumber, siteID: r.siteID,
                    by: principal)
            } catch let e as WorkflowError where e.code == .invalidInput {
                // Name the JSON keys this route takes, not the web form's field names.
                let keys = ["full_name": "fullName", "date_of_birth": "dateOfBirth", "hospital_number": "hospitalNumber", "site": "siteID"]
                throw WorkflowError.invalidInput(e.fields.map { .init(field: keys[$0.field] ?? $0.field, message: $0.message) })
            }
            var response = try JSONResponse.make(ParticipantDTO(p), status: .created)
            // A hospital number already in the study: registered, with the warning naming the participant (issue 8 scope 11).
            if let warning = try await self.screening.hospitalNumberWarning(r.hospitalNumber, except: p.subjectID, by: principal) {
                response.headers[.init("Carta-Warning")!] = warning
            }
            return response
        }
        api.on(.get, "/participants/:subjectID") { _, context in
            let file = try await self.screening.file(SubjectID(context.parameters.require("subjectID")),
                                                     by: context.principal(.readStudyData, .api), identity: true)
            return try JSONResponse.make(ParticipantDetailDTO(
                participant: ParticipantDTO(file.participant), identity: file.identity.map(IdentityDTO.init),
                items: file.values.map(ItemValueDTO.init)))
        }
        struct FormSave: Decodable { let version: Int; let reason: ChangeReason?; let enteredAt: String?; let items: [String: ScreeningService.RawEntry] }
        struct SaveOut: Encodable { let participant: ParticipantDTO; let warnings: [String: [String]] }
        api.on(.put, "/participants/:subjectID/forms/:formOID") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(FormSave.self, from: request, context: context)
            let result = try await self.screening.saveForms(
                subjectID: SubjectID(context.parameters.require("subjectID")), forms: [context.parameters.require("formOID"): body.items],
                expectedVersion: body.version, reason: body.reason, enteredAt: body.enteredAt, by: principal)
            return try JSONResponse.make(SaveOut(participant: ParticipantDTO(result.participant), warnings: result.warnings))
        }
        api.on(.put, "/participants/:subjectID/visits/:visitID/forms/:formOID") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(FormSave.self, from: request, context: context)
            let result = try await self.runtime.conduct.saveVisitForms(
                subjectID: SubjectID(context.parameters.require("subjectID")), visitID: context.parameters.require("visitID"),
                forms: [context.parameters.require("formOID"): body.items],
                expectedVersion: body.version, reason: body.reason, enteredAt: body.enteredAt, by: principal)
            return try JSONResponse.make(SaveOut(participant: ParticipantDTO(result.participant), warnings: result.warnings))
        }
        struct Preview: Decodable { let forms: [String: [String: ScreeningService.RawEntry]] }
        struct Previewed: Encodable { let derived: [String: String] }
        api.on(.post, "/participants/:subjectID/visits/:visitID/preview") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(Preview.self, from: request, context: context)
            let derived = try await self.runtime.conduct.previewVisit(
                subjectID: SubjectID(context.parameters.require("subjectID")), visitID: context.parameters.require("visitID"),
                forms: body.forms, by: principal)
            return try JSONResponse.make(Previewed(derived: derived))
        }
        api.on(.get, "/participants/:subjectID/calendar") { _, context in
            let course = try await self.runtime.conduct.course(SubjectID(context.parameters.require("subjectID")),
                                                               by: context.principal(.readStudyData, .api))
            return try JSONResponse.make(CourseDTO(course))
        }
        // Paged like the web screen, with the same two views: a whole study's rows in one answer were megabytes.
        api.on(.get, "/today") { request, context in
            let principal = try context.principal(.readStudyData, .api)
            let q = request.uri.queryParameters
            let show = try Self.todayView(show: q["show"].map(String.init), page: nil).show
            let page = try Self.intParameter(q["page"].map(String.init), name: "page", default: 1, range: 1...999_999_999)
            let limit = try Self.intParameter(q["limit"].map(String.init), name: "limit", default: Self.todayPageLimit, range: 1...Self.todayPageLimit)
            let rows = try await self.runtime.today.today(by: principal)
            return try JSONResponse.make(TodayDTO(rows, show: show, page: page, limit: limit, date: self.runtime.clock.today))
        }
        struct Acknowledge: Decodable { let key: String; let note: String? }
        struct Acknowledged: Encodable { let subjectID: String; let acknowledged: TodayService.Alert }
        api.on(.post, "/participants/:subjectID/alerts/acknowledgement") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(Acknowledge.self, from: request, context: context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let alert = try await self.runtime.today.acknowledge(subjectID: subjectID, key: body.key, note: body.note, by: principal)
            return try JSONResponse.make(Acknowledged(subjectID: subjectID.rawValue, acknowledged: alert))
        }
        struct EligibilityOut: Encodable { let subjectID: String; let version: Int; let overall: String; let criteria: [ChecklistRow]; let decision: DecisionDTO? }
        api.on(.get, "/participants/:subjectID/eligibility") { _, context in
            let file = try await self.screening.file(SubjectID(context.parameters.require("subjectID")),
                                                     by: context.principal(.readStudyData, .api))
            let evaluation = self.screening.evaluate(file)
            return try JSONResponse.make(EligibilityOut(
                subjectID: file.participant.subjectID.rawValue, version: file.participant.version, overall: evaluation.overall.word,
                criteria: self.screening.checklist(evaluation), decision: file.latestDecision.map(DecisionDTO.init)))
        }
        struct Signature: Decodable { let password: String; let code: String?; let decision: String; let meaning: String?; let version: Int; let acknowledgeBinding: Bool? }
        api.on(.post, "/participants/:subjectID/eligibility/signature") { request, context in
            let principal = try context.principal(.signEligibility, .api)
            let user = principal.user
            let s = try await JSONResponse.decode(Signature.self, from: request, context: context)
            guard let kind = EligibilityDecisionKind(rawValue: s.decision) else {
                throw AppError.invalid("decision", "decision must be \"eligible\" or \"not_eligible\".")
            }
            guard try await self.auth.verifySigner(user, password: s.password, code: s.code, source: .api) else {
                throw AppError(.unauthorized, code: "signature_rejected", message: AccountService.signerRefusal(user, nothingDone: "the decision was not signed"), field: "password")
            }
            let d = try await self.screening.sign(
                subjectID: SubjectID(context.parameters.require("subjectID")), decision: kind, meaning: s.meaning,
                expectedVersion: s.version, acknowledgesBinding: s.acknowledgeBinding == true, by: principal)
            return try JSONResponse.make(DecisionDTO(d), status: .created)
        }
        struct VersionOnly: Decodable { let version: Int }
        api.on(.post, "/participants/:subjectID/enrolment") { request, context in
            let principal = try context.principal(.enrol, .api)
            let v = try await JSONResponse.decode(VersionOnly.self, from: request, context: context)
            let p = try await self.screening.enrol(
                subjectID: SubjectID(context.parameters.require("subjectID")), expectedVersion: v.version, by: principal)
            return try JSONResponse.make(ParticipantDTO(p))
        }
        struct DoseAction: Decodable { let version: Int; let action: String }
        // The lymphodepletion dose calculation and its second-person verification (issue 8 scope 3).
        api.on(.post, "/participants/:subjectID/dose-calculation") { request, context in
            let principal = try context.principal(.enterData, .api)
            let a = try await JSONResponse.decode(DoseAction.self, from: request, context: context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let p: Participant
            switch a.action {
            case "calculate": p = try await self.runtime.dosing.calculate(subjectID: subjectID, expectedVersion: a.version, by: principal)
            case "verify": p = try await self.runtime.dosing.verify(subjectID: subjectID, expectedVersion: a.version, by: principal)
            default: throw AppError.invalid("action", "must be calculate or verify (got \(a.action.quotedForMessage))")
            }
            return try JSONResponse.make(ParticipantDTO(p))
        }
        struct Failure: Decodable { let version: Int; let reasons: [String] }
        api.on(.post, "/participants/:subjectID/screen-failure") { request, context in
            let principal = try context.principal(.enrol, .api)
            let f = try await JSONResponse.decode(Failure.self, from: request, context: context)
            let p = try await self.screening.screenFail(
                subjectID: SubjectID(context.parameters.require("subjectID")), reasons: f.reasons, expectedVersion: f.version,
                by: principal)
            return try JSONResponse.make(ParticipantDTO(p))
        }
    }
}
