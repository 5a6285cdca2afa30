@testable import CartaCore

/// Builds `ResponseSubject`s from protocol days (Day 0 = 2024-01-10) for readable tests.
struct ResponseFixture: Sendable {
    static let day0 = ClinicalDate(iso: "2024-01-10")!
    var baseline: Double? = nil
    var counts: [(day: Int, value: Double)] = []
    var extraSamples: [(day: Int, value: Double, anticoagulant: Anticoagulant)] = []
    var transfusionDays: [Int] = []
    var rescues: [(start: Int, last: Int, reason: RescueReason)] = []
    /// Days with bleeding present; every count day not listed gets an explicit "no bleeding" record.
    var bleedingDays: [Int] = []
    var noBleedingRecords = false
    var steroids: [(start: Int, end: Int, mgPerDay: Double)] = []
    var deathDay: Int? = nil
    var cutoffDay: Int? = nil

    var subject: ResponseSubject {
        let d0 = Self.day0.dayNumber
        var c: [PlateletCount] = []
        if let b = baseline { c.append(PlateletCount(dayNumber: d0 - 7, plateletsPer10e9L: b)) }
        c += counts.map { PlateletCount(dayNumber: d0 + $0.day, plateletsPer10e9L: $0.value) }
        c += extraSamples.map { PlateletCount(dayNumber: d0 + $0.day, plateletsPer10e9L: $0.value, anticoagulant: $0.anticoagulant) }
        c.sort { $0.dayNumber < $1.dayNumber }
        var bleed: [BleedingRecord] = bleedingDays.map { BleedingRecord(dayNumber: d0 + $0, present: true) }
        if !noBleedingRecords {
            bleed += counts.filter { c in !bleedingDays.contains { abs($0 - c.day) <= 1 } }
                .map { BleedingRecord(dayNumber: d0 + $0.day, present: false) }
        }
        bleed.sort { $0.dayNumber < $1.dayNumber }
        return ResponseSubject(
            day0DayNumber: d0, counts: c,
            transfusions: transfusionDays.map { Transfusion(dayNumber: d0 + $0, product: .platelets) },
            rescues: rescues.map { RescueTherapy(startDayNumber: d0 + $0.start, lastDoseDayNumber: d0 + $0.last, drug: "x", reason: $0.reason) },
            bleeding: bleed,
            steroidCourses: steroids.map { SteroidCourse(startDayNumber: d0 + $0.start, endDayNumber: d0 + $0.end, prednisoneEquivalentMgPerDay: $0.mgPerDay, reason: .itp) },
            deathDayNumber: deathDay.map { d0 + $0 }, cutoffDayNumber: cutoffDay.map { d0 + $0 })
    }

    func evaluate(_ settings: ResponseSettings = ResponseSettings()) -> ResponseResult {
        ResponseEngine.evaluate(subject, settings: settings)
    }
}

extension ResponseResult {
    /// The record on protocol day `day`.
    func record(_ day: Int) -> AssessmentRecord? { records.first { $0.day == day } }
}
