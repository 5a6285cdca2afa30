// AuditBench: the audit trail's read paths at 4,000 and 50,000 records, before and after issue 7 scope 8.
//
// "Before" is what every `/audit` view and `GET /api/v1/audit[/verify]` did on main: load the whole trail
// and re-compute the whole chain. "After" is what they do now: one page from the database and a
// verification from the last verified checkpoint. Usage: AuditBench [records…] (default 4000 50000).
import CartaModel
import CartaStore
import Foundation

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let targets = sizes.isEmpty ? [4_000, 50_000] : sizes
let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// Median and minimum of `repeats` runs of `body`, in milliseconds.
func time(_ repeats: Int = 5, _ body: () async throws -> Void) async rethrows -> (median: Double, min: Double) {
    var runs: [Double] = []
    for _ in 0..<repeats { runs.append(seconds(try await clock.measure { try await body() }) * 1000) }
    runs.sort()
    return (runs[runs.count / 2], runs[0])
}

let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

struct Body: Encodable { let events: [AuditEvent] }

print("| records | what | median ms | min ms | bytes |")
print("|---|---|---|---|---|")
for target in targets {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("auditbench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try await CartaStore.open(.sqlite(path: dir.appendingPathComponent("bench.sqlite").path))
    _ = try await store.migrate()
    let user = try await store.createUser(username: "cora", displayName: "Cora", role: .coordinator,
                                          passwordHash: "$2b$12$placeholder", actor: AuditActor(userID: nil, username: "bench", source: .cli))
    let actor = AuditActor(user: user, source: .api)
    // Fill: participants with lab forms of 10 values (unit + standard audited: ~30 records per save).
    var writes = 0
    let fillStart = clock.now
    while try await store.auditCount() < target {
        let p = try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01",
                                                    subjectID: { SubjectID("B-\($0)") }, identity: nil, actor: actor)
        var version = p.version
        for round in 0..<10 {
            let values = (0..<10).map { i in
                ItemValueInput(itemOID: ItemOID("L\(i)"), value: MeasuredValue(text: "\(round * 10 + i)", unit: "g/L",
                                                                               standardValue: Double(round * 10 + i), standardUnit: "g/L"))
            }
            version = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB", values: values,
                                                expectedVersion: version, reason: round == 0 ? nil : "bench", actor: actor).version
            writes += 1
        }
    }
    let fillSeconds = seconds(clock.now - fillStart)
    let count = try await store.auditCount()
    print("| \(count) | fill: \(writes) audited saves (+ registrations), each with its witness update | \(String(format: "%.2f", fillSeconds * 1000 / Double(writes))) per save | | |")

    // Before: the whole trail and the whole chain on every view.
    var bytes = 0
    let trail = try await time(3) {
        let all = try await store.auditTrail(entity: nil, entityID: nil)
        bytes = try encoder.encode(Body(events: all)).count
    }
    print("| \(count) | before: GET /api/v1/audit (whole trail, encoded) | \(String(format: "%.1f", trail.median)) | \(String(format: "%.1f", trail.min)) | \(bytes) |")
    let full = try await time(3) { _ = try await store.verifyAudit(full: true, replay: false) }
    print("| \(count) | before: chain re-computed from the first record (every view; now `--full`) | \(String(format: "%.1f", full.median)) | \(String(format: "%.1f", full.min)) | |")
    let view = try await time(3) {
        _ = try await store.auditTrail(entity: nil, entityID: nil)
        _ = try await store.verifyAudit(full: true, replay: false)
    }
    print("| \(count) | before: /audit view's data (whole trail + whole chain) | \(String(format: "%.1f", view.median)) | \(String(format: "%.1f", view.min)) | |")

    // After: one page; verification from the checkpoint the full check above recorded.
    let page = try await time(5) {
        let p = try await store.auditPage(entity: nil, entityID: nil, after: 0, limit: 500)
        bytes = try encoder.encode(Body(events: p.events)).count
    }
    print("| \(count) | after: GET /api/v1/audit (one page of 500, encoded) | \(String(format: "%.2f", page.median)) | \(String(format: "%.2f", page.min)) | \(bytes) |")
    let incremental = try await time(5) { _ = try await store.verifyAudit(full: false, replay: false) }
    print("| \(count) | after: verify from the last checkpoint, nothing new | \(String(format: "%.2f", incremental.median)) | \(String(format: "%.2f", incremental.min)) | |")
    let afterView = try await time(5) {
        _ = try await store.auditEventsNewestFirst(offset: 0, limit: 100)
        _ = try await store.auditCount()
        _ = try await store.verifyAudit(full: false, replay: false)
    }
    print("| \(count) | after: /audit view's data (page of 100 + count + checkpointed verify) | \(String(format: "%.2f", afterView.median)) | \(String(format: "%.2f", afterView.min)) | |")
    // About 30 new records since the checkpoint: one save.
    let p = try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01", subjectID: { SubjectID("B-\($0)") },
                                                identity: nil, actor: actor)
    _ = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB", values: (0..<10).map {
        ItemValueInput(itemOID: ItemOID("L\($0)"), value: MeasuredValue(text: "\($0)", unit: "g/L", standardValue: Double($0), standardUnit: "g/L"))
    }, expectedVersion: p.version, reason: nil, actor: actor)
    let newCount = try await store.auditCount()
    let step = try await time(1) { _ = try await store.verifyAudit(full: false, replay: false) }
    print("| \(newCount) | after: verify from the last checkpoint, \(newCount - count) new records | \(String(format: "%.2f", step.median)) | | |")
    let replay = try await time(3) { _ = try await store.replayAuditTrail() }
    print("| \(newCount) | replay of the trail against the data (`carta audit verify`) | \(String(format: "%.1f", replay.median)) | \(String(format: "%.1f", replay.min)) | |")
    let report = try await store.verifyAudit(full: true, replay: true)
    guard report.isIntact else { fatalError("bench database not intact: \(report)") }
    await store.close()
}
