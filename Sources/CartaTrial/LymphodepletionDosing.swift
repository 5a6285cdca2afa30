import CartaCore
import CartaModel
import CartaStudy
import Foundation

/// The lymphodepletion dose calculation and its second-person verification: the doses are computed from
/// the participant's latest height, weight and serum creatinine (BSA, Cockcroft–Gault CrCl, the study's
/// renal rule and rounding) and stored, with the values used, as the computed form `F_LD_CALC` at the first
/// lymphodepletion visit; a second person verifies it; only then may lymphodepletion be recorded, with no
/// prescribed dose above the calculated one, and never after the weight has changed beyond the study's
/// threshold since the calculation.
///
/// Source: spec/clinical.md §6.1 (BSA formula setting), §6.2 (dose = mg/m² × BSA, rounding, recalculation on
/// a > 10 % weight change), §6.3 (Cockcroft–Gault, renal bands), §6.5 ("all dose calculations need a
/// second-person verification record (user, timestamp)"; dose hard limits); issue 8 scope 3.
public struct LymphodepletionDosing: Sendable {
    public let conduct: ConductService
    var study: Study { conduct.screening.study }

    public init(conduct: ConductService) { self.conduct = conduct }

    public static let form = "F_LD_CALC"
    /// The daily-dose items of the calculation and of the administration form, per drug of the regimen.
    public static let doseItems: [String: (calculated: String, prescribed: String)] = [
        "fludarabine": ("CALC_FLU_MG", "FLU_PRESCRIBED"), "cyclophosphamide": ("CALC_CY_MG", "CY_PRESCRIBED"),
    ]

    /// A stored calculation as read back from its values.
    public struct Calculation: Sendable, Hashable {
        public var weightKg: Double
        public var heightCm: Double?
        public var bsaM2: Double?
        public var crClMlMin: Double?
        /// Daily dose in mg by drug; nil for a drug not to be given.
        public var dosesMg: [String: Double?]
        public var rules: String
        public var sources: String
        public var calculatedBy: String
        public var verifiedBy: String?
    }

    /// The visit that holds the calculation: the first lymphodepletion visit that schedules the form.
    public var visit: VisitDefinition? { study.schedule.visits.first { $0.forms.contains(Self.form) } }

    /// The stored calculation, nil when none is recorded.
    public static func calculation(in values: [ItemValue], visitID: String) -> Calculation? {
        var v: [String: MeasuredValue] = [:]
        for x in values where x.address.eventOID.rawValue == visitID && x.address.formOID.rawValue == form { if let m = x.value, !m.text.isEmpty { v[x.address.itemOID.rawValue] = m } }
        guard let weight = v["CALC_WEIGHT"]?.number, let by = v["CALC_BY"]?.text else { return nil }
        return Calculation(weightKg: weight, heightCm: v["CALC_HEIGHT"]?.number, bsaM2: v["CALC_BSA"]?.number, crClMlMin: v["CALC_CRCL"]?.number,
                           dosesMg: Dictionary(uniqueKeysWithValues: doseItems.map { ($0.key, v[$0.value.calculated]?.number) }),
                           rules: v["CALC_RULES"]?.text ?? "", sources: v["CALC_SOURCES"]?.text ?? "", calculatedBy: by, verifiedBy: v["VERIFIED_BY"]?.text)
    }

    /// Each visit's recorded date, else its nominal date on the (possibly provisional) calendar: the weight
    /// taken on lymphodepletion day −5 counts before that day's administration dates the visit.
    static func dates(_ course: ConductService.Course) -> [String: ClinicalDate] {
        var out = course.chain.visitDates
        for v in course.calendar?.visits ?? [] where out[v.id] == nil { out[v.id] = v.nominalDate }
        return out
    }

    /// The latest recorded value of an item across visits (by visit date), with where it came from.
    static func latest(_ itemOID: String, in file: ParticipantFile, visitDates: [String: ClinicalDate], screeningVisit: String) -> (value: Double, visit: String, date: ClinicalDate)? {
        file.values.compactMap { v -> (Double, String, ClinicalDate)? in
            guard v.address.itemOID.rawValue == itemOID, let x = v.value?.standardValue else { return nil }
            let visit = v.address.eventOID == .screening ? screeningVisit : v.address.eventOID.rawValue
            guard let d = visitDates[visit] else { return nil }
            return (x, visit, d)
        }.max { ($0.2, $0.1) < ($1.2, $1.1) }
    }

    /// Computes the doses from the latest values and stores the calculation (replacing an earlier one, whose
    /// verification then lapses). Refuses, naming what is missing or implausible, rather than guessing.
    public func calculate(subjectID: SubjectID, expectedVersion: Int, by principal: Principal) async throws -> Participant {
        guard let visit else { throw WorkflowError(.notFound, "This study does not calculate lymphodepletion doses (no \(Self.form) form is scheduled).") }
        let file = try await conduct.screening.file(subjectID, by: principal)
        let dates = Self.dates(conduct.course(of: file))
        let screeningVisit = study.schedule.visits.first?.id ?? ""
        func need(_ item: String, _ what: String) throws -> (value: Double, visit: String, date: ClinicalDate) {
            guard let x = Self.latest(item, in: file, visitDates: dates, screeningVisit: screeningVisit) else {
                throw WorkflowError.invalid(item, "No \(what) is recorded for \(subjectID); record it (with its visit date) before calculating the doses.")
            }
            return x
        }
        let weight = try need("WEIGHT", "body weight"), height = try need("HEIGHT", "height"), creatinine = try need("CREAT", "serum creatinine")
        guard let dob = file.dateOfBirth else { throw WorkflowError.invalid("dateOfBirth", "\(subjectID) has no date of birth; Cockcroft–Gault needs the age.") }
        let sexText = file.values.first { $0.address.eventOID == .screening && $0.address.itemOID.rawValue == "SEX" }?.value?.text
        guard let sex: CockcroftGault.Sex = sexText == "M" ? .male : sexText == "F" ? .female : nil else {
            throw WorkflowError.invalid("SEX", "\(subjectID) has no sex recorded at screening (M or F); Cockcroft–Gault needs it.")
        }
        let today = conduct.screening.clock.today
        let age = dob.age(on: today)
        let settings = study.settings
        let (crcl, plan) = try Self.plan(ageYears: age, sex: sex, weightKg: weight.value, heightCm: height.value,
                                         creatinineUmolL: creatinine.value, settings: settings)
        var entries: [String: ScreeningService.RawEntry] = [
            "CALC_WEIGHT": .init(value: Self.text(weight.value), unit: "kg"), "CALC_HEIGHT": .init(value: Self.text(height.value), unit: "cm"),
            "CALC_CREAT": .init(value: Self.text(creatinine.value), unit: "umol/L"), "CALC_AGE": .init(value: String(age)),
            "CALC_BSA": .init(value: Self.text((plan.bsaUsedM2 * 100).rounded() / 100), unit: "m2"),
            "CALC_CRCL": .init(value: Self.text(crcl.crClDisplayMlMin), unit: "mL/min"),
            "CALC_RULES": .init(value: (plan.drugs.map { "\($0.drug): \($0.rule)" } + plan.warnings).joined(separator: "; ")),
            "CALC_SOURCES": .init(value: "weight \(Self.text(weight.value)) kg at \(weight.visit) (\(weight.date)); height \(Self.text(height.value)) cm at \(height.visit) (\(height.date)); creatinine \(Self.text(creatinine.value)) µmol/L at \(creatinine.visit) (\(creatinine.date)); age \(age) on \(today); \(settings.lymphodepletion.bsaFormula.rawValue) BSA"),
            "CALC_BY": .init(value: principal.user.username),
        ]
        for drug in plan.drugs {
            guard let item = Self.doseItems[drug.drug]?.calculated else { continue }
            entries[item] = .init(value: drug.plannedMgPerDay.map(Self.text) ?? "0", unit: "mg")
        }
        let previous = Self.calculation(in: file.values, visitID: visit.id)
        if previous?.verifiedBy != nil { entries["VERIFIED_BY"] = .init(value: "") }
        return try await conduct.screening.saveEventForms(
            subjectID: subjectID, eventOID: EventOID(rawValue: visit.id), forms: [Self.form: entries], expectedVersion: expectedVersion,
            reason: previous == nil ? nil : ChangeReason(code: .newInformation, text: "Doses recalculated from the latest height, weight and creatinine"),
            enteredAt: nil, by: principal, computedWrite: true) { file, writes in
            try conduct.admit(visit: visit, file: file, writes: writes, by: principal)
        }.participant
    }

    /// Creatinine clearance (Cockcroft–Gault with the study's weight basis) and the regimen's plan from the
    /// inputs the calculation form records; a refusal names the field (`WorkflowError.invalid`).
    ///
    /// Source: spec/clinical.md §6.2 (Cockcroft–Gault 1976; the study's `crcl.weightBasis`), §6.5 (the regimen and
    /// its renal adjustment, from the study file's `lymphodepletion` settings).
    static func plan(ageYears: Int, sex: CockcroftGault.Sex, weightKg: Double, heightCm: Double, creatinineUmolL: Double,
                     settings: StudySettings) throws -> (CrClCalculator.Output, LymphodepletionPlan) {
        do {
            let crcl = try CrClCalculator.compute(.init(ageYears: Double(ageYears), sex: sex, weightKg: weightKg, heightCm: heightCm,
                                                        serumCreatinine: .init(value: creatinineUmolL, unit: "umol/L"), weightBasis: settings.crcl.weightBasis,
                                                        limits: settings.dosingLimits))
            var regimen = settings.lymphodepletion
            regimen.limits = settings.dosingLimits
            return (crcl, try LymphodepletionPlan(weightKg: weightKg, heightCm: heightCm, crClMlMin: crcl.crClMlMin, regimen: regimen))
        } catch let e as CalculatorError {
            throw WorkflowError.invalid(e.field ?? "calculation", "The doses cannot be calculated: \(e.message). Nothing was saved.")
        }
    }

    /// The second person's verification of the stored calculation: never by the person who calculated it.
    public func verify(subjectID: SubjectID, expectedVersion: Int, by principal: Principal) async throws -> Participant {
        guard let visit else { throw WorkflowError(.notFound, "This study does not calculate lymphodepletion doses (no \(Self.form) form is scheduled).") }
        let file = try await conduct.screening.file(subjectID, by: principal)
        guard let calc = Self.calculation(in: file.values, visitID: visit.id) else {
            throw WorkflowError(.outOfOrder, "No dose calculation is recorded for \(subjectID); calculate the doses first.")
        }
        guard calc.verifiedBy == nil else { throw WorkflowError(.conflict, "The dose calculation is already verified by \(calc.verifiedBy ?? "")." ) }
        guard calc.calculatedBy != principal.user.username else {
            throw WorkflowError(.forbidden, "You calculated these doses; a second person verifies them (spec §6.5). Nothing was saved.")
        }
        return try await conduct.screening.saveEventForms(
            subjectID: subjectID, eventOID: EventOID(rawValue: visit.id), forms: [Self.form: ["VERIFIED_BY": .init(value: principal.user.username)]],
            expectedVersion: expectedVersion, reason: nil, enteredAt: nil, by: principal, computedWrite: true) { file, writes in
            try conduct.admit(visit: visit, file: file, writes: writes, by: principal)
        }.participant
    }

    /// The checks a lymphodepletion administration must pass (called by the order of events): a verified
    /// calculation, no weight change beyond the threshold since it, no prescribed dose above it.
    static func admitAdministration(after: [ItemValue], file: ParticipantFile, study: Study, visitDates: [String: ClinicalDate], writtenAt visit: String) -> String? {
        guard let calcVisit = study.schedule.visits.first(where: { $0.forms.contains(form) }) else { return nil }
        guard let calc = calculation(in: after, visitID: calcVisit.id) else {
            return "no dose calculation is recorded; calculate the doses at \(calcVisit.name) (BSA, CrCl, renal rule) and have a second person verify them first."
        }
        guard let verifier = calc.verifiedBy, !verifier.isEmpty else {
            return "the dose calculation by \(calc.calculatedBy) is not verified by a second person yet (spec §6.5); have it verified first."
        }
        let limit = study.settings.dosingLimits.weightChangeWarnFraction
        if let w = latest("WEIGHT", in: file, visitDates: visitDates, screeningVisit: study.schedule.visits.first?.id ?? ""),
           abs(w.value - calc.weightKg) / calc.weightKg > limit + 1e-9 {
            return "the weight \(text(w.value)) kg at \(w.visit) (\(w.date)) differs by more than \(text(limit * 100)) % from the \(text(calc.weightKg)) kg the doses were calculated with; recalculate the doses (spec §6.2)."
        }
        let tolerance = study.settings.dosingLimits.ldDoseToleranceFraction
        for (drug, items) in doseItems.sorted(by: { $0.key < $1.key }) {
            guard let prescribed = after.first(where: { $0.address.eventOID.rawValue == visit && $0.address.itemOID.rawValue == items.prescribed })?.value?.standardValue,
                  let calculated = calc.dosesMg[drug] ?? nil else { continue }
            if prescribed > calculated * (1 + tolerance) + 1e-9 {
                return "\(drug) prescribed \(text(prescribed)) mg is above the verified calculated dose of \(text(calculated)) mg/day (tolerance \(text(tolerance * 100)) %, spec §6.5)."
            }
        }
        return nil
    }

    /// A dose or measurement as people write it ("55", "1.82").
    public static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e12 ? String(Int(x)) : String((x * 100).rounded() / 100) }
}
