import CartaModel
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// `GET /outcomes`: the derived outcome measures with their sources; `GET /outcomes/tables/{table}`:
    /// one analysis-ready table as CSV (issue 9 scope 1).
    func addOutcomeAPIRoutes(to api: APIRouter) {
        api.on(.get, "/outcomes") { _, context in
            try JSONResponse.make(try await self.runtime.outcomes.derive(by: context.principal(.readStudyData, .api)))
        }
        api.on(.get, "/outcomes/tables/:table") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let name = try context.parameters.require("table")
            guard let table = OutcomeTables.Table(rawValue: name) else {
                throw AppError.notFound("There is no outcome table \"\(name)\"; the tables are \(OutcomeTables.Table.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return self.outcomeTableResponse(table, try await self.runtime.outcomes.derive(by: principal))
        }
    }

    /// One analysis-ready table as a CSV download; a synthetic database's files are named SYNTHETIC-….
    func outcomeTableResponse(_ table: OutcomeTables.Table, _ outcomes: StudyOutcomes) -> Response {
        let name = "\(outcomes.synthetic ? "SYNTHETIC-" : "")carta-\(study.id)-\(table.rawValue).csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(string: OutcomeTables.csv(table, outcomes))))
    }
}
