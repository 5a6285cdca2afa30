/// Rendering of an engine result as the calculator's JSON output (dates and explanations built here, lazily).
///
/// Source: spec/clinical.md §1.5–§1.6; docs/calculators/response.md.
extension ResponseCalculator {
    static func render(_ r: ResponseResult, input: Input, subject s: ResponseSubject) -> Output {
        let d0 = input.day0Date
        func date(_ day: Int) -> ClinicalDate { d0.adding(days: day) }
        let assessments = r.records.map { rec -> Output.Assessment in
            let samples = (rec.firstCountIndex..<(rec.firstCountIndex + rec.countsOnDate)).map {
                Output.Sample(plateletsPer10e9L: s.counts[$0].plateletsPer10e9L, anticoagulant: s.counts[$0].anticoagulant,
                              used: $0 == rec.countIndex)
            }
            let tol = input.settings.bleedingMatchToleranceDays
            let bleeding = rec.bleeding == .notAssessed ? [] : input.bleedingAssessments
                .filter { abs(date(rec.day).days(to: $0.date)) <= tol }
                .map { Output.BleedingIn(date: $0.date, present: $0.present, grade: $0.grade) }
            return Output.Assessment(date: date(rec.day), protocolDay: rec.day, plateletsPer10e9L: rec.plateletsPer10e9L,
                                     samples: samples, status: rec.status, basis: rec.basis, bleeding: rec.bleeding,
                                     bleedingRecords: bleeding,
                                     meetsProtocolLiteralCR: rec.meetsProtocolLiteralCR, rules: rec.rules.ids,
                                     explanation: rec.explanation(baselinePer10e9L: r.baselinePer10e9L, settings: input.settings))
        }
        func conf(_ c: ConfirmedLevel?) -> Output.Confirmed? {
            c.map { Output.Confirmed(date: date($0.firstDay), protocolDay: $0.firstDay, confirmedOnDate: date($0.confirmingDay)) }
        }
        func loss(_ l: LossEvent?) -> Output.Loss? {
            l.map { Output.Loss(date: date($0.day), protocolDay: $0.day, confirmedOnDate: $0.confirmingDay.map(date), byBleeding: $0.byBleeding) }
        }
        func dur(_ x: DurationOfResponse?) -> Output.Duration? {
            x.map { Output.Duration(days: $0.days, event: $0.isEvent, endDate: date($0.endDay), end: $0.end) }
        }
        func flag(_ f: TimedFlag) -> Output.Flag { Output.Flag(outcome: f.outcome, assessmentDate: f.day.map(date), status: f.status) }
        return Output(
            baselinePer10e9L: r.baselinePer10e9L, baselineDates: r.baselineRecords.map { date(r.records[$0].day) },
            assessments: assessments, bestOverallResponse: r.bestOverallResponse,
            bestOverallResponseBeforeSteroidRule: r.bestOverallResponseBeforeSteroidRule,
            bestOverallResponseLabel: r.bestOverallResponse.displayLabel,
            response: conf(r.response), completeResponseIWG: conf(r.completeResponseIWG),
            completeResponseProtocolLiteral: conf(r.completeResponseProtocolLiteral), crDiscordant: r.crDiscordant,
            lossOfCR_IWG: loss(r.lossOfCR), lossOfResponse_IWG: loss(r.lossOfResponse), relapse_CN: loss(r.relapseCN),
            timeToResponseDays: r.timeToResponseDays, timeToResponseFromLymphodepletionDays: r.timeToResponseFromLymphodepletionDays,
            timeToCRDays: r.timeToCRDays, durationOfResponse: dur(r.durationOfResponse), durationOfCR: dur(r.durationOfCR),
            timeInResponse: Output.InResponse(daysInResponse: r.timeInResponse.daysInResponse,
                                              daysObserved: r.timeInResponse.daysObserved,
                                              fraction: r.timeInResponse.fraction.map { ($0 * 10_000).rounded() / 10_000 }),
            earlyResponse: flag(r.earlyResponse), initialResponse: flag(r.initialResponse), durableResponse: flag(r.durableResponse),
            statusAtMonth6: r.statusAtMonth6,
            corticosteroidDependence: Output.Dependence(iwg: r.steroidDependence.iwg, chinese2020: r.steroidDependence.chinese2020),
            settings: input.settings)
    }
}
