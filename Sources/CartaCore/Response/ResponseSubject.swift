/// Everything the response engine needs for one participant, each array sorted by date.
///
/// Dates are `ClinicalDate.dayNumber` Ints so the hot path never touches `Date`. Order is the
/// caller's contract (the calculator layer validates it and names the offending field).
/// Source: spec/clinical.md §1.6 (inputs per subject); §0.3 (Day 0 = first CAR-T infusion).
public struct ResponseSubject: Sendable, Equatable {
    /// `dayNumber` of Day 0 (first CAR-T infusion).
    public var day0DayNumber: Int
    /// `dayNumber` of the actual first lymphodepletion dose; nil uses `settings.lymphodepletionStartDay`.
    public var lymphodepletionStartDayNumber: Int?
    /// Platelet counts sorted by date (several on one date allowed when anticoagulants differ).
    public var counts: [PlateletCount]
    /// Transfusions sorted by date.
    public var transfusions: [Transfusion]
    /// Rescue/confounding therapies sorted by start date.
    public var rescues: [RescueTherapy]
    /// Bleeding assessments sorted by date.
    public var bleeding: [BleedingRecord]
    /// Corticosteroid courses sorted by start date (for dependence only).
    public var steroidCourses: [SteroidCourse]
    /// `dayNumber` of death, if the participant died.
    public var deathDayNumber: Int?
    /// `dayNumber` of the data cut-off: later records are ignored.
    public var cutoffDayNumber: Int?

    /// Creates a subject; arrays must already be sorted by date.
    public init(day0DayNumber: Int, lymphodepletionStartDayNumber: Int? = nil, counts: [PlateletCount],
                transfusions: [Transfusion] = [], rescues: [RescueTherapy] = [], bleeding: [BleedingRecord] = [],
                steroidCourses: [SteroidCourse] = [], deathDayNumber: Int? = nil, cutoffDayNumber: Int? = nil) {
        self.day0DayNumber = day0DayNumber; self.lymphodepletionStartDayNumber = lymphodepletionStartDayNumber
        self.counts = counts; self.transfusions = transfusions; self.rescues = rescues; self.bleeding = bleeding
        self.steroidCourses = steroidCourses; self.deathDayNumber = deathDayNumber; self.cutoffDayNumber = cutoffDayNumber
    }
}
