import CartaStudy
import Foundation
import HTTPTypes
import Hummingbird

/// Addresses naming a participant by a subject ID (or a visit) typed in another case (`/participants/bcritp-002`,
/// `/api/v1/participants/bcritp-002/queries`) are served as the canonical spelling (`BCRITP-002`): a web page asked for
/// with GET is redirected there (the address bar, bookmarks and printed casebook headings read as the study spells the
/// ID); any other request reaches its route with the ID re-spelled in the route's parameters, so answers and links never
/// echo the typed case.
///
/// The lookup itself already finds the participant in any case (`Study.canonicalSubjectID`); without this, pages and API
/// answers built from the path printed "Casebook bcritp-002" and "subjectID": "bcritp-002".
/// Source: issue 9 probe (2026-12-08); RFC 9110 §15.4.9 (308 Permanent Redirect keeps the method).
struct SubjectIDSpellingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let study: Study

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let respelled = Self.respelled(request.head.path ?? "", study: study) else { return try await next(request, context) }
        if request.method == .get, !RequestPath.isAPI(request.uri.path) {
            return Response(status: .permanentRedirect, headers: [.location: respelled])
        }
        // The router has matched the route and read its parameters before any middleware runs: re-spell those.
        var context = context
        for name in ["subjectID", "visitID"] {
            guard let typed = context.parameters.get(name) else { continue }
            let canonical = name == "subjectID" ? study.canonicalSubjectID(typed) : Self.visitID(typed, study: study)
            if canonical != typed { context.coreContext.parameters[Substring(name)] = Substring(canonical) }
        }
        return try await next(request, context)
    }

    /// The schedule's spelling of a visit named in another case, when exactly one visit matches; else as typed.
    static func visitID(_ typed: String, study: Study) -> String {
        guard study.schedule.visit(typed) == nil else { return typed }
        let matches = study.schedule.visits.filter { $0.id.lowercased() == typed.lowercased() }
        return matches.count == 1 ? matches[0].id : typed
    }

    /// `target` (path and query) with the subject ID after `participants/` spelled canonically, or nil when it already is
    /// (or names none).
    static func respelled(_ target: String, study: Study) -> String? {
        let pathEnd = target.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? target.endIndex
        var segments = target[..<pathEnd].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let offset = segments.count > 3 && segments[1].lowercased() == "api" ? 3 : 1
        guard segments.count > offset + 1, segments[offset] == "participants" else { return nil }
        var changed = false
        let typed = segments[offset + 1], canonical = study.canonicalSubjectID(typed)
        if canonical != typed { segments[offset + 1] = canonical; changed = true }
        // A visit named in another case (`/visits/d3`): the schedule's spelling when exactly one visit matches.
        if segments.count > offset + 3, segments[offset + 2] == "visits" {
            let visit = visitID(segments[offset + 3], study: study)
            if visit != segments[offset + 3] { segments[offset + 3] = visit; changed = true }
        }
        return changed ? segments.joined(separator: "/") + target[pathEnd...] : nil
    }
}
