import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

extension DemoService {
    public struct ScaleSummary: Sendable {
        public var participants: Int
        public var values: Int
        /// Values on the study's laboratory forms (forms with an item that carries a reference range).
        public var labValues: Int
        public var accounts: [Account]
        /// Seconds spent writing the cohort (after the accounts were made).
        public var loadSeconds: Double
    }

    /// `carta demo --scale N`: a synthetic cohort of up to 1,000,000 participants for trying Carta at sizes no
    /// real study of this protocol reaches (the scale benchmark's database), written in bulk.
    ///
    /// Each participant has the same course (`DemoCourse`) and the same forms as the demo's — screening, product
    /// chain, lymphodepletion at the calculated doses, every scheduled visit up to today — each value checked and
    /// standardised by the same entry checks as typed data (`EntryCheck`: units, ranges, codes). What differs
    /// from `run`: the values reach the database through `CartaStore.loadSynthetic`, audited per participant (the
    /// registration records and one record of how many values and their digest) instead of per field and save; there is no screening
    /// workflow (no signed eligibility decision), no adverse-event log entries (CRS and ICANS are still derived
    /// from the daily assessments) and no edit-check queries; the target enrolment does not apply. Batches of
    /// `batchSize` participants are built on one core while the previous batch is written on the other.
    ///
    /// Source: issue 9 scope 3 (synthetic, clearly labelled, deterministic for a seed, a progress bar for long
    /// runs) and "Performance" (`demo` ≥ 200,000 lab rows per second; `derive` on 100,000 participants).
    public func runScale(participants count: Int, seed: UInt64, today: ClinicalDate, now: Date, batchSize: Int = 500,
                         progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ScaleSummary {
        guard (1...1_000_000).contains(count) else { throw WorkflowError.invalid("participants", "between 1 and 1000000 (got \(count))") }
        guard batchSize >= 1 else { throw WorkflowError.invalid("batchSize", "at least 1 participant a batch (got \(batchSize))") }
        let store = runtime.store
        let system = try await claim(detail: "synthetic scale cohort, seed \(seed), \(count) participants", now: now)
        let (accounts, _) = try await createAccounts(system: system)
        let start = ContinuousClock.now
        let plan = try ScalePlan(study: runtime.study, screening: runtime.screening)
        let settings = self.settings
        @Sendable func batch(_ first: Int) throws -> [SyntheticParticipant] {
            try (first..<min(count, first + batchSize)).map { i in
                let c = DemoCourse(index: i, of: count, seed: seed, today: today, settings: settings)
                return try plan.participant(c, today: today, enrolledAt: noon(c.dayZero.adding(days: -40)))
            }
        }
        var values = 0, labValues = 0, done = 0
        var pending: Task<[SyntheticParticipant], any Error>? = Task { try batch(0) }
        while let building = pending {
            let participants = try await building.value
            let next = done + participants.count
            pending = next < count ? Task { try batch(next) } : nil
            do {
                values += try await store.loadSynthetic(studyID: StudyID(runtime.study.id), participants,
                                                        reason: "synthetic scale cohort (carta demo --scale), seed \(seed)", actor: system, at: now)
            } catch {
                pending?.cancel()
                throw (error as? StoreError).flatMap(WorkflowError.init) ?? error
            }
            labValues += participants.reduce(0) { sum, p in sum + p.values.count(where: { plan.labForms.contains($0.address.formOID.rawValue) }) }
            done = next
            progress(done, count)
        }
        let elapsed = ContinuousClock.now - start
        return ScaleSummary(participants: count, values: values, labValues: labValues, accounts: accounts,
                            loadSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

/// What turns a course into a loadable participant: the study's item definitions looked up once, and the
/// entry checks that real entry runs.
struct ScalePlan: Sendable {
    let study: Study
    let screening: ScreeningService
    let items: [String: [String: ItemDefinition]]
    let labForms: Set<String>
    let site: SiteID

    init(study: Study, screening: ScreeningService) throws {
        self.study = study
        self.screening = screening
        var items: [String: [String: ItemDefinition]] = [:]
        for form in study.forms { items[form.oid] = Dictionary(form.items.map { ($0.oid, $0) }, uniquingKeysWith: { a, _ in a }) }
        self.items = items
        labForms = Set(study.forms.filter { $0.items.contains(where: \.collectsReferenceRange) }.map(\.oid))
        guard let site = study.sites.first?.id else { throw WorkflowError.invalid("sites", "the study file names no site to enrol synthetic participants at") }
        self.site = SiteID(site)
    }

    /// One participant: the forms of the demo's course up to `today`, each value checked as if typed.
    func participant(_ c: DemoCourse, today: ClinicalDate, enrolledAt: Date) throws -> SyntheticParticipant {
        let sequence = c.index + 1
        let subject = SubjectID(study.subjectID(sequence: sequence))
        let d0 = c.dayZero, consent = d0.adding(days: -40)
        var visits: [(event: String, date: ClinicalDate, forms: [String: [String: ScreeningService.RawEntry]])] = [
            (ScreeningService.screeningEvent.rawValue, consent, DemoService.screeningForms(c, consent: consent)),
            ("APH", d0.adding(days: -30), DemoService.apheresisForms(c)),
            ("PROD", d0.adding(days: -8), DemoService.productForms(c, bag: subject.rawValue, totalCells: DemoService.totalCells(c))),
        ]
        let birth = ClinicalDate(year: DemoService.birthYear(c), month: 6, day: 15)
        let vitals = DemoService.vitals(c)
        let (_, dosing) = try LymphodepletionDosing.plan(
            ageYears: birth.map { $0.age(on: today) } ?? 40, sex: c.index % 3 == 0 ? .male : .female,
            weightKg: Double(vitals["WEIGHT"]?.value ?? "") ?? c.weightKg, heightCm: Double(vitals["HEIGHT"]?.value ?? "") ?? 170,
            creatinineUmolL: 70, settings: study.settings)
        let doses = Dictionary(dosing.drugs.map { ($0.drug, $0.plannedMgPerDay ?? 0) }, uniquingKeysWith: { a, _ in a })
        for day in 1...3 {
            visits.append(("LD\(day)", d0.adding(days: -6 + day), DemoService.lymphodepletionForms(c, day: day, doses: doses)))
        }
        var rescued = false
        for visit in study.schedule.visits where visit.day >= 0 && visit.kind == .visit {
            var (day, forms) = DemoService.visitForms(c, visit, totalCells: DemoService.totalCells(c), rescued: &rescued)
            if var infusion = forms["F_INFUSION"], let bag = infusion["INF_BAG"] {
                infusion["INF_BAG"] = DemoService.e(bag.value.replacingOccurrences(of: "{BAG}", with: subject.rawValue))
                forms["F_INFUSION"] = infusion
            }
            visits.append((visit.id, d0.adding(days: day), forms))
        }
        var values: [SyntheticValue] = []
        // Forms and items in name order, so the values (and the digest of the participant's audit record) come in
        // the same order for a seed, whatever order the dictionaries iterate in.
        for (event, date, forms) in visits where date <= today {
            for (formOID, entries) in forms.sorted(by: { $0.key < $1.key }) {
                guard let defined = items[formOID] else { throw WorkflowError(.notFound, "The study has no form \(formOID).") }
                for (oid, raw) in entries.sorted(by: { $0.key < $1.key }) {
                    guard let item = defined[oid] else { throw WorkflowError.invalid("item.\(oid)", "Form \(formOID) has no item \(oid).") }
                    var entry = raw
                    screening.fillReferenceRange(&entry, item: item, site: site, on: date)
                    switch EntryCheck.check(item, entry, saved: nil) {
                    case .skip: continue
                    case .failed(let problems):
                        throw WorkflowError.invalidInput(problems.map { .init(field: $0.field, message: "\(subject) \(event)/\(formOID): \($0.message)") })
                    case .ok(let input, _):
                        guard let value = input.value else { continue }
                        values.append(SyntheticValue(address: ItemAddress(eventOID: EventOID(rawValue: event), formOID: FormOID(formOID),
                                                                          itemOID: ItemOID(oid), repeatKey: input.repeatKey), value: value))
                    }
                }
            }
        }
        return try SyntheticParticipant(subjectID: subject, sequenceNumber: sequence, siteID: site,
                                    identity: ParticipantIdentity(fullName: "Synthetic Participant \(sequence)", dateOfBirth: birth,
                                                                  hospitalNumber: "SYN-\(1000 + c.index)"),
                                    enrolledAt: enrolledAt, values: values)
    }
}
