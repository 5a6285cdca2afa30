/// The URL paths the pages link to and post to; the server's routes must match these.
///
/// Kept in one place so a route change is one edit. Source: DESIGN.md §3 (web app contract).
public enum WebPaths {
    /// Dashboard (home).
    public static let dashboard = "/"
    /// Sign-in form (GET) and its submission (POST).
    public static let signIn = "/signin"
    /// Sign-out (POST only).
    public static let signOut = "/signout"
    /// Participant list; `?status=` filters it.
    public static let participants = "/participants"
    /// Registration form (GET) and its submission (POST).
    public static let register = "/participants/new"
    /// The coordinator's today screen.
    public static let today = "/today"
    /// The query inbox.
    public static let queries = "/queries"
    public static let report = "/report"
    /// The periodic access review (administrators and auditors).
    public static let accessReview = "/admin/access-review"
    /// Audit trail; `?page=` pages it.
    public static let audit = "/audit"
    /// Prefix of static assets served by `PageRenderer.asset(named:)`.
    public static let staticPrefix = "/static/"

    /// The participant page for a subject ID.
    public static func participant(_ subjectId: String) -> String {
        "/participants/" + escapedSegment(subjectId)
    }

    /// Where an alert's data are (issue 8 scope 11: each alert links to its fields): the visit page at the
    /// control or form (`field`), the participant page's screening form for a screening value, the adverse-event
    /// log at the event for an SAE clock; nil when the alert names no place.
    public static func alert(_ subjectId: String, visitID: String?, field: String?, adverseEvent: Int?, screeningVisitID: String?) -> String? {
        let anchor = field.map { "#" + $0 } ?? ""
        if let adverseEvent { return participant(subjectId) + "/adverse-events#ae-\(adverseEvent)" }
        guard let visitID else { return nil }
        if visitID == screeningVisitID { return participant(subjectId) + (anchor.isEmpty ? "#screening" : anchor) }
        return visit(subjectId, visitID) + (anchor.isEmpty ? "#visit-form" : anchor)
    }

    /// A visit's data-entry page (GET) and where its form posts (POST).
    public static func visit(_ subjectId: String, _ visitID: String) -> String {
        participant(subjectId) + "/visits/" + escapedSegment(visitID)
    }

    /// Where the screening data form posts.
    public static func screening(_ subjectId: String) -> String {
        participant(subjectId) + "/screening"
    }

    /// Where the investigator's eligibility signature posts.
    public static func signEligibility(_ subjectId: String) -> String {
        participant(subjectId) + "/eligibility/sign"
    }

    /// Where enrolment posts.
    public static func enrol(_ subjectId: String) -> String {
        participant(subjectId) + "/enrol"
    }

    /// Where a screen failure posts.
    public static func screenFail(_ subjectId: String) -> String {
        participant(subjectId) + "/screen-fail"
    }

    /// The participant list filtered by a status code (`screening`, `enrolled`, `screen_failed`), or unfiltered.
    public static func participants(status: String?) -> String {
        guard let status else { return participants }
        return participants + "?status=" + escapedSegment(status)
    }

    /// One page (1-based) of the participant list, filtered as `participants(status:)` and by a subject ID fragment.
    public static func participants(status: String?, page: Int, subject: String = "") -> String {
        var query: [String] = []
        if let status { query.append("status=" + escapedSegment(status)) }
        if !subject.isEmpty { query.append("subject=" + escapedSegment(subject)) }
        if page > 1 { query.append("page=\(page)") }
        return participants + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// One page of the audit trail (1-based).
    public static func audit(page: Int) -> String {
        audit + "?page=\(page)"
    }

    // Subject IDs come from the study's pattern, but percent-encode anyway so a
    // surprising ID can never break out of the path segment.
    private static func escapedSegment(_ s: String) -> String {
        var allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        allowed.remove("/")
        var out = ""
        for byte in s.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 128, allowed.contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
