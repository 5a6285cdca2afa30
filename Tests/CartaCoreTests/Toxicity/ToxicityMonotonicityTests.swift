import Testing
@testable import CartaCore

/// Property tests: a grade never decreases when the underlying value worsens
/// (spec/clinical.md §4.1 "grade = highest grade whose condition is true", §5.1, §5.2, §5.3).
struct ToxicityMonotonicityTests {
    /// Reference limits per term used for the sweep (standard units).
    static func limits(_ t: CTCAELabTerm) -> (lln: Double, uln: Double) {
        switch t.analyte {
        case .platelets: return (125, 350)
        case .anc: return (1.8, 7.5)
        case .lymphocytes: return (1.0, 4.0)
        case .wbc: return (4.0, 10.0)
        case .hemoglobin: return (130, 175)
        case .alt, .ast: return (5, 40)
        case .bilirubin: return (3, 21)
        case .creatinine: return (45, 97)
        case .inr: return (0.8, 1.2)
        case .aptt: return (25, 35)
        case .fibrinogen: return (2.0, 4.0)
        default: return (1, 2)
        }
    }

    @Test(arguments: CTCAELabTerm.allCases)
    func labGradeNeverImprovesAsValueWorsens(term: CTCAELabTerm) {
        let (lln, uln) = Self.limits(term)
        // Baselines: normal, abnormal-low and abnormal-high, so every criteria variant is swept.
        for baseline in [(lln + uln) / 2, lln * 0.6, uln * 1.8] {
            var previous = -1
            let top = uln * 30
            for i in 0...3000 {
                let step = top * Double(i) / 3000
                let value = term.worsensWhenLower ? top - step : step
                let a = CTCAELabGrader.grade(term, value: value, lowerLimitNormal: lln, upperLimitNormal: uln, baseline: baseline)
                guard let g = a.grade.value else {
                    Issue.record("\(term) \(value) not computable with all limits given: \(a.grade)"); return
                }
                #expect(g >= previous, "\(term) baseline \(baseline): value \(value) graded \(g) after \(previous)")
                previous = g
            }
            #expect(previous >= 2, "\(term): sweep should reach a high grade")
        }
    }

    @Test func crsGradeNeverImprovesAsTemperatureRises() {
        for device in OxygenDevice.allCases {
            let oxygen = OxygenSupport(device: device, flowLPerMin: device == .nasalCannula ? 4 : nil)
            var previous = -1
            for tenth in 350...420 {
                let g = CRSGrader.grade(CRSSigns(temperatureCel: Double(tenth) / 10, feverMaskingTreatmentGiven: false, crsOngoing: false,
                                                 hypotension: false, vasopressors: [], oxygen: oxygen)).grade
                #expect(g >= previous)
                previous = g
            }
        }
    }

    @Test func crsGradeNeverImprovesAsOxygenAndPressorsEscalate() {
        let oxygenLadder: [OxygenSupport] = [
            OxygenSupport(device: .roomAir), OxygenSupport(device: .blowBy),
        ] + stride(from: 0.5, through: 15, by: 0.5).map { OxygenSupport(device: .nasalCannula, flowLPerMin: $0) } + [
            OxygenSupport(device: .facemask), OxygenSupport(device: .nonRebreatherMask), OxygenSupport(device: .cpap),
            OxygenSupport(device: .mechanicalVentilation),
        ]
        let pressorLadder: [(Bool, Set<Vasopressor>)] = [
            (false, []), (true, []), (true, [.vasopressin]), (true, [.norepinephrine, .vasopressin]),
            (true, [.norepinephrine, .epinephrine]), (true, [.norepinephrine, .epinephrine, .vasopressin]),
        ]
        for (hypotension, pressors) in pressorLadder {
            var previous = -1
            for oxygen in oxygenLadder {
                let g = CRSGrader.grade(CRSSigns(temperatureCel: 38.5, feverMaskingTreatmentGiven: false, crsOngoing: false,
                                                 hypotension: hypotension, vasopressors: pressors, oxygen: oxygen)).grade
                #expect(g >= previous)
                previous = g
            }
        }
        for oxygen in oxygenLadder {
            var previous = -1
            for (hypotension, pressors) in pressorLadder {
                let g = CRSGrader.grade(CRSSigns(temperatureCel: 38.5, feverMaskingTreatmentGiven: false, crsOngoing: false,
                                                 hypotension: hypotension, vasopressors: pressors, oxygen: oxygen)).grade
                #expect(g >= previous)
                previous = g
            }
        }
    }

    @Test(arguments: ICANSConsciousness.allCases)
    func icansGradeNeverImprovesAsICEFalls(consciousness: ICANSConsciousness) {
        var previous = -1
        for score in stride(from: 10, through: 0, by: -1) {
            let g = ICANSGrader.grade(ICANSFindings(ice: .withScore(score), consciousness: consciousness)).grade
            #expect(g >= previous, "ICE \(score) \(consciousness)")
            previous = g
        }
    }

    @Test func earlyICAHTNeverImprovesWithMoreNeutropenicDays() {
        var previous = -1
        for days in 0...31 {
            let counts = (0...30).map { ICAHTDailyCount(day: $0, per10e9L: $0 < days ? 0.3 : 2.0) }
            let g = ICAHTGrader.neutrophil(counts).early.value ?? -1
            #expect(g >= previous)
            previous = g
        }
    }
}
