import CartaModel
import Synchronization

/// The last study report built for each reading scope (the reader's sites and how many participants it draws), with
/// the audit record it was asked at. Asked again before anything is saved, the report is that build, not another
/// derivation of the same data: the derivation is pure (the same records give the same figures, no clock), and every
/// saved change writes an audit record, so an unchanged audit head means unchanged figures. Requests that arrive
/// while a build for the same scope and data runs wait for it rather than starting their own, so a burst of
/// `/report` requests on a large study costs one build (5 s on 100,000 participants from kept figures), not one each.
///
/// A build that failed or ended inconsistent (changes saved during it: `StudyReport.DataCut`) is not kept: the next
/// request builds afresh.
///
/// Source: issue 9 scope 2 (the web app shows the report) and scope 4 (a 100,000-participant study).
final class StudyReportCache: Sendable {
    struct Scope: Hashable, Sendable {
        var sites: [SiteID]?
        var drawnAtMost: Int
    }
    private let builds = Mutex<[Scope: (head: Int, build: Task<StudyReport, any Error>)]>([:])

    /// The report of `scope` at audit head `head`: the kept build when it was asked at the same head, else `build`'s.
    func report(_ scope: Scope, head: Int, build: @escaping @Sendable () async throws -> StudyReport) async throws -> StudyReport {
        let task = builds.withLock { kept in
            if let hit = kept[scope], hit.head == head { return hit.build }
            let task = Task { try await build() }
            kept[scope] = (head, task)
            return task
        }
        do {
            let report = try await task.value
            if report.dataCut?.isConsistent != true { forget(scope, task) }
            return report
        } catch {
            forget(scope, task)
            throw error
        }
    }

    private func forget(_ scope: Scope, _ task: Task<StudyReport, any Error>) {
        builds.withLock { kept in if kept[scope]?.build == task { kept[scope] = nil } }
    }
}
