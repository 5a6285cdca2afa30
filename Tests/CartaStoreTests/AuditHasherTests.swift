import CartaModel
import Foundation
import Testing
import CartaStore

/// The audit hash format is a contract: records written today must verify forever.
/// Source: issue 2 scope 4 ("SHA-256 hash chaining it to the previous one"); notes/stack.md pitfall 4 (sorted keys).
@Suite("Audit hash and timestamps")
struct AuditHasherTests {
    // Expected value computed independently with Python:
    // sha256("0"*64 + json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)).
    @Test func hashMatchesIndependentComputation() {
        let event = AuditEvent(seq: 1, at: "2026-11-25T10:00:00.123Z", userID: "u-1", username: "cora", source: .web,
                               entity: .itemValue, entityID: "p-1", field: "SCR/LAB/PLT", oldValue: nil,
                               newValue: "45 10*9/L", reason: "lab re-run / ré-analyse", prevHash: AuditHasher.genesis, hash: "")
        #expect(AuditHasher.hash(of: event, prevHash: AuditHasher.genesis)
                == "1d01af9db494d578c6476f320e5f0acb14c0c8158d37829d1c611abf59484268")
        var changed = event
        changed.oldValue = ""
        #expect(AuditHasher.hash(of: changed, prevHash: AuditHasher.genesis) != AuditHasher.hash(of: event, prevHash: AuditHasher.genesis),
                "null and empty string must hash differently")
    }

    // DESIGN.md §3: UTC, ISO 8601 with milliseconds; a value must equal itself after a storage round trip.
    @Test(arguments: ["2026-11-25T10:10:26.675Z", "1999-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z"])
    func timestampsRoundTrip(text: String) throws {
        let date = try #require(StoreTimestamp.date(text))
        #expect(StoreTimestamp.string(date) == text)
        #expect(StoreTimestamp.truncated(date) == date)
    }

    @Test func malformedTimestampsAreRejected() {
        #expect(StoreTimestamp.date("2026-11-25 10:00:00") == nil)
        #expect(StoreTimestamp.date("2026-11-25T10:00:00.abcZ") == nil)
        #expect(StoreTimestamp.date("2026-11-25T10:00:00Z") == Date(timeIntervalSince1970: 1_795_600_800))
    }
}
