import Testing
@testable import CartaCore

/// One §1.7 vector: the scenario and the full expected derivation.
struct ResponseVector: Sendable, CustomTestStringConvertible {
    let id: String
    var fixture: ResponseFixture
    var settings = ResponseSettings()
    /// Expected status (and basis) of listed days.
    var statuses: [(day: Int, status: ResponseLevel, basis: StatusBasis)] = []
    var bor: ResponseLevel
    var responseDay: Int? = nil
    var crDay: Int? = nil
    var literalCRDay: Int? = nil
    var crDiscordant = false
    var lossOfCRDay: Int? = nil
    var lossOfResponseDay: Int? = nil
    var relapseCNDay: Int? = nil
    var dor: DurationOfResponse? = nil
    var testDescription: String { id }
}

struct ResponseVectorTests {
    // spec/clinical.md §1.7 edge cases T1–T13 (T10 once per rescue-window setting).
    static let vectors: [ResponseVector] = {
        var t1 = ResponseFixture(); t1.baseline = 12; t1.counts = [(14, 35), (21, 48)]
        var t2 = t1; t2.counts += [(35, 120), (42, 130)]
        var t3 = t2; t3.counts += [(120, 25), (121, 22)]
        var t4 = ResponseFixture(); t4.baseline = 20; t4.counts = [(28, 38), (35, 41)]
        var t5 = ResponseFixture(); t5.baseline = 15; t5.counts = [(14, 30), (20, 31)]
        var t6 = ResponseFixture(); t6.baseline = 15; t6.counts = [(14, 30), (21, 30)]
        var t7 = ResponseFixture(); t7.baseline = 20; t7.counts = [(10, 110)]; t7.transfusionDays = [8]
        // T8 adds D21 = 110 without bleeding so the confirmed-CR discordance is visible too.
        var t8 = ResponseFixture(); t8.baseline = 20; t8.counts = [(14, 105), (21, 110)]; t8.bleedingDays = [14]
        var t9 = ResponseFixture(); t9.baseline = 60; t9.counts = [(30, 90), (40, 95)]
        var t10 = ResponseFixture(); t10.baseline = 20; t10.rescues = [(3, 5, .crs)]
        t10.counts = [(14, 80), (21, 85), (32, 80), (33, 80), (60, 80), (61, 80)]
        var t10b = ResponseSettings(); t10b.rescueWindowDays = 28
        var t11 = ResponseFixture(); t11.baseline = 30; t11.counts = [(35, 120), (42, 130), (60, 70), (61, 65)]
        var t12 = ResponseFixture(); t12.baseline = 20; t12.counts = [(14, 95)]
        t12.extraSamples = [(14, 8, .edta)]
        var t13 = t1; t13.counts += [(84, 50)]; t13.deathDay = 90
        return [
            ResponseVector(id: "T1", fixture: t1, statuses: [(14, .r, .atLeast30AndDoubling), (21, .r, .atLeast30AndDoubling)],
                           bor: .r, responseDay: 14,
                           dor: DurationOfResponse(days: 7, isEvent: false, endDay: 21, end: .lastEvaluableAssessment)),
            ResponseVector(id: "T2", fixture: t2, statuses: [(35, .cr, .atLeast100), (42, .cr, .atLeast100)],
                           bor: .cr, responseDay: 14, crDay: 35, literalCRDay: 35,
                           dor: DurationOfResponse(days: 28, isEvent: false, endDay: 42, end: .lastEvaluableAssessment)),
            ResponseVector(id: "T3", fixture: t3, statuses: [(120, .nr, .below30), (121, .nr, .below30)],
                           bor: .cr, responseDay: 14, crDay: 35, literalCRDay: 35,
                           lossOfCRDay: 120, lossOfResponseDay: 120, relapseCNDay: 120,
                           dor: DurationOfResponse(days: 106, isEvent: true, endDay: 120, end: .loss)),
            ResponseVector(id: "T4", fixture: t4, statuses: [(28, .nr, .belowDoubling), (35, .r, .atLeast30AndDoubling)], bor: .nr),
            ResponseVector(id: "T5", fixture: t5, statuses: [(14, .r, .atLeast30AndDoubling), (20, .r, .atLeast30AndDoubling)], bor: .nr),
            ResponseVector(id: "T6", fixture: t6, statuses: [(14, .r, .atLeast30AndDoubling), (21, .r, .atLeast30AndDoubling)],
                           bor: .r, responseDay: 14,
                           dor: DurationOfResponse(days: 7, isEvent: false, endDay: 21, end: .lastEvaluableAssessment)),
            ResponseVector(id: "T7", fixture: t7, statuses: [(10, .notEvaluable, .transfusionWindow)], bor: .notEvaluable),
            ResponseVector(id: "T8", fixture: t8, statuses: [(14, .nr, .bleeding), (21, .cr, .atLeast100)],
                           bor: .nr, literalCRDay: 14, crDiscordant: true),
            ResponseVector(id: "T9", fixture: t9, statuses: [(30, .nr, .belowDoubling), (40, .nr, .belowDoubling)], bor: .nr),
            ResponseVector(id: "T10 (56 d)", fixture: t10,
                           statuses: [(14, .notEvaluable, .rescueWindow), (21, .notEvaluable, .rescueWindow),
                                      (33, .notEvaluable, .rescueWindow), (60, .notEvaluable, .rescueWindow), (61, .r, .atLeast30AndDoubling)],
                           bor: .nr),
            ResponseVector(id: "T10 (28 d)", fixture: t10, settings: t10b,
                           statuses: [(14, .notEvaluable, .rescueWindow), (21, .notEvaluable, .rescueWindow),
                                      (32, .notEvaluable, .rescueWindow), (33, .r, .atLeast30AndDoubling)],
                           bor: .r, responseDay: 33,
                           dor: DurationOfResponse(days: 28, isEvent: false, endDay: 61, end: .lastEvaluableAssessment)),
            ResponseVector(id: "T11", fixture: t11, statuses: [(60, .r, .atLeast30AndDoubling), (61, .r, .atLeast30AndDoubling)],
                           bor: .cr, responseDay: 35, crDay: 35, literalCRDay: 35, lossOfCRDay: 60,
                           dor: DurationOfResponse(days: 26, isEvent: false, endDay: 61, end: .lastEvaluableAssessment)),
            ResponseVector(id: "T12", fixture: t12, statuses: [(14, .r, .atLeast30AndDoubling)], bor: .nr),
            ResponseVector(id: "T13", fixture: t13, statuses: [(84, .r, .atLeast30AndDoubling)], bor: .r, responseDay: 14,
                           dor: DurationOfResponse(days: 76, isEvent: true, endDay: 90, end: .death)),
        ]
    }()

    @Test(arguments: vectors)
    func specVector(_ v: ResponseVector) throws {
        let r = v.fixture.evaluate(v.settings)
        for s in v.statuses {
            let rec = try #require(r.record(s.day), "no record on day \(s.day)")
            #expect(rec.status == s.status, "day \(s.day)")
            #expect(rec.basis == s.basis, "day \(s.day)")
        }
        #expect(r.bestOverallResponse == v.bor)
        #expect(r.response?.firstDay == v.responseDay)
        #expect(r.timeToResponseDays == v.responseDay)
        #expect(r.completeResponseIWG?.firstDay == v.crDay)
        #expect(r.completeResponseProtocolLiteral?.firstDay == v.literalCRDay)
        #expect(r.crDiscordant == v.crDiscordant)
        #expect(r.lossOfCR?.day == v.lossOfCRDay)
        #expect(r.lossOfResponse?.day == v.lossOfResponseDay)
        #expect(r.relapseCN?.day == v.relapseCNDay)
        #expect(r.durationOfResponse == v.dor)
    }

    // §1.7 T8: the single bleeding day is protocol-literal CR-qualifying but IWG NR.
    @Test func t8RecordLevelDiscordance() throws {
        var f = ResponseFixture(); f.baseline = 20; f.counts = [(14, 105)]; f.bleedingDays = [14]
        let rec = try #require(f.evaluate().record(14))
        #expect(rec.status == .nr && rec.meetsProtocolLiteralCR)
        #expect(rec.explanation(baselinePer10e9L: 20, settings: ResponseSettings()).contains("discordant"))
    }

    // §1.7 T12: keep both same-day samples, use the citrate one.
    @Test func t12KeepsBothSamples() throws {
        var f = ResponseFixture(); f.baseline = 20; f.counts = [(14, 95)]; f.extraSamples = [(14, 8, .edta)]
        let s = f.subject
        let rec = try #require(ResponseEngine.evaluate(s).record(14))
        #expect(rec.countsOnDate == 2)
        #expect(rec.plateletsPer10e9L == 95)
        #expect(s.counts[rec.countIndex].anticoagulant == .unknown)
        let other = rec.countIndex == rec.firstCountIndex ? rec.firstCountIndex + 1 : rec.firstCountIndex
        #expect(s.counts[other].plateletsPer10e9L == 8 && s.counts[other].anticoagulant == .edta)
    }

    // §1.7 T11: no Chinese relapse, and CR duration ends at the IWG loss of CR.
    @Test func t11CRDurationEndsAtLossOfCR() {
        var f = ResponseFixture(); f.baseline = 30; f.counts = [(35, 120), (42, 130), (60, 70), (61, 65)]
        let r = f.evaluate()
        #expect(r.relapseCN == nil && r.lossOfResponse == nil)
        #expect(r.durationOfCR == DurationOfResponse(days: 25, isEvent: true, endDay: 60, end: .loss))
    }

    // §1.7 T13 with the alternative SAP choice: death censors instead.
    @Test func t13DeathNotAnEvent() {
        var f = ResponseFixture(); f.baseline = 12; f.counts = [(14, 35), (21, 48), (84, 50)]; f.deathDay = 90
        var s = ResponseSettings(); s.deathIsDurationEvent = false
        #expect(f.evaluate(s).durationOfResponse == DurationOfResponse(days: 70, isEvent: false, endDay: 84, end: .lastEvaluableAssessment))
    }
}
