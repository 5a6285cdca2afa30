import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// Migration 0019 stores SQLite's item values in primary-key order (`WITHOUT ROWID`): every value written
/// before it reads back unchanged after it, its audit trail still replays to the data, and the key still
/// makes a second save of an address update the value rather than add one.
/// Source: issue 9 scope 4; standards.md R-AT-1 (no data lost or silently altered).
@Suite("Item values clustered (migration 0019)")
struct ItemValuesClusteredMigrationTests {
    @Test(arguments: TestDatabase.engines)
    func valuesWrittenBeforeTheMigrationReadBackUnchanged(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            _ = try await store.migrate(through: "0018_visit_signatures")
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            let q = try await registerOne(store, cora)
            var v = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "LAB", values: [
                ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L", standardValue: 45, standardUnit: "10*9/L",
                                                                    lowerLimitNormal: 150, upperLimitNormal: 400)),
                ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "Ödem, 水肿 — fasting")),
                ItemValueInput(itemOID: "EMPTY", value: MeasuredValue(text: "")),
            ], expectedVersion: 1, reason: nil, actor: cora).version
            v = try await store.saveItems(participantID: p.id, eventOID: "D1", formOID: "F_VITALS",
                                          values: [ItemValueInput(itemOID: "TEMP", value: MeasuredValue(text: "38.2", unit: "Cel", standardValue: 38.2, standardUnit: "Cel"))],
                                          expectedVersion: v, reason: nil, actor: cora).version
            v = try await store.saveItems(participantID: p.id, eventOID: "D1", formOID: "F_VITALS", values: [ItemValueInput(itemOID: "TEMP", value: nil)],
                                          expectedVersion: v, reason: "entered on the wrong visit", actor: cora).version
            _ = try await store.saveItems(participantID: q.id, eventOID: .screening, formOID: "LAB",
                                          values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "12", unit: "10*9/L", standardValue: 12, standardUnit: "10*9/L"))],
                                          expectedVersion: q.version, reason: nil, actor: cora)
            let order = "participant_id, event_oid, form_oid, item_oid, repeat_key"
            let before = try await store.tableContents("item_values", orderBy: order)
            #expect(before.count == 5)

            #expect(try await store.migrate(through: "0019_item_values_clustered") == ["0019_item_values_clustered"])

            #expect(try await store.tableContents("item_values", orderBy: order) == before)
            let report = try await store.verifyAudit(full: true, replay: true)
            #expect(report.isIntact && report.differences == [])
            if engine == .sqlite {
                // A WITHOUT ROWID table has no rowid column: the rows are stored in key order.
                await #expect(throws: (any Error).self) { try await store.executeRaw("SELECT rowid FROM item_values") }
            }
            // The primary key still holds: saving an address again changes its value and adds no row.
            _ = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "LAB",
                                          values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "47", unit: "10*9/L", standardValue: 47, standardUnit: "10*9/L"))],
                                          expectedVersion: v, reason: "lab re-run", actor: cora)
            let after = try await store.tableContents("item_values", orderBy: order)
            #expect(after.count == 5)
            #expect(after.contains { $0.contains("item_oid=PLT") && $0.contains("value_text=47") && $0.contains("participant_id=\(p.id.rawValue)") })
            #expect(try await store.verifyAudit(full: true, replay: true).differences == [])
        }
    }
}
