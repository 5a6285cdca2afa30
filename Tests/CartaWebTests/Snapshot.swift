import Foundation
import Testing

/// Compares rendered text with `__Snapshots__/<name>.html` next to this file.
///
/// With `CARTA_RECORD_SNAPSHOTS=1` a missing or different snapshot is (re)written and the test
/// fails once so a recording run is never mistaken for a passing one; otherwise a missing snapshot fails.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static var recording: Bool { ProcessInfo.processInfo.environment["CARTA_RECORD_SNAPSHOTS"] == "1" }

    static func assert(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".html")
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if expected == actual { return }
        if recording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("Recorded snapshot \(name).html; run again without CARTA_RECORD_SNAPSHOTS to verify.", sourceLocation: sourceLocation)
            return
        }
        guard let expected else {
            Issue.record("Missing snapshot \(url.path). Record with CARTA_RECORD_SNAPSHOTS=1 swift test --filter CartaWebTests.", sourceLocation: sourceLocation)
            return
        }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        let got = line < a.count ? String(a[line]) : "<end>"
        let want = line < e.count ? String(e[line]) : "<end>"
        Issue.record("Snapshot \(name).html differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)", sourceLocation: sourceLocation)
    }
}
