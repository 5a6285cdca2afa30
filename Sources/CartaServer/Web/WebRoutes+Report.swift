import CartaModel
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The study report (issue 9 scope 2) and its analysis-ready CSV tables.
    func addReportRoutes(to router: Router<AppRequestContext>) {
        router.get("/report", use: page { _, context in
            let viewer = try context.principal(.readStudyData, .web)
            let report = try await self.runtime.outcomes.report(by: viewer)
            return try self.html(ReportPage.build(report), self.layout(context, current: .report))
        })
        router.get("/report/tables/:file", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".csv"), let table = OutcomeTables.Table(rawValue: String(file.dropLast(4))) else {
                throw AppError.notFound("There is no report table \"\(file)\"; the tables are \(OutcomeTables.Table.allCases.map { "\($0.rawValue).csv" }.joined(separator: ", ")).")
            }
            return try await self.outcomeTableResponse(table, by: viewer, ifNoneMatch: request.headers[.ifNoneMatch])
        })
    }
}
