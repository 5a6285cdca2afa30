// DeriveBench (issue 9 scope 4 and its performance targets), release build:
//   1. `carta demo`'s rate: a 5-participant synthetic cohort through the audited services (values/s).
//   2. `carta derive`'s streaming pass over N participants on SQLite (default 100,000): wall time and the
//      process's peak resident memory (VmHWM). The N-participant database is written in bulk, outside the
//      services and the audit trail (a fixture, not the demo): each participant's course is `DemoCourse`'s,
//      with the values the derivation reads (screening count, lymphodepletion and infusion dates, and at
//      D1–D14, D21 and M1–M6 the visit date, the platelet count and the bleeding assessment).
//      The pass runs three times: first (derives every participant without kept figures and keeps theirs), again
//      (reads the kept figures), and after 1 % of the participants changed (only they are derived again).
//   3. The report for the 5 demo participants: derivation plus rendering, median of 5 runs.
//   4. With --demo-scale N: `carta demo --scale N`'s bulk load of N synthetic participants (values/s, laboratory values/s).
//   5. The study report of the whole scale cohort (`OutcomeService.report`: kept figures, the first 100 drawn), rendered.
// Usage: DeriveBench [participants] [--scale-only] [--keep] [--reuse DIR] [--forget] [--demo-scale N] (default 100000; --scale-only
// skips 1 and 3, for profiling the pass; --keep leaves the databases in place and prints where; --reuse DIR times the
// pass on the scale.sqlite a kept run left in DIR instead of writing a new one — implies --scale-only; --forget
// deletes the figures a reused database kept, so the first pass derives everyone)
@_spi(Testing) import CartaStore
import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints a result line at once (a long run shows each result as it comes).
func say(_ line: String) { print(line); fflush(nil) }

func run() async throws {
    let n = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 100_000
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    /// User + system CPU seconds of the process so far (both cores count).
    func cpuSeconds() -> Double {
        var u = rusage(); getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
    func peakRSSMiB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    let arguments = CommandLine.arguments
    let reuse = arguments.firstIndex(of: "--reuse").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    let dir = reuse.map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("derivebench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // --keep leaves the databases for a look with other tools (the path is printed); a reused directory is always kept.
    let keep = reuse != nil || arguments.contains("--keep")
    defer { if keep { say("kept: \(dir.path)") } else { try? FileManager.default.removeItem(at: dir) } }
    let study = try StudyLoader.builtIn()
    let system = AuditActor(userID: nil, username: "bench", source: .cli)

    // 4. The scale cohort, loaded in bulk (then nothing else runs).
    if let at = arguments.firstIndex(of: "--demo-scale"), arguments.indices.contains(at + 1), let count = Int(arguments[at + 1]) {
        let demoClock = DemoClock(Date())
        let config = CartaConfig.resolve(database: "sqlite://\(dir.path)/demo-scale.sqlite", studyFile: nil, auditKey: nil, auditWitness: nil)
        let runtime = try await CartaRuntime.open(config, study: study, migrate: .ifEmpty, instant: { demoClock.now })
        let cpu = cpuSeconds()
        let s = try await DemoService(runtime: runtime, clock: demoClock).runScale(participants: count, seed: 20_260_315, today: runtime.clock.today, now: Date())
        say("| demo --scale \(count) (bulk load, after the accounts) | \(s.values) values, \(s.labValues) laboratory values | \(String(format: "%.2f", s.loadSeconds)) s | \(Int(Double(s.values) / s.loadSeconds)) values/s, \(Int(Double(s.labValues) / s.loadSeconds)) laboratory values/s; CPU \(String(format: "%.1f", cpuSeconds() - cpu)) s; peak RSS \(Int(peakRSSMiB())) MiB |")
        await runtime.store.close()
        return
    }
    // 1. The demo through the services.
    if reuse == nil && !arguments.contains("--scale-only") {
        let demoClock = DemoClock(Date())
        let config = CartaConfig.resolve(database: "sqlite://\(dir.path)/demo.sqlite", studyFile: nil, auditKey: nil, auditWitness: nil)
        let runtime = try await CartaRuntime.open(config, study: study, migrate: .ifEmpty, instant: { demoClock.now })
        let start = clock.now
        let summary = try await DemoService(runtime: runtime, clock: demoClock).run(participants: 5, seed: 20_260_315, today: runtime.clock.today, now: Date())
        let t = seconds(clock.now - start)
        say("| demo, 5 participants through the audited services | \(summary.saves) saves, \(summary.values) values | \(String(format: "%.2f", t)) s | \(Int(Double(summary.values) / t)) values/s |")
        // 3. The report of the demo: the derivation, and the self-contained HTML page `carta report` writes (the same
        // page model and templates as the web app's /report), timed apart and together, median of 5.
        guard let statistician = try await runtime.store.user(username: "demo-statistician") else { fatalError("no demo statistician") }
        var derivations: [Double] = [], renders: [Double] = [], totals: [Double] = []
        var bytes = 0
        let renderer = try PageRenderer()
        let layout = LayoutModel(studyId: study.id, studyTitle: study.title, user: nil, csrf: "", sections: [], synthetic: true)
        for _ in 0..<5 {
            let s = clock.now
            let o = try await runtime.outcomes.derive(by: Principal(statistician, source: .cli))
            let derived = clock.now
            let html = try renderer.renderStandalone(ReportPage.build(o, standalone: true), layout: layout)
            bytes = html.utf8.count
            derivations.append(seconds(derived - s) * 1000); renders.append(seconds(clock.now - derived) * 1000); totals.append(seconds(clock.now - s) * 1000)
        }
        func median(_ xs: [Double]) -> String { String(format: "%.1f", xs.sorted()[xs.count / 2]) }
        say("| report for 5 participants (median of 5): derivation \(median(derivations)) ms + HTML with inline SVG \(median(renders)) ms | \(bytes) bytes | \(median(totals)) ms | |")
        await runtime.store.close()
    }

    // 2. The streaming derive over n participants.
    let url = "sqlite://\(dir.path)/scale.sqlite"
    let config = CartaConfig.resolve(database: url, studyFile: nil, auditKey: nil, auditWitness: nil)
    // A reused database may predate a migration (0020 added the kept figures): it is brought up to date first.
    let runtime = try await CartaRuntime.open(config, study: study, migrate: reuse == nil ? .ifEmpty : .never, instant: { Date() })
    let store = runtime.store
    if reuse != nil { _ = try await store.migrate() }
    // --forget: the first pass starts with no kept figures (a reused database keeps those of its last run).
    if arguments.contains("--forget") { try await store.executeRaw("DELETE FROM outcome_figures") }
    let reader: User
    if reuse != nil, let existing = try await store.user(username: "stat") { reader = existing } else {
        reader = try await store.createUser(username: "stat", displayName: "Stat", role: .statistician, passwordHash: "$2b$12$placeholder", actor: system)
    }
    let today = runtime.clock.today
    if reuse == nil { try await fill() }
    func fill() async throws {
    let fillStart = clock.now
    var rows = 0
    var participantSQL: [String] = [], valueSQL: [String] = []
    func flush(force: Bool = false) async throws {
        // Participants first: their values reference them.
        if !participantSQL.isEmpty && (force || participantSQL.count >= 400 || valueSQL.count >= 400) {
            try await store.executeRaw("INSERT INTO participants (id, study_id, subject_id, sequence_number, site_id, status, version, created_at, updated_at, updated_by, enrolled_at, screen_failure_reasons) VALUES " + participantSQL.joined(separator: ","))
            participantSQL.removeAll(keepingCapacity: true)
        }
        if !valueSQL.isEmpty && (force || valueSQL.count >= 400) {
            try await store.executeRaw("INSERT INTO item_values (participant_id, event_oid, form_oid, item_oid, repeat_key, value_text, unit_entered, value_standard, unit_standard, lower_limit_normal, upper_limit_normal, updated_at, updated_by) VALUES " + valueSQL.joined(separator: ","))
            valueSQL.removeAll(keepingCapacity: true)
        }
    }
    let stamp = "'2026-12-05T00:00:00.000Z'"
    try await store.executeRaw("PRAGMA synchronous = OFF")
    try await store.executeRaw("BEGIN")
    for i in 0..<n {
        let c = DemoCourse(index: i % 1_000, of: 1_000, seed: UInt64(i / 1_000), today: today)
        let pid = "p\(i)"
        participantSQL.append("('\(pid)', 'NCT05315778', 'BCRITP-\(i + 1)', \(i + 1), 'SUZHOU', 'enrolled', 1, \(stamp), \(stamp), 'bench', \(stamp), NULL)")
        func value(_ event: String, _ form: String, _ item: String, _ text: String, standard: Double? = nil, unit: String? = nil) {
            let std = standard.map { String($0) } ?? "NULL", u = unit.map { "'\($0)'" } ?? "NULL"
            valueSQL.append("('\(pid)', '\(event)', '\(form)', '\(item)', '', '\(text)', \(u), \(std), \(u), NULL, NULL, \(stamp), 'bench')")
            rows += 1
        }
        let d0 = c.dayZero
        value("SCREENING", "F_CONSENT", "CONSENT_DATE", d0.adding(days: -40).description)
        value("SCREENING", "F_LAB_HEM", "PLT", String(c.platelets(day: -40)), standard: Double(c.platelets(day: -40)), unit: "10*9/L")
        for (k, v) in ["LD1", "LD2", "LD3"].enumerated() { value(v, "F_LD_ADMIN", "LD_DATE", d0.adding(days: -5 + k).description) }
        value("D0", "F_INFUSION", "INF_DATE", d0.description)
        value("D0", "F_INFUSION", "FRACTION", "1")
        value("D0", "F_INFUSION", "INF_BAG", "BCRITP-\(i + 1)-B1")
        for visit in study.schedule.visits where visit.day > 0 && d0.adding(days: visit.day) <= today {
            let plt = c.platelets(day: visit.day)
            value(visit.id, "F_VISIT", "VISIT_DATE", d0.adding(days: visit.day).description)
            value(visit.id, "F_LAB_HEM", "PLT", String(plt), standard: Double(plt), unit: "10*9/L")
            value(visit.id, "F_BLEED", "BLEED_SKIN", plt < 20 && c.chance(day: visit.day, 6) < 0.5 ? "body" : "none")
            value(visit.id, "F_BLEED", "BLEED_MUCOSAL", "none")
            value(visit.id, "F_BLEED", "BLEED_VISCERAL", "none")
            value(visit.id, "F_BLEED", "BLEED_CNS", "false")
        }
        try await flush()
        if i % 5_000 == 4_999 { try await store.executeRaw("COMMIT"); try await store.executeRaw("BEGIN") }
    }
    try await flush(force: true)
    try await store.executeRaw("COMMIT")
    let fillSeconds = seconds(clock.now - fillStart)
    say("| bulk fixture: \(n) participants | \(rows) item values | \(String(format: "%.1f", fillSeconds)) s | \(Int(Double(rows) / fillSeconds)) rows/s |")
    }

    // What the pass costs in reading alone: the same pages, no derivation.
    let readStart = clock.now, readCPU = cpuSeconds()
    var after = 0, read = 0
    while true {
        let page = try await store.participantFiles(studyID: StudyID("NCT05315778"), sites: nil, afterSequence: after, limit: 500)
        guard let last = page.last else { break }
        after = last.participant.sequenceNumber; read += page.reduce(0) { $0 + $1.values.count }
    }
    say("| read only: the same pages without deriving | \(read) values | \(String(format: "%.2f", seconds(clock.now - readStart))) s | CPU \(String(format: "%.2f", cpuSeconds() - readCPU)) s |")
    let rssBefore = peakRSSMiB()
    // As `carta derive --format csv --table subjects` runs it: that table shows no sources, so none are built.
    // The first pass derives every participant without kept figures and keeps theirs; the next reads them.
    func pass(_ label: String) async throws {
        let start = clock.now, deriveCPU = cpuSeconds()
        var subjects = 0, csvBytes = 0
        let outcomes = try await runtime.outcomes.stream(by: Principal(reader, source: .cli), includeSources: false) { p in
            subjects += 1
            for row in OutcomeTables.rows(.subjects, p) { csvBytes += OutcomeTables.line(row).utf8.count }
        }
        let deriveSeconds = seconds(clock.now - start), deriveCPUSeconds = cpuSeconds() - deriveCPU
        let kept = try await store.outcomeFiguresCount(key: runtime.outcomes.figuresKey() ?? "")
        say("| derive, \(label) (streamed, subjects CSV) over \(subjects) participants | ORR \(outcomes.overallResponse?.percentText ?? "-"), \(outcomes.durationOfResponse?.responders ?? 0) responders, \(csvBytes) CSV bytes, \(kept) kept | \(String(format: "%.2f", deriveSeconds)) s | peak RSS \(Int(peakRSSMiB())) MiB (before the passes \(Int(rssBefore)) MiB), CPU \(String(format: "%.2f", deriveCPUSeconds)) s |")
    }
    try await pass("first pass")
    try await pass("kept figures")
    // A day of data entry: 1 % of the participants changed since the last pass (any write to their rows forgets their figures).
    try await store.executeRaw("UPDATE participants SET updated_by = 'bench-change' WHERE sequence_number % 100 = 0")
    try await pass("1 % changed")
    // 5. The study report of the whole cohort, as the web app's /report and `carta report` build it: the study-level
    // figures from the kept pass, the first participants drawn with their sources, and the self-contained page.
    let reportStart = clock.now, reportCPU = cpuSeconds()
    let report = try await runtime.outcomes.report(by: Principal(reader, source: .cli))
    let reportLayout = LayoutModel(studyId: study.id, studyTitle: study.title, user: nil, csrf: "", sections: [], synthetic: false)
    let reportHTML = try PageRenderer().renderStandalone(ReportPage.build(report, standalone: true), layout: reportLayout)
    say("| report of \(report.enrolled) participants (\(report.outcomes.participants.count) drawn) | \(reportHTML.utf8.count) bytes | \(String(format: "%.2f", seconds(clock.now - reportStart))) s | peak RSS \(Int(peakRSSMiB())) MiB, CPU \(String(format: "%.2f", cpuSeconds() - reportCPU)) s |")
    // Asked again with nothing saved since: the same build (StudyReportCache), as a second /report request gets it.
    let againStart = clock.now
    let again = try await runtime.outcomes.report(by: Principal(reader, source: .cli))
    let againHTML = try PageRenderer().renderStandalone(ReportPage.build(again, standalone: true), layout: reportLayout)
    say("| the report again, nothing saved since (same build, page rendered again) | \(againHTML.utf8.count) bytes | \(String(format: "%.1f", seconds(clock.now - againStart) * 1000)) ms | data as of audit record \(again.dataCut?.lastAuditRecord ?? -1) |")
    await store.close()

}

try await run()
