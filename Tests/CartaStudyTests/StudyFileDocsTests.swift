import CartaCore
import Foundation
import Testing
@testable import CartaStudy

/// docs/study-file.md stays true: its minimal example loads, and its settings table lists every setting.
struct StudyFileDocsTests {
    static func docs() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/study-file.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func minimalExampleLoads() throws {
        let text = try Self.docs()
        let section = try #require(text.range(of: "## A minimal study file"))
        let rest = text[section.upperBound...]
        let start = try #require(rest.range(of: "```yaml\n")), end = try #require(rest[start.upperBound...].range(of: "```"))
        let study = try StudyLoader.load(yaml: String(rest[start.upperBound..<end.lowerBound]))
        #expect(study.subjectID(sequence: 3) == "EX-03")
        #expect(study.eligibility.criteria.map(\.id) == ["I1", "I2", "E1"])
        #expect(study.settings.eligibility == EligibilitySettings())  // defaults apply where settings are omitted
        #expect(study.settings.carT.fractions == [CARTFraction(protocolDay: 0, percent: 100)])
    }

    @Test func settingsTableIsComplete() throws {
        let text = try Self.docs()
        for w in SettingsWiringTests.wires { #expect(text.contains("| `\(w.key)` |"), "\(w.key) missing from docs") }
        for section in StudySettings.sectionNames { #expect(text.contains("### `settings.\(section)`"), "\(section) missing from docs") }
    }
}
