import CartaStudy

extension ParticipantPage {
    /// The screening data form: one `<form>` with a fieldset per study form, saved together.
    ///
    /// Source: issue 2 §6 (screening forms rendered from the study file; soft warnings vs hard limits;
    /// optimistic version check); issue 7 scope 3 (a reason for change beside each changed value).
    public struct Screening: Sendable, Equatable {
        /// Where the form posts.
        public let action: String
        /// The version of the saved data the form was built from (hidden field `version`).
        public let version: String
        /// The study's forms, in order.
        public let sections: [FormSection]
        /// A form-level error, e.g. the optimistic-lock conflict message.
        public let screeningError: String?
        /// When true every input is disabled and no save button is shown (read-only roles).
        public let readOnly: Bool
        /// Why the data are locked (who, when, reason), when a lock covers the casebook or the database.
        public let lockedNote: String?
        /// The sections as HTML, written once when the model is built (see `sectionsHTML(_:readOnly:)`).
        public let sectionsHTML: String
        /// Every refused field in page order, each linking to its control (`#error-summary`).
        public let errorSummary: [RegisterPage.ErrorLink]
        public let hasErrors: Bool

        /// Creates the screening form for a participant.
        public init(subjectId: String, version: String, sections: [FormSection], screeningError: String? = nil,
                    readOnly: Bool = false, lockedNote: String? = nil, queryBadges: [String: QueryBadge] = [:]) {
            self.lockedNote = lockedNote
            action = WebPaths.screening(subjectId)
            self.version = version
            self.sections = sections
            self.screeningError = screeningError
            self.readOnly = readOnly
            self.sectionsHTML = Self.sectionsHTML(sections, readOnly: readOnly, queryBadges: queryBadges)
            errorSummary = ParticipantPage.errorLinks(sections)
            hasErrors = !errorSummary.isEmpty
        }
    }

    /// The refused fields of `sections` in page order — the value (`#item-<OID>`) or its reason for change
    /// (`#reason-<OID>`) — for an error summary that lists and links every bad field (issue 8 scope 11).
    static func errorLinks(_ sections: [FormSection]) -> [RegisterPage.ErrorLink] {
        sections.flatMap(\.items).flatMap { item -> [RegisterPage.ErrorLink] in
            [item.itemError.map { RegisterPage.ErrorLink(fieldId: "item-" + item.oid, message: $0) },
             item.changeReason?.error.map { RegisterPage.ErrorLink(fieldId: "reason-" + item.oid, message: $0) }].compactMap { $0 }
        }
    }

    /// The active queries on one item: how many, and the first one's id (the badge links to it).
    public struct QueryBadge: Sendable, Equatable {
        public let count: Int
        public let firstID: String
        /// Where the badge leads: the query's thread on this page (`#query-<id>`), or on the participant's page from a
        /// visit page (the threads are listed there).
        public let href: String
        public init(count: Int, firstID: String, page: String = "") {
            self.count = count; self.firstID = firstID; href = page + "#query-" + firstID
        }

        /// Active queries (not closed) by item OID: how many, and the first one.
        public static func byItem(_ queries: [(id: String, itemOID: String)], page: String = "") -> [String: QueryBadge] {
            var out: [String: QueryBadge] = [:]
            for q in queries {
                out[q.itemOID] = QueryBadge(count: (out[q.itemOID]?.count ?? 0) + 1, firstID: out[q.itemOID]?.firstID ?? q.id, page: page)
            }
            return out
        }
    }

    /// One study form (e.g. "Screening laboratory") as a fieldset.
    public struct FormSection: Sendable, Equatable {
        /// Form OID from the study file (used in the fieldset id `form-<OID>`).
        public let oid: String
        /// Form name shown as the legend.
        public let name: String
        /// The items, in order.
        public let items: [FormItem]
        /// Why the viewer cannot answer this section although they may enter data (an investigator-only
        /// form); its controls are disabled and the note says who answers it. Nil otherwise.
        public let lockedNote: String?
        /// The site's laboratories to choose from, the one in use selected: only when the site keeps more than one
        /// and the form holds lab values (issue 8 scope 11: ranges held per site and laboratory). Empty otherwise.
        public let laboratories: [SelectOption]

        /// Creates a form section.
        public init(oid: String, name: String, items: [FormItem], lockedNote: String? = nil, laboratories: [SelectOption] = []) {
            self.laboratories = laboratories
            self.oid = oid
            self.name = name
            self.items = items
            self.lockedNote = lockedNote
        }
    }

    /// The laboratory a form's lab values come from: the one posted with the form, else the site's first; and the
    /// choice to offer (empty unless the site keeps several laboratories and the form holds lab values).
    static func laboratoryChoice(_ form: FormDefinition, site: Site?, submitted: [String: SubmittedEntry]?) -> (chosen: String?, options: [SelectOption]) {
        let labs = site?.laboratories ?? []
        let posted = submitted?.values.compactMap(\.laboratory).first { id in labs.contains { $0.id == id } }
        let chosen = posted ?? labs.first?.id
        guard labs.count > 1, form.items.contains(where: \.collectsReferenceRange) else { return (chosen, []) }
        return (chosen, labs.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == chosen) })
    }

    /// One audit record of an item, for its history disclosure.
    ///
    /// Source: issue 2 §4 (who, when, old → new, why, source).
    public struct HistoryEntry: Sendable, Equatable {
        /// Time with offset.
        public let when: String
        /// Who made the change.
        public let who: String
        /// Value before ("" when first entered).
        public let oldValue: String
        /// Value after.
        public let newValue: String
        /// Reason for change ("" when none was required).
        public let reason: String
        /// web, api, cli or import.
        public let source: String

        /// Creates a history entry.
        public init(when: String, who: String, oldValue: String, newValue: String, reason: String, source: String) {
            self.when = when
            self.who = who
            self.oldValue = oldValue
            self.newValue = newValue
            self.reason = reason
            self.source = source
        }
    }
}
