import CartaCore
import CartaModel
import CartaStudy

/// What a participant's recorded values say about the product chain and the visits: apheresis,
/// release, bags, lymphodepletion days, infusions, Day 0 and each visit's date. Pure: read from values.
///
/// Source: spec/clinical.md §0.3 (Day 0 = first fraction), §6.4 (fractions), §7; issue 8 scope 2–4.
public struct ProductChainState: Sendable, Hashable {
    /// One infused fraction.
    public struct Infusion: Sendable, Hashable, Codable {
        public var visitID: String
        public var fraction: Int
        public var date: ClinicalDate
        public var bag: String
        /// Cells infused, in 10^6 cells.
        public var cellsMillions: Double?
    }

    public var apheresisDate: ClinicalDate?
    public var released: Bool?
    public var releaseDate: ClinicalDate?
    public var lot: String?
    /// The product's bag identifiers as recorded.
    public var bags: [String] = []
    /// Lymphodepletion administration date by visit id.
    public var lymphodepletionDates: [String: ClinicalDate] = [:]
    public var infusions: [Infusion] = []
    /// Each visit's recorded date (the first date item among its forms, in the order the visit lists them).
    public var visitDates: [String: ClinicalDate] = [:]
    /// The end of the participant's study (disposition), the earliest recorded.
    public struct EndOfStudy: Sendable, Hashable, Codable {
        public var visitID: String
        public var date: ClinicalDate
        public var status: String
    }
    public var endOfStudy: EndOfStudy?
    /// The planned infusion date recorded at screening.
    public var plannedInfusionDate: ClinicalDate?

    /// Day 0: the date of the first fraction, once infused.
    public var dayZero: ClinicalDate? { infusions.first { $0.fraction == 1 }?.date }

    /// Reads the chain from `values` (any events) according to `study`'s schedule and forms.
    public init(values: [ItemValue], study: Study) { self.init(values: VisitValues(values), study: study) }

    /// The date items the chain dates visits by, found once per study rather than once per participant.
    public struct DateItems: Sendable {
        /// Screening's date items (form, item), in file order.
        let screening: [(form: String, item: String)]
        /// Per form, its items that date a visit (`ProductChain.visitDateItems`), in the form's order.
        let visitDate: [String: [String]]
        /// Per schedule visit (by index), its form list and the position of each form in it: a participant's
        /// recorded forms are read in the visit's order without probing every form the visit lists. Used only for
        /// a visit whose form list is the one kept here (DateItems of another study file fall back to the visit's own).
        let formPositions: [(forms: [String], positions: [String: Int])]
        public init(study: Study) {
            formPositions = study.schedule.visits.map { visit in
                var positions: [String: Int] = [:]
                for (i, f) in visit.forms.enumerated() where positions[f] == nil { positions[f] = i }
                return (visit.forms, positions)
            }
            screening = study.screeningForms.flatMap { f in f.items.filter { $0.type == .date }.map { (f.oid, $0.oid) } }
            var byForm: [String: [String]] = [:]
            for form in study.forms where byForm[form.oid] == nil {
                byForm[form.oid] = form.items.filter { $0.type == .date && ProductChain.visitDateItems.contains($0.oid) }.map(\.oid)
            }
            visitDate = byForm
        }
    }

    /// Reads the chain from an already built index (a whole-study pass builds one per participant for all readers).
    /// `dateItems`: `DateItems(study:)`, passed by callers that read many participants.
    public init(values: VisitValues, study: Study, dateItems: DateItems? = nil) {
        let dateItems = dateItems ?? DateItems(study: study)
        let screeningEvent = EventOID.screening.rawValue
        plannedInfusionDate = values.date(screeningEvent, "F_CONSENT", ProductChain.plannedInfusionDate)
        // Screening (stored under the SCREENING event) is dated by the first date it records: consent.
        if let screening = study.schedule.visits.first,
           let d = dateItems.screening.lazy.compactMap({ values.date(screeningEvent, $0.form, $0.item) }).first {
            visitDates[screening.id] = d
        }
        for (index, visit) in study.schedule.visits.enumerated().dropFirst() {
            let id = visit.id
            // A form without values records nothing below (so a later visit's empty product form does not erase
            // an earlier visit's record). The recorded forms the visit lists, in the visit's order.
            guard let recorded = values.forms(of: id) else { continue }
            // (Equal lists share their storage when both come from the same study, so the comparison is immediate.)
            let kept = index < dateItems.formPositions.count ? dateItems.formPositions[index] : nil
            let positions = kept.flatMap { $0.forms == visit.forms ? $0.positions : nil }
                ?? Dictionary(visit.forms.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let listed = recorded.compactMap { f, items in positions[f].map { (position: $0, formOID: f, items: items) } }
                .sorted { $0.position < $1.position }
            for (_, formOID, items) in listed {
                func text(_ item: String) -> String? { items[item]?.text }
                func date(_ item: String) -> ClinicalDate? { text(item).flatMap(ClinicalDate.init(iso:)) }
                switch formOID {
                case ProductChain.apheresisForm: apheresisDate = date(ProductChain.apheresisDate)
                case ProductChain.productForm:
                    released = text(ProductChain.released).map { $0 == "Y" }
                    releaseDate = date(ProductChain.releaseDate)
                    lot = text(ProductChain.lot)
                    bags = ProductChain.bagItems.compactMap { text($0) }
                case ProductChain.lymphodepletionForm:
                    if let d = date(ProductChain.lymphodepletionDate) { lymphodepletionDates[id] = d }
                case ProductChain.dispositionForm:
                    if let d = date(ProductChain.dispositionDate), d < endOfStudy?.date ?? d.adding(days: 1) {
                        endOfStudy = EndOfStudy(visitID: id, date: d, status: text(ProductChain.dispositionStatus) ?? "")
                    }
                case ProductChain.infusionForm:
                    if let d = date(ProductChain.infusionDate), let f = text(ProductChain.fraction).flatMap({ Int($0) }) {
                        infusions.append(Infusion(visitID: id, fraction: f, date: d, bag: text(ProductChain.infusedBag) ?? "",
                                                  cellsMillions: items[ProductChain.cellsInfused]?.number))
                    }
                default: break
                }
                if visitDates[id] == nil, let d = dateItems.visitDate[formOID]?.lazy.compactMap({ date($0) }).first {
                    visitDates[id] = d
                }
            }
        }
        infusions.sort { $0.fraction < $1.fraction }
    }

    /// The visits that record lymphodepletion, in schedule order.
    public static func lymphodepletionVisits(_ study: Study) -> [VisitDefinition] {
        study.schedule.visits.filter { $0.forms.contains(ProductChain.lymphodepletionForm) }
    }
}
