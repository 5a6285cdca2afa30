import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import Foundation
import Testing

/// The per-participant value index every reader of a course shares: whatever order the values come in, each
/// address holds its last value, empty texts count as not recorded, and an event or form without values is absent.
/// Source: issue 9 scope 4 (one index per participant for a whole-study pass); the readers' rule that an empty
/// text is not recorded (ProductChainState, ToxicityCourse, ParticipantCourseRecord).
@Suite struct VisitValuesTests {
    static func value(_ event: String, _ form: String, _ item: String, _ text: String?) -> ItemValue {
        ItemValue(participantID: "p1", address: ItemAddress(eventOID: EventOID(event), formOID: FormOID(form), itemOID: ItemOID(item)),
                  value: text.map { MeasuredValue(text: $0) }, updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "c")
    }

    static let values = [
        value("D1", "F_VISIT", "VISIT_DATE", "2026-01-02"), value("D1", "F_CRS", "CRS_TMAX", "38.5"),
        value("D2", "F_VISIT", "VISIT_DATE", "2026-01-03"),
        // The same form again after another one, and an address repeated: the later value holds.
        value("D1", "F_VISIT", "VISIT_NOTE", "seen"), value("D1", "F_CRS", "CRS_TMAX", "39.1"),
        value("D2", "F_BLEED", "BLEED_SKIN", ""), value("D2", "F_BLEED", "BLEED_CNS", nil),
        value("SCREENING", "F_CONSENT", "CONSENT_DATE", "2025-12-01"),
    ]

    @Test(arguments: [false, true])
    func everyAddressHoldsItsLastRecordedValueInAnyOrder(reversed: Bool) {
        let input = reversed ? Array(Self.values.reversed()) : Self.values
        let index = VisitValues(input)
        // Reversed, the first 38.5 comes last and holds: the last value given for an address is the one kept.
        #expect(index.text("D1", "F_CRS", "CRS_TMAX") == (reversed ? "38.5" : "39.1"))
        #expect(index.text("D1", "F_VISIT", "VISIT_NOTE") == "seen")
        #expect(index.date("D1", "F_VISIT", "VISIT_DATE") == ClinicalDate(iso: "2026-01-02"))
        #expect(index.date("SCREENING", "F_CONSENT", "CONSENT_DATE") == ClinicalDate(iso: "2025-12-01"))
        #expect(Set(index.forms(of: "D1")?.keys.map { $0 } ?? []) == ["F_VISIT", "F_CRS"])
        // Empty and cleared values are not recorded: the bleeding form of D2 is absent, D3 has nothing.
        #expect(index.forms(of: "D2")?.keys.map { $0 } == ["F_VISIT"])
        #expect(index.value("D2", "F_BLEED", "BLEED_SKIN") == nil)
        #expect(index.forms(of: "D3") == nil)
    }
}
