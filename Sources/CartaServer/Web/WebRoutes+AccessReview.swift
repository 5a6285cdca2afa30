import CartaModel
import CartaStore
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The periodic access review (standards.md R-AC-1) as a page, a CSV export and `GET /api/v1/access-review`,
    /// all from `AccountService.accessReview` (administrators and auditors).
    func addAccessReviewPageRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin/access-review", use: page { request, context in
            let principal = try context.principal(.reviewAccess, .web)
            let entries = try await self.auth.accessReview(by: principal)
            let (flashes, clear) = self.takeFlash(request)
            let rows = entries.sorted { ($0.flags.isEmpty ? 1 : 0, $0.username) < ($1.flags.isEmpty ? 1 : 0, $1.username) }.map { e in
                AccessReviewPage.Row(username: e.username, displayName: e.displayName, role: e.role.label, sites: self.sitesText(e.sites),
                                     state: e.active ? "active" : "deactivated", lastSignIn: e.lastSignInAt.map(WebFormat.dateTime) ?? "never",
                                     failures: e.recentFailures, lastAccessChange: e.lastAccessChangeAt.map(WebFormat.dateTime) ?? "—",
                                     secondFactor: e.secondFactor ? "yes" : "no", tokens: e.activeTokens, flags: e.flags.joined(separator: "; "))
            }
            let flagged = entries.filter { !$0.flags.isEmpty }.count
            let alerts = try await self.auth.securityAlerts(by: principal).map { "\(WebFormat.dateTime($0.at)) — \($0.message)" }
            let model = AccessReviewPage.Model(
                generatedAt: WebFormat.dateTime(self.runtime.clock.now),
                summary: "\(entries.count) accounts (\(entries.filter(\.active).count) active); \(flagged) to look at.", rows: rows, alerts: alerts)
            return try self.html(model, self.layout(context, flashes: flashes, current: .access), extraHeaders: clear)
        })
        router.get("/admin/access-review.csv", use: page { _, context in
            let principal = try context.principal(.reviewAccess, .web)
            var csv = "username,display_name,role,sites,active,created_utc,last_sign_in_utc,failures_90_days,last_access_change_utc,second_factor,api_tokens,flags\r\n"
            for e in try await self.auth.accessReview(by: principal) {
                let cells = [e.username, e.displayName, e.role.rawValue, e.sites.description, e.active ? "true" : "false",
                             StoreTimestamp.string(e.createdAt), e.lastSignInAt.map(StoreTimestamp.string) ?? "", String(e.recentFailures),
                             e.lastAccessChangeAt.map(StoreTimestamp.string) ?? "", e.secondFactor ? "true" : "false", String(e.activeTokens),
                             e.flags.joined(separator: "; ")]
                csv += cells.map(AuditCSV.cell).joined(separator: ",") + "\r\n"
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"carta-access-review.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: csv)))
        })
    }

    func sitesText(_ sites: SiteAccess) -> String {
        switch sites {
        case .all: "every site"
        case .only(let ids): ids.sorted().map { self.siteName($0) }.joined(separator: ", ")
        }
    }

    func addAccessReviewRoutes(to api: APIRouter) {
        struct Entry: Encodable {
            let username: String, displayName: String, role: String, sites: String, active: Bool, createdAt: Date
            let lastSignInAt: Date?, recentFailures: Int, lastAccessChangeAt: Date?, secondFactor: Bool, activeTokens: Int, flags: [String]
        }
        struct Lockout: Encodable { let username: String; let at: Date; let auditSeq: Int; let message: String }
        struct Out: Encodable { let generatedAt: Date; let accounts: [Entry]; let lockouts: [Lockout] }
        api.on(.get, "/access-review") { _, context in
            let principal = try context.principal(.reviewAccess, .api)
            let entries = try await self.auth.accessReview(by: principal).map { e in
                Entry(username: e.username, displayName: e.displayName, role: e.role.rawValue, sites: e.sites.description, active: e.active,
                      createdAt: e.createdAt, lastSignInAt: e.lastSignInAt, recentFailures: e.recentFailures,
                      lastAccessChangeAt: e.lastAccessChangeAt, secondFactor: e.secondFactor, activeTokens: e.activeTokens, flags: e.flags)
            }
            let lockouts = try await self.auth.securityAlerts(by: principal).map { Lockout(username: $0.username, at: $0.at, auditSeq: $0.seq, message: $0.message) }
            return try JSONResponse.make(Out(generatedAt: self.runtime.clock.now, accounts: entries, lockouts: lockouts))
        }
    }
}
