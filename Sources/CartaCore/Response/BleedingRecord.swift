/// A dated bleeding assessment: whether any bleeding was present, and an optional grade.
///
/// Source: spec/clinical.md §1.6 (bleeding assessments, any-bleeding flag).
public struct BleedingRecord: Sendable, Equatable {
    /// `dayNumber` of the assessment.
    public var dayNumber: Int
    /// True when any bleeding was present.
    public var present: Bool
    /// Optional grade on the study's bleeding scale (informational).
    public var grade: Int?

    /// Creates a bleeding record.
    public init(dayNumber: Int, present: Bool, grade: Int? = nil) {
        self.dayNumber = dayNumber; self.present = present; self.grade = grade
    }
}
