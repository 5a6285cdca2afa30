import CartaModel
import CartaCore
import CartaStore
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// Server-rendered pages (issue 2 §7); every POST checks the CSRF token before anything else.
    func addWebRoutes(to router: Router<AppRequestContext>) {
        router.get("/static/:name") { _, context -> Response in
            guard let asset = PageRenderer.asset(named: try context.parameters.require("name")) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
        }
        addSignInRoutes(to: router)
        router.get("/", use: page { request, context in
            _ = try context.require(.readStudyData)
            let (flashes, clear) = self.takeFlash(request)
            return try self.html(try await self.dashboardModel(), self.layout(context, flashes: flashes, current: .dashboard), extraHeaders: clear)
        })
        router.get("/participants", use: page { request, context in
            let user = try context.require(.readStudyData)
            let status = request.uri.queryParameters["status"].flatMap { StatusBadge.Status(rawValue: String($0)) }
            let all = try await self.store.participants(studyID: self.study.id)
            var rows: [ParticipantsPage.Row] = []
            for p in all where status == nil || p.status.rawValue == status?.rawValue {
                rows.append(.init(subjectId: p.subjectID, status: p.status.badge, site: self.siteName(p.siteID),
                                  registeredOn: WebFormat.date(p.createdAt), nextAction: try await self.nextAction(p)))
            }
            let (flashes, clear) = self.takeFlash(request)
            return try self.html(ParticipantsPage.Model(rows: rows, status: status, canRegister: Permission.registerParticipant.allows(user.role)), self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.get("/participants/new", use: page { _, context in
            _ = try context.require(.registerParticipant)
            return try self.html(RegisterPage.Model(sites: self.siteOptions(nil)), self.layout(context, current: .register))
        })
        router.post("/participants/new", use: page { request, context in
            let user = try context.require(.registerParticipant)
            let form = try await self.readForm(request, context)
            do {
                let p = try await self.screening.register(
                    fullName: form["full_name"] ?? "", dateOfBirth: form["date_of_birth"] ?? "",
                    hospitalNumber: form["hospital_number"] ?? "", siteID: form["site"], today: .today,
                    actor: AuditActor(user: user, source: .web))
                return self.redirect(WebPaths.participant(p.subjectID), flash: Flash(.success, "Registered \(p.subjectID) for screening."))
            } catch let e as ScreeningService.FormErrors {
                func message(_ name: String) -> String? {
                    let m = e.errors.filter { $0.field == name }.map(\.message)
                    return m.isEmpty ? nil : m.joined(separator: " ")
                }
                func field(_ name: String) -> RegisterPage.Field {
                    RegisterPage.Field(value: form[name] ?? "", error: message(name))
                }
                let model = RegisterPage.Model(
                    fullName: field("full_name"), dateOfBirth: field("date_of_birth"), hospitalNumber: field("hospital_number"),
                    sites: self.siteOptions(form["site"]), siteError: message("site"))
                return try self.html(model, self.layout(context, current: .register), status: .unprocessableContent)
            }
        })
        router.get("/audit", use: page { request, context in
            _ = try context.require(.readAudit)
            let pageSize = 100
            let events = try await self.store.auditTrail(entity: nil, entityID: nil).reversed() as [AuditEvent]
            let pageNumber = max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1)
            let slice = events.dropFirst((pageNumber - 1) * pageSize).prefix(pageSize)
            let chain: AuditPage.ChainStatus
            switch try await self.store.verifyAuditChain() {
            case .intact(let count): chain = .verified(count: count)
            case .broken(let seq, let reason): chain = .broken(atSeq: seq, detail: reason)
            }
            // Show the pseudonymous subject ID a person recognises, not the internal row id.
            let subjectOf = Dictionary(try await self.store.participants(studyID: self.study.id).map { ($0.id.rawValue, $0.subjectID) },
                                       uniquingKeysWith: { a, _ in a })
            let model = AuditPage.Model(
                events: slice.map { e in
                    AuditPage.Event(seq: e.seq, time: WebFormat.auditTime(e.at), user: e.username, source: e.source.rawValue,
                                    entity: subjectOf[e.entityID].map { "\($0) · \(e.entity)" } ?? "\(e.entity) \(e.entityID.prefix(12))",
                                    field: e.field,
                                    oldValue: e.oldValue ?? "", newValue: e.newValue ?? "", reason: e.reason ?? "")
                }, chain: chain, page: pageNumber, pageSize: pageSize, total: events.count)
            return try self.html(model, self.layout(context, current: .audit))
        })
        addParticipantPageRoutes(to: router)
    }

    func siteName(_ id: String) -> String { study.sites.first { $0.id == id }?.name ?? id }

    func siteOptions(_ current: String?) -> [SelectOption] {
        SelectOption.list(study.sites.map { ($0.id, $0.name) }, current: current ?? study.sites.first?.id)
    }
}

/// Human-readable times for pages: UTC with its offset (DESIGN.md §3: rendered with offset).
enum WebFormat {
    static func date(_ d: Date) -> String { ClinicalDate(dayNumber: utcParts(d).day).description }

    /// `2026-11-25 10:21 UTC+00:00`.
    static func dateTime(_ d: Date) -> String { format(d, seconds: false) }

    /// An audit timestamp (stored as ISO 8601 UTC) to the second, with its offset; unparseable
    /// text is shown as stored rather than hidden.
    static func auditTime(_ stored: String) -> String {
        guard let d = try? Date(stored, strategy: .iso8601) else { return stored }
        return format(d, seconds: true)
    }

    // Plain arithmetic on the UTC day and second: no DateFormatter built per row of a page.
    private static func format(_ d: Date, seconds: Bool) -> String {
        let (day, second) = utcParts(d)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = two(second / 3600) + ":" + two(second / 60 % 60) + (seconds ? ":" + two(second % 60) : "")
        return "\(ClinicalDate(dayNumber: day)) \(time) UTC+00:00"
    }

    private static func utcParts(_ d: Date) -> (day: Int, second: Int) {
        let t = Int(d.timeIntervalSince1970.rounded(.down))
        let day = Int((Double(t) / 86_400).rounded(.down))
        return (day, t - day * 86_400)
    }
}

extension ParticipantStatus {
    var badge: StatusBadge.Status {
        switch self {
        case .screening: return .screening
        case .enrolled: return .enrolled
        case .screenFailed: return .screenFailed
        }
    }
}
