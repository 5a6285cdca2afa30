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
    public init(values: [ItemValue], study: Study) {
        var byAddress: [String: MeasuredValue] = [:]
        for v in values { if let m = v.value { byAddress["\(v.address.eventOID)/\(v.address.formOID)/\(v.address.itemOID)"] = m } }
        func text(_ event: String, _ form: String, _ item: String) -> String? {
            byAddress["\(event)/\(form)/\(item)"].flatMap { $0.text.isEmpty ? nil : $0.text }
        }
        func date(_ event: String, _ form: String, _ item: String) -> ClinicalDate? { text(event, form, item).flatMap(ClinicalDate.init(iso:)) }
        plannedInfusionDate = date(EventOID.screening.rawValue, "F_CONSENT", ProductChain.plannedInfusionDate)
        // Screening (stored under the SCREENING event) is dated by the first date it records: consent.
        if let screening = study.schedule.visits.first,
           let d = study.screeningForms.lazy.flatMap({ f in f.items.filter { $0.type == .date }.map { (f.oid, $0.oid) } })
               .compactMap({ date(EventOID.screening.rawValue, $0.0, $0.1) }).first {
            visitDates[screening.id] = d
        }
        for visit in study.schedule.visits.dropFirst() {
            let id = visit.id
            for formOID in visit.forms {
                switch formOID {
                case ProductChain.apheresisForm: apheresisDate = date(id, formOID, ProductChain.apheresisDate)
                case ProductChain.productForm:
                    released = text(id, formOID, ProductChain.released).map { $0 == "Y" }
                    releaseDate = date(id, formOID, ProductChain.releaseDate)
                    lot = text(id, formOID, ProductChain.lot)
                    bags = ProductChain.bagItems.compactMap { text(id, formOID, $0) }
                case ProductChain.lymphodepletionForm:
                    if let d = date(id, formOID, ProductChain.lymphodepletionDate) { lymphodepletionDates[id] = d }
                case ProductChain.dispositionForm:
                    if let d = date(id, formOID, ProductChain.dispositionDate), d < endOfStudy?.date ?? d.adding(days: 1) {
                        endOfStudy = EndOfStudy(visitID: id, date: d, status: text(id, formOID, ProductChain.dispositionStatus) ?? "")
                    }
                case ProductChain.infusionForm:
                    if let d = date(id, formOID, ProductChain.infusionDate),
                       let f = text(id, formOID, ProductChain.fraction).flatMap({ Int($0) }) {
                        infusions.append(Infusion(visitID: id, fraction: f, date: d, bag: text(id, formOID, ProductChain.infusedBag) ?? "",
                                                  cellsMillions: byAddress["\(id)/\(formOID)/\(ProductChain.cellsInfused)"]?.number))
                    }
                default: break
                }
                if visitDates[id] == nil, let form = study.form(formOID),
                   let d = form.items.lazy.filter({ $0.type == .date && ProductChain.visitDateItems.contains($0.oid) })
                       .compactMap({ date(id, formOID, $0.oid) }).first {
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
