import Foundation

/// "Did you mean …?" for a mistyped key: the known name nearest by Levenshtein edit distance.
///
/// Source: issue 6 ("unknown keys are errors that name the key and suggest the nearest valid one");
/// Levenshtein, Soviet Physics Doklady 10(8), 1966.
public enum KeySuggestion {
    /// Edit distance (insertions, deletions, substitutions) between `a` and `b`, case-insensitive.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var row = Array(0...y.count)
        for i in 1...x.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...y.count {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[y.count]
    }

    /// The name in `known` closest to `name`, when it is close enough to be a likely typo
    /// (at most 2 edits, or a quarter of the name's length for long names); ties keep list order.
    public static func closest(to name: String, among known: [String]) -> String? {
        let limit = max(2, name.count / 4)
        var best: (String, Int)?
        for candidate in known where candidate != name {
            let d = distance(name, candidate)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// `; did you mean "x"?` when a close name exists, else an empty string.
    public static func hint(for name: String, among known: [String]) -> String {
        closest(to: name, among: known).map { "; did you mean \"\($0)\"?" } ?? ""
    }
}
