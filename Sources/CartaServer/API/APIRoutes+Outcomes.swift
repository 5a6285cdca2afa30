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
            return try await self.outcomeTableResponse(table, by: principal)
        }
    }

    /// One analysis-ready table as a CSV download; a synthetic database's files are named SYNTHETIC-…. Streamed: the
    /// rows are written as each page of participants is derived (`OutcomeService.stream`), so a large study's table
    /// never has every participant's figures in the server's memory at once (issue 9 scope 4, as `carta derive`).
    /// The permission is checked before the response starts; the study-level `ae` table follows the whole pass.
    func outcomeTableResponse(_ table: OutcomeTables.Table, by principal: Principal) async throws -> Response {
        try principal.require(.readStudyData)
        let name = "\(try await runtime.store.isSynthetic() ? "SYNTHETIC-" : "")carta-\(study.id)-\(table.rawValue).csv"
        let outcomes = runtime.outcomes
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(string: OutcomeTables.line(OutcomeTables.header(table)))
            let study = try await outcomes.stream(by: principal, includeSources: table == .visits) { p in
                for row in OutcomeTables.rows(table, p) { buffer.writeString(OutcomeTables.line(row)) }
                if buffer.readableBytes >= 1 << 14 { try await writer.write(buffer); buffer.clear() }
            }
            if table == .ae { for row in OutcomeTables.studyRows(study) { buffer.writeString(OutcomeTables.line(row)) } }
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }
}
