import CartaCore
import CartaStudy
import CartaTrial
import CartaWeb

/// `GET /participants/{id}/calendar`: the product chain as recorded, the visit calendar with statuses
/// (provisional until the first infusion) and the protocol deviations it shows.
struct CourseDTO: Encodable {
    struct Visit: Encodable {
        let id: String, name: String, day: Int, nominalDate: ClinicalDate, earliest: ClinicalDate, latest: ClinicalDate
        let doneOn: ClinicalDate?, status: String
    }
    struct Deviation: Encodable { let rule: String, ruleText: String, visitID: String, date: ClinicalDate, description: String }
    struct Chain: Encodable {
        let apheresisDate: ClinicalDate?, lot: String?, released: Bool?, releaseDate: ClinicalDate?, bags: [String]
        let lymphodepletion: [String: ClinicalDate], infusions: [ProductChainState.Infusion]
    }
    let subjectID: String
    let version: Int
    let dayZero: ClinicalDate?
    let provisional: Bool
    let visits: [Visit]
    let deviations: [Deviation]
    let chain: Chain

    init(_ c: ConductService.Course) {
        subjectID = c.participant.subjectID.rawValue
        version = c.participant.version
        dayZero = c.calendar?.dayZero
        provisional = c.calendar?.provisional ?? true
        visits = (c.calendar?.visits ?? []).map {
            Visit(id: $0.id, name: $0.name, day: $0.day, nominalDate: $0.nominalDate, earliest: $0.earliest, latest: $0.latest,
                  doneOn: $0.doneOn, status: $0.status.rawValue)
        }
        deviations = c.deviations.map { Deviation(rule: $0.rule.rawValue, ruleText: $0.rule.text, visitID: $0.visitID, date: $0.date, description: $0.description) }
        chain = Chain(apheresisDate: c.chain.apheresisDate, lot: c.chain.lot, released: c.chain.released, releaseDate: c.chain.releaseDate,
                      bags: c.chain.bags, lymphodepletion: c.chain.lymphodepletionDates, infusions: c.chain.infusions)
    }
}

/// `GET /today`: the today screen's rows (see `TodayService`).
struct TodayDTO: Encodable {
    struct Visit: Encodable { let id: String, name: String, earliest: ClinicalDate, latest: ClinicalDate, status: String }
    struct Row: Encodable {
        let subjectID: String, siteID: String, studyDay: Int?, provisional: Bool
        let dueToday: [Visit], overdue: [Visit], nextStep: String?
        let platelets: [TodayService.PlateletCount], plateletTrend: String?
        let crsGrade: Int?, icansGrade: Int?
        let alerts: [TodayService.Alert]
        /// The end of study recorded on or before today (`visitID`, `date`, `status`), absent while on study.
        let endOfStudy: ProductChainState.EndOfStudy?
        init(_ r: TodayService.Row) {
            func v(_ c: CalendarVisit) -> Visit { Visit(id: c.id, name: c.name, earliest: c.earliest, latest: c.latest, status: c.status.rawValue) }
            subjectID = r.participant.subjectID.rawValue; siteID = r.participant.siteID.rawValue; studyDay = r.studyDay; provisional = r.provisional
            dueToday = r.dueToday.map(v); overdue = r.overdue.map(v); nextStep = r.nextStep.isEmpty ? nil : r.nextStep
            platelets = r.platelets; plateletTrend = r.plateletTrend; crsGrade = r.crsGrade; icansGrade = r.icansGrade; alerts = r.alerts
            endOfStudy = r.endOfStudy
        }
    }
    let date: ClinicalDate
    /// The view (`all` or `attention`), the 1-based page shown (a page past the last shows the last) and how many there are.
    let show: String, page: Int, pages: Int
    /// Participants in the view, and in each view.
    let total: Int, counts: [String: Int]
    let participants: [Row]

    init(_ rows: [TodayService.Row], show: TodayPage.Show, page: Int, limit: Int, date: ClinicalDate) {
        // The same views and pages as the web screen, at the caller's page size.
        let listed = TodayPage.paged(rows, show: show, page: page, size: limit) { $0.needsAttention }
        self.date = date; self.show = show.rawValue; self.page = listed.page; pages = listed.pages
        total = listed.total
        counts = Dictionary(uniqueKeysWithValues: zip(TodayPage.Show.allCases.map(\.rawValue), listed.views.map(\.count)))
        participants = listed.rows.map(Row.init)
    }
}
