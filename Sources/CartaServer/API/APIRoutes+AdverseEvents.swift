import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import Foundation
import Hummingbird

/// `GET …/adverse-events`: the log, the CRS/ICANS episodes and the SAE clocks.
struct AdverseEventLogDTO: Encodable {
    let subjectID: String
    let events: [AdverseEvent]
    let episodes: [AdverseEventService.Episode]
    let saeClocks: [AdverseEventService.SAEClock]
}

/// A CTCAE term as the API shows it.
struct CTCAETermDTO: Encodable {
    let meddraCode: String, soc: String, term: String, definition: String
    let grades: [String: String]
    init(_ t: CTCAETerm) {
        meddraCode = t.meddraCode; soc = t.soc; term = t.term; definition = t.definition
        grades = Dictionary(uniqueKeysWithValues: t.definedGrades.map { (String($0), t.grades[$0 - 1] ?? "") })
    }
}

extension CartaServices {
    func addAdverseEventAPIRoutes(to api: APIRouter) {
        api.on(.get, "/ctcae/terms") { request, context in
            _ = try context.principal(.readStudyData, .api)
            let q = request.uri.queryParameters.get("q") ?? ""
            return try JSONResponse.make(self.runtime.adverseEvents.terms.search(q, limit: 50).map(CTCAETermDTO.init))
        }
        api.on(.get, "/participants/:subjectID/adverse-events") { _, context in
            let log = try await self.runtime.adverseEvents.log(SubjectID(context.parameters.require("subjectID")), by: context.principal(.readStudyData, .api))
            return try JSONResponse.make(AdverseEventLogDTO(subjectID: log.participant.subjectID.rawValue, events: log.events, episodes: log.episodes, saeClocks: log.clocks))
        }
        api.on(.post, "/participants/:subjectID/adverse-events") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(AdverseEventService.Input.self, from: request, context: context)
            let event = try await self.runtime.adverseEvents.record(body, subjectID: SubjectID(context.parameters.require("subjectID")), by: principal)
            return try JSONResponse.make(event, status: .created)
        }
        struct Change: Decodable { let version: Int; let reason: ChangeReason?; let event: AdverseEventService.Input }
        api.on(.put, "/participants/:subjectID/adverse-events/:number") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(Change.self, from: request, context: context)
            guard let number = Int(try context.parameters.require("number")) else { throw AppError.invalid("number", "The event number is a whole number (AE-3 → 3).") }
            let event = try await self.runtime.adverseEvents.update(number: number, body.event, expectedVersion: body.version, reason: body.reason,
                                                                    subjectID: SubjectID(context.parameters.require("subjectID")), by: principal)
            return try JSONResponse.make(event)
        }
        struct Report: Decodable { let reportedAt: String? }
        api.on(.post, "/participants/:subjectID/adverse-events/:number/report") { request, context in
            let principal = try context.principal(.enterData, .api)
            let body = try await JSONResponse.decode(Report.self, from: request, context: context)
            guard let number = Int(try context.parameters.require("number")) else { throw AppError.invalid("number", "The event number is a whole number (AE-3 → 3).") }
            let event = try await self.runtime.adverseEvents.report(number: number, reportedAt: body.reportedAt,
                                                                    subjectID: SubjectID(context.parameters.require("subjectID")), by: principal)
            return try JSONResponse.make(event)
        }
    }
}
