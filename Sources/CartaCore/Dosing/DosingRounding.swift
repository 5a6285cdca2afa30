import Foundation

/// Rounding helpers for dose display and dispensing (half away from zero, as pharmacies round).
///
/// Source: spec/clinical.md §6.1 (BSA displayed to 2 dp), §6.2 (doses to 1 mg / 10 mg), §6.3
/// (CrCl vectors at 1 dp).
public enum DosingRounding {
    /// Rounds `value` to `places` decimal places, half away from zero.
    /// Source: spec/clinical.md §6.1 ("displayed BSA (2 dp)").
    public static func round(_ value: Double, places: Int) -> Double {
        let m = pow(10.0, Double(places))
        return (value * m).rounded(.toNearestOrAwayFromZero) / m
    }

    /// Rounds `value` to the nearest multiple of `step` (e.g. 10 mg), half away from zero.
    /// Source: spec/clinical.md §6.2 ("round … cyclophosphamide to 10 mg").
    public static func round(_ value: Double, toStep step: Double) -> Double {
        guard step > 0 else { return value }
        // Snap to 1e-9 first so 545.0000000001 / 5 does not flip a half-way case.
        let q = (value / step * 1e9).rounded() / 1e9
        return q.rounded(.toNearestOrAwayFromZero) * step
    }
}
