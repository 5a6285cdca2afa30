import Foundation
import Testing
@testable import CartaStudy

/// Pseudonymous subject IDs from the study's pattern (issue 2 scope item 6).
struct SubjectIDPatternTests {
    @Test(arguments: [
        ("BCRITP-{seq:3}", 1, "BCRITP-001"), ("BCRITP-{seq:3}", 999, "BCRITP-999"), ("BCRITP-{seq:3}", 1000, "BCRITP-1000"),
        ("S{seq:2}-X", 7, "S07-X"), ("{seq:4}_A", 12, "0012_A"),
    ])
    func generates(pattern: String, sequence: Int, id: String) throws {
        let p = try SubjectIDPattern.parse(pattern).get()
        #expect(p.subjectID(sequence: sequence) == id)
        #expect(p.sequence(of: id) == sequence)
        #expect(p.description == pattern)
    }

    @Test(arguments: ["BCRITP", "BCRITP-{seq:0}", "BCRITP-{seq:10}", "BCRITP-{seq:x}", "BCR ITP-{seq:3}", "{seq:3}", "A/{seq:2}"])
    func rejects(pattern: String) {
        #expect((try? SubjectIDPattern.parse(pattern).get()) == nil)
    }

    @Test(arguments: ["BCRITP-01", "BCRITP-0001", "XBCRITP-001", "BCRITP-abc", "BCRITP-"])
    func foreignIDsHaveNoSequence(id: String) throws {
        #expect(try SubjectIDPattern.parse("BCRITP-{seq:3}").get().sequence(of: id) == nil)
    }

    /// A subject ID typed in another case is spelled as the pattern spells it; anything that does not fit stays unknown.
    @Test(arguments: [
        ("BCRITP-{seq:3}", "bcritp-001", "BCRITP-001"), ("BCRITP-{seq:3}", "Bcritp-1000", "BCRITP-1000"), ("BCRITP-{seq:3}", "BCRITP-001", "BCRITP-001"),
        ("s{seq:2}-x", "S07-X", "s07-x"), ("{seq:4}_A", "0012_a", "0012_A"),
        ("BCRITP-{seq:3}", "bcritp-01", nil), ("BCRITP-{seq:3}", "bcritp-abc", nil), ("BCRITP-{seq:3}", "xbcritp-001", nil),
        ("BCRITP-{seq:3}", "bcritp-", nil), ("BCRITP-{seq:3}", "bcrıtp-001", nil),
    ] as [(String, String, String?)])
    func typedInAnyCase(pattern: String, typed: String, canonical: String?) throws {
        #expect(try SubjectIDPattern.parse(pattern).get().canonical(typed) == canonical)
    }
}

/// The validated study round-trips through JSON (the API serves it), the pattern as its text.
struct StudyJSONTests {
    @Test func studyRoundTripsThroughJSON() throws {
        let study = try StudyLoader.builtIn()
        let data = try JSONEncoder().encode(study)
        #expect(try JSONDecoder().decode(Study.self, from: data) == study)
        #expect(String(decoding: data, as: UTF8.self).contains("\"subjectIDPattern\":\"BCRITP-{seq:3}\""))
    }
}
