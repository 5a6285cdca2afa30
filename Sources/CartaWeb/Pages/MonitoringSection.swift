import CartaCore
import Foundation

/// The participant page's monitoring section: queries with their threads and the actions the viewer may
/// take, source-verification progress per form with the monitor's "verify" buttons, and the casebook
/// signatures with the investigator's signing form.
///
/// Stable ids: #monitoring, #queries, #query-<id> (data-status), #query-<id>-text (name=text) with buttons
/// #query-<id>-answer, #query-<id>-close, #query-<id>-reopen; #raise-query-form, #raise-query-item
/// (name=item), #raise-query-text (name=text), #raise-query; #sdv, #sdv-<FormOID> (data-verified,
/// data-recorded), #verify-<FormOID>; #casebook-signatures, #casebook-signature-<n> (data-standing),
/// #casebook-sign-form, #casebook-password (name=password), #casebook-acknowledge (name=acknowledge_binding),
/// #sign-casebook. Every form carries the session's csrf token.
/// Source: issue 7 scopes 4–6.
public struct MonitoringSection: Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        public let action: String, by: String, at: String, text: String
        public init(action: String, by: String, at: String, text: String) { self.action = action; self.by = by; self.at = at; self.text = text }
    }

    public struct Query: Sendable, Equatable {
        public let id: String, itemOID: String, itemLabel: String, formName: String, status: String, origin: String, ageDays: Int
        public let messages: [Message]
        public let canAnswer: Bool, canClose: Bool, canReopen: Bool
        /// The visit of the value queried; nil at screening (the fields of this page).
        public let visitID: String?
        public init(id: String, itemOID: String, itemLabel: String, formName: String, status: String, origin: String, ageDays: Int,
                    messages: [Message], canAnswer: Bool, canClose: Bool, canReopen: Bool, visitID: String? = nil) {
            self.id = id; self.itemOID = itemOID; self.itemLabel = itemLabel; self.formName = formName; self.status = status
            self.origin = origin; self.ageDays = ageDays; self.messages = messages
            self.canAnswer = canAnswer; self.canClose = canClose; self.canReopen = canReopen; self.visitID = visitID
        }
    }

    public struct FormProgress: Sendable, Equatable {
        public let formOID: String, name: String, recorded: Int, verified: Int, criticalRecorded: Int, criticalVerified: Int
        public let changedSinceVerification: Int
        /// The visit of the row (nil: screening); each visit's forms are verified on their own.
        public let visitID: String?
        /// Element id part: `F_VITALS` at screening, `D7-F_LAB_HEM` at a visit.
        var key: String { visitID.map { "\($0)-\(formOID)" } ?? formOID }
        public init(formOID: String, name: String, recorded: Int, verified: Int, criticalRecorded: Int, criticalVerified: Int,
                    changedSinceVerification: Int, visitID: String? = nil) {
            self.visitID = visitID
            self.formOID = formOID; self.name = name; self.recorded = recorded; self.verified = verified
            self.criticalRecorded = criticalRecorded; self.criticalVerified = criticalVerified
            self.changedSinceVerification = changedSinceVerification
        }
    }

    public struct Signature: Sendable, Equatable {
        public let signerName: String, signedAt: String, meaning: String, contentHash: String, valid: Bool
        /// "the whole casebook" or "form Vital signs".
        public let scope: String
        public init(signerName: String, signedAt: String, meaning: String, contentHash: String, valid: Bool, scope: String = "the whole casebook") {
            self.signerName = signerName; self.signedAt = signedAt; self.meaning = meaning; self.contentHash = contentHash; self.valid = valid
            self.scope = scope
        }
    }

    public let subjectId: String
    public let csrf: String
    public let version: Int
    public let queries: [Query]
    /// Items a query can be raised on (value, label); empty when the viewer cannot raise queries.
    public let raisableItems: [(String, String)]
    public let forms: [FormProgress]
    public let canVerify: Bool
    public let signatures: [Signature]
    /// The signing form: present for an investigator; `meaning` and whether the binding acknowledgement is asked.
    /// The signing form: what may be signed (value "" = the whole casebook, else a form OID, with its label and meaning).
    public let signForm: (meaning: String, signerName: String, needsAcknowledgement: Bool, needsCode: Bool)?
    public var signScopes: [(value: String, label: String, meaning: String)] = []

    public init(subjectId: String, csrf: String, version: Int, queries: [Query], raisableItems: [(String, String)], forms: [FormProgress],
                canVerify: Bool, signatures: [Signature], signForm: (meaning: String, signerName: String, needsAcknowledgement: Bool, needsCode: Bool)?) {
        self.subjectId = subjectId; self.csrf = csrf; self.version = version; self.queries = queries; self.raisableItems = raisableItems
        self.forms = forms; self.canVerify = canVerify; self.signatures = signatures; self.signForm = signForm
    }

    public static func == (a: Self, b: Self) -> Bool { a.html == b.html }

    /// Active queries on screening values by item OID (count, first id), for the badge beside each screening field; a
    /// query on a visit's value belongs to that visit's field, not to the screening value of the same item.
    public var activeQueriesByItem: [String: ParticipantPage.QueryBadge] {
        ParticipantPage.QueryBadge.byItem(queries.filter { $0.status != "closed" && $0.visitID == nil }.map { ($0.id, $0.itemOID) })
    }

    /// The section as HTML, every value escaped.
    public var html: String {
        var out = ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        let base = WebPaths.participant(subjectId)
        func formStart(_ id: String, _ action: String, cls: String = "form") {
            out += "<form id=\""; e(id); out += "\" method=\"post\" action=\""; e(action); out += "\" class=\"" + cls + "\">\n"
            out += "<input type=\"hidden\" name=\"csrf\" value=\""; e(csrf); out += "\">\n"
            out += "<input type=\"hidden\" name=\"version\" value=\"\(version)\">\n"
        }
        out += "<section id=\"monitoring\" class=\"section\" aria-labelledby=\"monitoring-heading\">\n"
        out += "<h2 id=\"monitoring-heading\">Monitoring: queries, source verification and casebook signature</h2>\n"
        out += "<p><a id=\"casebook-link\" href=\""; e(base); out += "/casebook\">Printable casebook</a> — values, signatures, queries and audit history</p>\n"
        // Queries
        let active = queries.filter { $0.status != "closed" }.count
        out += "<div id=\"queries\" class=\"card\">\n<h3>Queries <span class=\"muted\">(\(active) active, \(queries.count) in all)</span></h3>\n"
        if queries.isEmpty { out += "<p class=\"muted\">No queries on this casebook.</p>\n" }
        for q in queries {
            out += "<article id=\"query-"; e(q.id); out += "\" class=\"query query--"; e(q.status); out += "\" data-status=\""; e(q.status)
            out += "\" data-item=\""; e(q.itemOID); out += "\">\n<h4><a href=\""
            // A visit's value is on the visit's page; a screening value on this one.
            e((q.visitID.map { WebPaths.visit(subjectId, $0) } ?? "") + "#item-" + q.itemOID); out += "\">"; e(q.itemLabel); out += "</a> <span class=\"muted\">"
            e(q.formName); out += "</span> <span class=\"badge badge--query-"; e(q.status); out += "\">"; e(q.status); out += "</span> <span class=\"muted\">"
            e(q.origin); out += " · \(q.ageDays == 0 ? "under a day old" : q.ageDays.counted("day") + " old")</span></h4>\n<ol class=\"query__thread\">\n"
            for m in q.messages {
                out += "<li><strong>"; e(m.action); out += "</strong> by "; e(m.by); out += " at <time>"; e(m.at); out += "</time>: <span class=\"prewrap\">"; e(m.text); out += "</span></li>\n"
            }
            out += "</ol>\n"
            if q.canAnswer || q.canClose || q.canReopen {
                formStart("query-\(q.id)-form", base + "/queries/" + q.id, cls: "form query__actions")
                out += "<label for=\"query-"; e(q.id); out += "-text\">Your "
                out += q.canAnswer ? "answer" : "comment"; out += "</label>\n<textarea id=\"query-"; e(q.id); out += "-text\" name=\"text\" rows=\"2\" required></textarea>\n<div class=\"action-row\">\n"
                for (action, label, allowed) in [("answer", "Answer", q.canAnswer), ("close", "Close query", q.canClose), ("reopen", "Re-open", q.canReopen)] where allowed {
                    out += "<button id=\"query-"; e(q.id); out += "-\(action)\" type=\"submit\" name=\"action\" value=\"\(action)\" class=\"button\">\(label)</button>\n"
                }
                out += "</div>\n</form>\n"
            }
            out += "</article>\n"
        }
        if !raisableItems.isEmpty {
            formStart("raise-query-form", base + "/queries")
            out += "<h4>Raise a query</h4>\n<div class=\"field\"><label for=\"raise-query-item\">Item</label>\n<select id=\"raise-query-item\" name=\"item\" required>\n"
            for (value, label) in raisableItems {
                out += "<option value=\""; e(value); out += "\">"; e(label); out += "</option>\n"
            }
            out += "</select></div>\n<div class=\"field\"><label for=\"raise-query-text\">Question for the site</label>\n"
            out += "<textarea id=\"raise-query-text\" name=\"text\" rows=\"2\" required></textarea></div>\n"
            out += "<button id=\"raise-query\" type=\"submit\" class=\"button button--primary\">Raise query</button>\n</form>\n"
        }
        out += "</div>\n"
        // Source data verification
        out += "<div id=\"sdv\" class=\"card\">\n<h3>Source data verification</h3>\n<div class=\"table-wrap\"><table class=\"table\">\n"
        out += "<thead><tr><th scope=\"col\">Form</th><th scope=\"col\">Verified</th><th scope=\"col\">Critical items</th><th scope=\"col\">Changed since verified</th>"
        out += canVerify ? "<th scope=\"col\"><span class=\"visually-hidden\">Action</span></th>" : ""
        out += "</tr></thead>\n<tbody>\n"
        for f in forms where f.recorded > 0 {
            out += "<tr id=\"sdv-"; e(f.key); out += "\" data-verified=\"\(f.verified)\" data-recorded=\"\(f.recorded)\"><th scope=\"row\">"; e(f.name)
            out += "</th><td>\(f.verified) of \(f.recorded)</td><td>"
            out += f.criticalRecorded == 0 ? "—" : "\(f.criticalVerified) of \(f.criticalRecorded)" + (f.criticalVerified == f.criticalRecorded ? " ✓" : " (100 % required)")
            out += "</td><td>\(f.changedSinceVerification)</td>"
            if canVerify {
                out += "<td>"
                if f.verified < f.recorded {
                    formStart("verify-\(f.key)-form", base + "/sdv", cls: "form-inline")
                    out += "<input type=\"hidden\" name=\"form\" value=\""; e(f.formOID); out += "\">\n"
                    if let visit = f.visitID { out += "<input type=\"hidden\" name=\"visit\" value=\""; e(visit); out += "\">\n" }
                    out += "<button id=\"verify-"; e(f.key); out += "\" type=\"submit\" class=\"button\">Mark form verified</button>\n</form>"
                } else {
                    out += "Verified"
                }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n</div>\n"
        // Casebook signatures
        out += "<div id=\"casebook-signatures\" class=\"card signature\">\n<h3>Casebook signature</h3>\n"
        if signatures.isEmpty { out += "<p class=\"muted\">Not signed yet.</p>\n" }
        for (n, s) in signatures.enumerated() {
            out += "<div id=\"casebook-signature-\(n + 1)\" data-standing=\"" + (s.valid ? "valid" : "invalidated") + "\"><p>"; e(s.scope.prefix(1).uppercased() + s.scope.dropFirst())
            out += " signed by <strong>"; e(s.signerName)
            out += "</strong> at <time>"; e(s.signedAt); out += "</time>. Meaning: "; e(s.meaning); out += "</p>\n"
            out += "<p class=\"signature__hash\">Bound to content SHA-256 <code>"; e(s.contentHash); out += "</code></p>\n"
            if !s.valid {
                out += "<p class=\"message message--warning\"><span aria-hidden=\"true\">!</span> Invalidated by a later change to what was signed: the investigator must sign again.</p>\n"
            }
            out += "</div>\n"
        }
        if let sign = signForm {
            formStart("casebook-sign-form", base + "/casebook/sign")
            let scopes = signScopes.isEmpty ? [(value: "", label: "The whole casebook", meaning: sign.meaning)] : signScopes
            out += "<div class=\"field\"><label for=\"casebook-scope\">What you sign</label>\n<select id=\"casebook-scope\" name=\"form\">"
            for scope in scopes {
                out += "<option value=\""; e(scope.value); out += "\">"; e(scope.label); out += "</option>"
            }
            out += "</select></div>\n"
            out += "<div id=\"casebook-meaning\" class=\"signature__meaning\"><p>By signing, I, "; e(sign.signerName); out += ", confirm:</p><ul>"
            for scope in scopes {
                out += "<li><strong>"; e(scope.label); out += "</strong>: "; e(scope.meaning); out += "</li>"
            }
            out += "</ul></div>\n"
            out += "<div class=\"field\"><label for=\"casebook-password\">Re-enter your password to sign</label>\n"
            out += "<input id=\"casebook-password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required aria-describedby=\"casebook-meaning\"></div>\n"
            if sign.needsCode {
                out += "<div class=\"field\"><label for=\"casebook-code\">Authentication code from your app</label>\n"
                out += "<input id=\"casebook-code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"7\" required></div>\n"
            }
            if sign.needsAcknowledgement {
                out += "<div class=\"field field--check\"><input id=\"casebook-acknowledge\" name=\"acknowledge_binding\" type=\"checkbox\" value=\"yes\" required>\n"
                out += "<label for=\"casebook-acknowledge\">I acknowledge that my electronic signature is the legally binding equivalent of my handwritten signature (21 CFR 11.100). Asked once, before my first signature.</label></div>\n"
            }
            out += "<button id=\"sign-casebook\" type=\"submit\" class=\"button button--primary\">Sign casebook</button>\n</form>\n"
        }
        out += "</div>\n</section>\n"
        return out
    }
}
