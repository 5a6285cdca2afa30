import CartaModel
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// `GET /outcomes`: the derived outcome measures with their sources; `GET /outcomes/tables/{table}`:
    /// one analysis-ready table as CSV (issue 9 scope 1).
    func addOutcomeAPIRoutes(to api: APIRouter) {
        api.on(.get, "/outcomes") { request, context in
            let principal = try context.principal(.readStudyData, .api)
            // `sources=false`: the figures without the values behind them, from each participant's kept figures (a whole
            // study in seconds); by default every participant's sources, derived afresh.
            let includeSources = try request.uri.queryParameters["sources"].map { try Self.boolParameter(String($0), name: "sources") } ?? true
            return try await self.outcomesResponse(by: principal, includeSources: includeSources, ifNoneMatch: request.headers[.ifNoneMatch])
        }
        api.on(.get, "/outcomes/tables/:table") { request, context in
            let principal = try context.principal(.readStudyData, .api)
            let name = try context.parameters.require("table")
            guard let table = OutcomeTables.Table(rawValue: name) else {
                throw AppError.notFound("There is no outcome table \"\(name)\"; the tables are \(OutcomeTables.Table.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return try await self.outcomeTableResponse(table, by: principal, ifNoneMatch: request.headers[.ifNoneMatch])
        }
    }

    /// `304 Not Modified` when the client's `If-None-Match` names the current tag (no pass is run); otherwise the
    /// headers the full response carries its tag in (`OutcomeService.entityTag`).
    func conditional(_ representation: String, by principal: Principal, ifNoneMatch: String?) async throws -> (notModified: Response?, headers: HTTPFields) {
        guard let tag = try await runtime.outcomes.entityTag(of: representation, by: principal) else { return (nil, [:]) }
        if OutcomeService.entityTag(tag, matches: ifNoneMatch) { return (Response(status: .notModified, headers: [.eTag: tag]), [:]) }
        return (nil, [.eTag: tag])
    }

    /// The derived outcome measures as JSON, streamed like the tables: `{"participants":[…]` first, each participant
    /// (with the sources behind their figures) written as it is derived, then the study-level members — the object
    /// the whole derivation encodes to, with its members in another order — so a large study is never in the
    /// server's memory at once (issue 9 scope 4). The permission is checked before the response starts; a failure
    /// mid-pass drops the connection, so a client never takes a cut-off body for a whole one.
    ///
    /// Tagged (`ETag`, `If-None-Match` → 304): a client polling for new figures gets them only when data were saved.
    func outcomesResponse(by principal: Principal, includeSources: Bool = true, ifNoneMatch: String? = nil) async throws -> Response {
        try principal.require(.readStudyData)
        let (notModified, tagged) = try await conditional(includeSources ? "outcomes.json" : "outcomes-without-sources.json", by: principal, ifNoneMatch: ifNoneMatch)
        if let notModified { return notModified }
        let outcomes = runtime.outcomes
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(string: "{\"participants\":[")
            var first = true
            let study = try await outcomes.stream(by: principal, includeSources: includeSources) { p in
                if !first { buffer.writeString(",") }
                first = false
                buffer.writeBytes(try JSONResponse.encoder.encode(p))
                if buffer.readableBytes >= 1 << 14 { try await writer.write(buffer); buffer.clear() }
            }
            // The study-level object with its (empty) participants member dropped: keys are sorted and "participants"
            // is never the first, so the member is written exactly as `,"participants":[]`.
            let members = String(decoding: try JSONResponse.encoder.encode(study), as: UTF8.self)
                .replacingOccurrences(of: ",\"participants\":[]", with: "").dropFirst()
            buffer.writeString("]" + (members == "}" ? "}" : "," + members))
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: tagged)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One analysis-ready table as a CSV download; a synthetic database's files are named SYNTHETIC-…. Streamed: the
    /// rows are written as each page of participants is derived (`OutcomeService.stream`), so a large study's table
    /// never has every participant's figures in the server's memory at once (issue 9 scope 4, as `carta derive`).
    /// The permission is checked before the response starts; the study-level `ae` table follows the whole pass.
    func outcomeTableResponse(_ table: OutcomeTables.Table, by principal: Principal, ifNoneMatch: String? = nil) async throws -> Response {
        try principal.require(.readStudyData)
        let (notModified, tagged) = try await conditional("\(table.rawValue).csv", by: principal, ifNoneMatch: ifNoneMatch)
        if let notModified { return notModified }
        let synthetic = try await runtime.store.isSynthetic()
        let name = "\(synthetic ? "SYNTHETIC-" : "")carta-\(study.id)-\(table.rawValue).csv"
        let outcomes = runtime.outcomes
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(string: OutcomeTables.line(OutcomeTables.header(table)))
            let study = try await outcomes.stream(by: principal, includeSources: table == .visits) { p in
                for row in OutcomeTables.rows(table, p, synthetic: synthetic) { buffer.writeString(OutcomeTables.line(row)) }
                if buffer.readableBytes >= 1 << 14 { try await writer.write(buffer); buffer.clear() }
            }
            if table == .ae { for row in OutcomeTables.studyRows(study) { buffer.writeString(OutcomeTables.line(row)) } }
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""]
        headers.append(contentsOf: tagged)
        return Response(status: .ok, headers: headers, body: body)
    }
}
