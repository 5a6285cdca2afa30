import CartaCore
import CartaModel
import Foundation

/// Kept outcome figures (`outcome_figures.figures`) read back without `Codable`: the bytes `PositionalCoder.encode`
/// wrote for an `OutcomeDerivation.Accumulator.Figures`, read field by field in declaration order.
///
/// Why: a pass from kept figures over 100,000 whole courses spent about half its time in `Codable`'s generic
/// decoding machinery (a boxed container, a dynamic cast and a type comparison per field), well over the issue's
/// 10 s (issue 9 "Performance"; BENCHMARKS.md, "Synthetic scale cohort"). Writing stays with `PositionalCoder`, so
/// the layout has one definition; this reader must follow it. `KeptOutcomeFiguresTests.theKeptFiguresReaderReadsWhatPositionalCoderWrote` decodes rich figures both
/// ways and compares them, and checks every type's stored properties against the order read here, so a property
/// added to any of these types fails a test instead of misreading kept bytes. Bytes that do not read exactly (too
/// short, left over, a presence byte other than 0 or 1) throw, and the caller derives that participant again.
extension OutcomeDerivation.Accumulator.Figures {
    /// Figures read back from the bytes `PositionalCoder.encode` wrote for them (`KeptFiguresReader`).
    public init(kept data: Data) throws { self = try KeptFiguresReader.figures(data) }
}

struct KeptFiguresReader: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    /// One whole `Figures`; every byte must be used.
    static func figures(_ data: Data) throws -> OutcomeDerivation.Accumulator.Figures {
        try data.withUnsafeBytes { raw in
            var reader = KeptFiguresReader(bytes: raw)
            let figures = try reader.figures()
            guard reader.index == raw.count else { throw Self.failure("\(raw.count - reader.index) bytes left after the figures") }
            return figures
        }
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private static func failure(_ text: String) -> PositionalCoder.Unsupported { .init(description: text) }

    // MARK: PositionalCoder's primitives

    private mutating func byte() throws -> UInt8 {
        guard index < bytes.count else { throw Self.failure("the data ends early") }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func unsigned() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            // Ten 7-bit groups hold 64 bits; the tenth may only carry bit 63.
            guard shift < 63 || (shift == 63 && b <= 1) else { throw Self.failure("an integer is too long") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    /// A zig-zag varint (`Int` is 64 bits on every platform Carta builds for).
    private mutating func int() throws -> Int {
        let u = try unsigned()
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    private mutating func double() throws -> Double {
        guard bytes.count - index >= 8 else { throw Self.failure("the data ends early") }
        defer { index += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
    }

    private mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let b: throw Self.failure("byte \(b) for a Bool")
        }
    }

    private mutating func string() throws -> String {
        let u = try unsigned()
        // Compared as UInt64 first: a corrupt length ≥ 2⁶³ would trap in Int(_:).
        guard u <= UInt64(bytes.count - index) else { throw Self.failure("the data ends early") }
        let n = Int(u)
        defer { index += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + n)]), as: UTF8.self)
    }

    private mutating func date() throws -> ClinicalDate { ClinicalDate(dayNumber: try int()) }

    /// An optional field: a presence byte, then the value.
    private mutating func optional<T>(_ read: (inout Self) throws -> T) throws -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let b: throw Self.failure("presence byte \(b)")
        }
    }

    /// An array: a 4-byte little-endian count, then the elements (each at least one byte, so a count beyond the
    /// bytes left is refused before anything is reserved).
    private mutating func array<T>(_ read: (inout Self) throws -> T) throws -> [T] {
        guard bytes.count - index >= 4 else { throw Self.failure("the data ends early") }
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
        index += 4
        guard count <= bytes.count - index else { throw Self.failure("\(count) elements in \(bytes.count - index) bytes") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try read(&self)) }
        return out
    }

    // MARK: the figures, in declaration order

    private mutating func figures() throws -> OutcomeDerivation.Accumulator.Figures {
        let participant = try participant()
        return .init(participant: participant, contribution: try contribution())
    }

    private mutating func participant() throws -> StudyOutcomes.Participant {
        let subjectID = try string(), siteID = try string()
        let ageYears = try optional { try $0.int() }, sex = try optional { try $0.string() }, weightKg = try optional { try $0.double() }
        let dayZero = try optional { try $0.date() }, baseline = try optional { try $0.double() }
        let bestOverallResponse = try optional { try $0.string() }, statusAtMonth6 = try optional { try $0.string() }
        let timeToResponseDays = try optional { try $0.int() }
        let completeResponseIWGDay = try optional { try $0.int() }, completeResponseProtocolLiteralDay = try optional { try $0.int() }
        let crDiscordant = try bool()
        let durationOfResponse = try optional { r in StudyOutcomes.Duration(days: try r.int(), event: try r.bool(), end: try r.string()) }
        let daysInResponse = try int(), daysObserved = try int()
        let lossOfResponseDay = try optional { try $0.int() }
        let maxCRSGrade = try optional { try $0.int() }, maxICANSGrade = try optional { try $0.int() }
        let crsOnsetDay = try optional { try $0.int() }, icansOnsetDay = try optional { try $0.int() }
        let seriousEventDays = try array { try $0.int() }
        let adverseEvents = try int(), seriousAdverseEvents = try int()
        let worstAdverseEventGrade = try optional { try $0.int() }, maxBleedingScore = try optional { try $0.int() }
        let bleedingAssessmentsWithBleeding = try int(), severeBleeding = try bool()
        let plateletTransfusions = try int(), rescueTherapies = try int()
        let concomitantTherapy = try optional { try $0.concomitantTherapy() }
        let steroidDose = try array { r in StudyOutcomes.DosePoint(day: try r.int(), mgPerDay: try r.double()) }
        let questionnaires = try array { try $0.questionnaireForm() }
        let endOfStudy = try optional { try $0.string() }, endOfStudyDay = try optional { try $0.int() }
        let labWorsening = try array { r in StudyOutcomes.LabWorsening(term: try r.string(), baselineGrade: try r.int(), worstGrade: try r.int()) }
        let itpBat = try array { r in
            StudyOutcomes.BleedingToolPoint(visitID: try r.string(), date: try r.date(), day: try r.optional { try $0.int() },
                                            skin: try r.int(), mucosae: try r.int(), organs: try r.int())
        }
        let worstITPBAT = try optional { try $0.string() }
        let sources = try array { try $0.sourceValue() }
        let problems = try array { try $0.string() }
        var p = StudyOutcomes.Participant(
            subjectID: subjectID, siteID: siteID, ageYears: ageYears, sex: sex, weightKg: weightKg, dayZero: dayZero, baseline: baseline,
            bestOverallResponse: bestOverallResponse, statusAtMonth6: statusAtMonth6, timeToResponseDays: timeToResponseDays,
            completeResponseIWGDay: completeResponseIWGDay, completeResponseProtocolLiteralDay: completeResponseProtocolLiteralDay,
            crDiscordant: crDiscordant, durationOfResponse: durationOfResponse, daysInResponse: daysInResponse, daysObserved: daysObserved,
            lossOfResponseDay: lossOfResponseDay, maxCRSGrade: maxCRSGrade, maxICANSGrade: maxICANSGrade, crsOnsetDay: crsOnsetDay,
            icansOnsetDay: icansOnsetDay, seriousEventDays: seriousEventDays, adverseEvents: adverseEvents, seriousAdverseEvents: seriousAdverseEvents,
            worstAdverseEventGrade: worstAdverseEventGrade, maxBleedingScore: maxBleedingScore,
            bleedingAssessmentsWithBleeding: bleedingAssessmentsWithBleeding, severeBleeding: severeBleeding,
            plateletTransfusions: plateletTransfusions, rescueTherapies: rescueTherapies, sources: sources, problems: problems)
        p.concomitantTherapy = concomitantTherapy
        p.steroidDose = steroidDose
        p.questionnaires = questionnaires
        p.endOfStudy = endOfStudy
        p.endOfStudyDay = endOfStudyDay
        p.labWorsening = labWorsening
        p.itpBat = itpBat
        p.worstITPBAT = worstITPBAT
        return p
    }

    private mutating func concomitantTherapy() throws -> StudyOutcomes.ConcomitantTherapy {
        let drugs = try array { try $0.drugOutcome() }
        let anyReduction = try bool(), anySecondaryReduction = try bool(), anyDiscontinuation = try bool(), treatmentFailure = try bool()
        let drugsAtBaseline = try int(), drugsAtMonth6 = try optional { try $0.int() }
        let steroidBaselineMgPerDay = try double()
        let steroidPercentChangeMonth3 = try optional { try $0.double() }, steroidPercentChangeMonth6 = try optional { try $0.double() }
        return .init(drugs: drugs, anyReduction: anyReduction, anySecondaryReduction: anySecondaryReduction, anyDiscontinuation: anyDiscontinuation,
                     treatmentFailure: treatmentFailure, drugsAtBaseline: drugsAtBaseline, drugsAtMonth6: drugsAtMonth6,
                     steroidBaselineMgPerDay: steroidBaselineMgPerDay, steroidPercentChangeMonth3: steroidPercentChangeMonth3,
                     steroidPercentChangeMonth6: steroidPercentChangeMonth6, equivalenceTable: try string())
    }

    private mutating func drugOutcome() throws -> StudyOutcomes.DrugOutcome {
        let drug = try string(), drugClass = try string(), intensityUnit = try string(), baselineIntensity = try double()
        let reductionDay = try optional { try $0.int() }, secondaryReductionDay = try optional { try $0.int() }
        let discontinuationDay = try optional { try $0.int() }
        let daysOff = try int(), daysReduced = try int()
        let percentChangeMonth3 = try optional { try $0.double() }, percentChangeMonth6 = try optional { try $0.double() }
        return .init(drug: drug, drugClass: drugClass, intensityUnit: intensityUnit, baselineIntensity: baselineIntensity, reductionDay: reductionDay,
                     secondaryReductionDay: secondaryReductionDay, discontinuationDay: discontinuationDay, daysOff: daysOff, daysReduced: daysReduced,
                     percentChangeMonth3: percentChangeMonth3, percentChangeMonth6: percentChangeMonth6, increased: try bool(), newDrug: try bool())
    }

    private mutating func questionnaireForm() throws -> StudyOutcomes.QuestionnaireForm {
        let visitID = try string(), date = try date(), day = try optional { try $0.int() }
        let version = try string(), language = try string(), answered = try int(), items = try int()
        let scales = try array { r in
            ScaleScore(scale: try r.string(), score: try r.optional { try $0.double() }, answered: try r.int(), items: try r.int(),
                       status: try r.string(), minimalImportantDifference: try r.optional { try $0.double() })
        }
        return .init(visitID: visitID, date: date, day: day, version: version, language: language, answered: answered, items: items, scales: scales)
    }

    private mutating func sourceValue() throws -> StudyOutcomes.SourceValue {
        let visitID = try string(), formOID = try string(), itemOID = try string(), date = try date(), day = try optional { try $0.int() }
        let value = try string(), number = try optional { try $0.double() }, unit = try optional { try $0.string() }
        let status = try optional { try $0.string() }, basis = try optional { try $0.string() }
        let rules = try array { try $0.string() }
        return .init(visitID: visitID, formOID: formOID, itemOID: itemOID, date: date, day: day, value: value, number: number,
                     unit: unit, status: status, basis: basis, rules: rules, path: try string())
    }

    private mutating func contribution() throws -> OutcomeDerivation.Accumulator.Contribution {
        typealias C = OutcomeDerivation.Accumulator.Contribution
        let response = try optional { r in C.Response(responder: try r.bool(), completeIWG: try r.bool(), completeLiteral: try r.bool()) }
        let incidence = try array { r in C.Incidence(key: try r.string(), grade: try r.int(), serious: try r.bool()) }
        let crs = try optional { try $0.syndrome() }, icans = try optional { try $0.syndrome() }
        let treatedCRSAssessments = try int()
        // Each answer is one integer: the item in the high 32 bits, the code in the low (`Contribution.Answer`).
        let questionnaireAnswers = try array { r in
            try r.array { r in
                let packed = Int64(try r.int())
                return C.Answer(item: Int(Int32(truncatingIfNeeded: packed >> 32)), code: Int(Int32(truncatingIfNeeded: packed)))
            }
        }
        return C(response: response, incidence: incidence, crs: crs, icans: icans, treatedCRSAssessments: treatedCRSAssessments,
                 questionnaireAnswers: questionnaireAnswers, lymphodepletionStart: try optional { try $0.date() })
    }

    private mutating func syndrome() throws -> OutcomeDerivation.Accumulator.Contribution.Syndrome {
        .init(maxGrade: try int(), onsetDay: try int(), durationDays: try array { try $0.int() })
    }
}
