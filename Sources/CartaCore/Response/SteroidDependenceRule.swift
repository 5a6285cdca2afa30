/// Corticosteroid dependence after Day 0 by the IWG 2009 and Chinese 2020 definitions.
///
/// ITP courses (reason `.itp`) are clipped to Day 0…`lastDay`; courses whose gap (days between one's
/// last day and the next's first) is ≤ `steroidCourseMaxGapDays` form one continuing exposure.
/// IWG: an exposure spanning ≥ `iwgSteroidDependenceMinDays`. Chinese 2020: an exposure of courses each
/// above `cnSteroidDependenceMgPerDay` spanning ≥ `cnSteroidDependenceMinDays`, or ≥ `cnFrequentCourseCount`
/// separate courses ("frequent intermittent").
/// Source: spec/clinical.md §1.2 (IWG corticosteroid dependence), §1.4 (Chinese 2020, "and/or" erratum), §1.5 row 6.
public enum SteroidDependenceRule {
    /// Evaluates both definitions; `courses` sorted by start date.
    public static func evaluate(_ courses: [SteroidCourse], day0: Int, lastDay: Int, settings: ResponseSettings) -> SteroidDependence {
        if courses.isEmpty { return SteroidDependence(iwg: false, chinese2020: false) }
        var all = Spanner(maxGap: settings.steroidCourseMaxGapDays)
        var high = Spanner(maxGap: settings.steroidCourseMaxGapDays)
        var courseCount = 0
        for c in courses where c.reason == .itp {
            let a = max(c.startDayNumber - day0, 0), b = min(c.endDayNumber - day0, lastDay)
            guard a <= b else { continue }
            courseCount += 1
            all.add(a, b)
            if c.prednisoneEquivalentMgPerDay > settings.cnSteroidDependenceMgPerDay { high.add(a, b) }
        }
        return SteroidDependence(
            iwg: all.longest >= settings.iwgSteroidDependenceMinDays,
            chinese2020: high.longest >= settings.cnSteroidDependenceMinDays || courseCount >= settings.cnFrequentCourseCount)
    }

    /// Merges day intervals (added in start order) into runs and tracks the longest run in days.
    struct Spanner {
        let maxGap: Int
        var start = Int.min, end = Int.min, longest = 0

        mutating func add(_ a: Int, _ b: Int) {
            if start == Int.min || a - end - 1 > maxGap { start = a; end = b } else { end = max(end, b) }
            longest = max(longest, end - start + 1)
        }
    }
}
