import CartaModel
import CartaStore
import CartaStudy
import Crypto
import Foundation
import Synchronization

extension OutcomeService {
    /// The running program's build: the SHA-256 of its executable, read once (`/proc/self/exe` is the file the
    /// process started from, even if it was replaced since), or nil where it cannot be read (then no figures are
    /// kept). Why: kept figures are only as right as the code that derived them; a build number typed by hand would
    /// be forgotten one day, and a size or a date can stay the same across builds.
    public static let runningBuild: String? = {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/exe") else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // `read(upToCount:)` gives nil or empty data at the end of the file.
            while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch { return nil }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }()

    /// What kept figures depend on besides the participant's own rows (which the database's triggers watch): the
    /// study file (every setting, schedule and form), the ITP-PAQ scoring plug-in, the CTCAE terms episodes are
    /// coded with and the program build, as one SHA-256. Figures kept under another key are derived again. Nil:
    /// keep none.
    public func figuresKey() -> String? {
        guard let build = keptFiguresBuild, let study = studyEncoding else { return nil }
        var hasher = SHA256()
        hasher.update(data: study)
        let terms = [adverseEvents.crsTerm, adverseEvents.nervousOtherTerm].map { $0.map { "\($0.meddraCode) \($0.term)" } ?? "-" }
        let scorer = questionnaireScorer.map { "\($0.instrument) \($0.version)" } ?? "-"
        hasher.update(data: Data("|\(scorer)|\(terms.joined(separator: "|"))|\(build)".utf8))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A weak HTTP entity tag (RFC 9110 §8.8.3) for one representation of the outcomes the principal reads: a SHA-256 of
    /// what a pass depends on (`figuresKey`), the principal's sites and the audit trail's head. Deriving is pure and every
    /// saved change moves the head, so an unchanged tag means the same figures; a client that sends it back in
    /// `If-None-Match` is answered `304 Not Modified` without a pass. The head is read before the pass, so a tag never
    /// names newer data than its body. Nil when no build digest is known (then no tag is given).
    public func entityTag(of representation: String, by principal: Principal) async throws -> String? {
        try principal.require(.readStudyData)
        guard let key = figuresKey() else { return nil }
        let head = try await screening.store.auditHead()
        let sites = principal.user.sites.listed.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "*"
        let digest = SHA256.hash(data: Data("\(key)|\(representation)|\(sites)|\(head)".utf8))
        return "W/\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Whether an `If-None-Match` field value names `tag` (weak comparison, RFC 9110 §13.1.2: a list of tags, or `*`).
    public static func entityTag(_ tag: String, matches ifNoneMatch: String?) -> Bool {
        guard let ifNoneMatch else { return false }
        func opaque(_ t: Substring) -> Substring {
            let t = t.trimmingCharacters(in: .whitespaces)[...]
            return t.hasPrefix("W/") ? t.dropFirst(2) : t
        }
        return ifNoneMatch.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "*" || opaque($0) == opaque(tag[...]) }
    }

    /// `stream` without sources, reading each participant's kept figures instead of deriving them again.
    ///
    /// A page's participants come with the figures kept for them (one statement); only those without (new, changed
    /// since, or kept under another key) are read in full and derived, on both cores, and their figures kept for
    /// the next pass, unless anything was audited since they were read. The study-level sums are then added in
    /// participant order as in `pass`, from the same `Figures`, so a pass gives the same result whichever figures
    /// were kept. Source: issue 9 scope 4 and "Performance" (`derive` on 100,000 participants).
    /// `sites`: the reader's (nil: every site); the caller has checked the reader may read study data.
    func keptPass(sites: [SiteID]?, key: String, pageSize: Int, progress: (Int) -> Void,
                  each: (StudyOutcomes.Participant) async throws -> Void) async throws -> StudyOutcomes {
        var acc = OutcomeDerivation.Accumulator(study: screening.study, keepParticipants: false, includeSources: false, scorer: questionnaireScorer)
        let figuresOf = acc.figuresOf
        let store = screening.store, studyID = StudyID(screening.study.id)
        @Sendable func fetch(after: Int) async throws -> OutcomeFiguresPage {
            try await store.outcomeFiguresPage(studyID: studyID, sites: sites, afterSequence: after, limit: pageSize, key: key)
        }
        var registered = 0, screenFailed = 0, after = 0
        var next = Task { try await fetch(after: 0) }
        defer { next.cancel() }
        // Keeping runs behind the pass, at most one page's write at a time (so memory stays bounded by the page size);
        // a failure to keep only means deriving again next time, and is logged.
        var keeping: Task<Void, Never>?
        defer { keeping?.cancel() }
        while true {
            try Task.checkCancellation()
            let page = try await next.value
            guard let last = page.participants.last else { break }
            next = Task { try await fetch(after: last.sequenceNumber) }
            registered += page.participants.count
            screenFailed += page.participants.filter { $0.status == .screenFailed }.count
            let enrolled = page.participants.filter { $0.status == .enrolled }
            var figures = await Self.decode(page.figures)
            let missing = enrolled.filter { figures[$0.id] == nil }
            if !missing.isEmpty {
                let (files, head) = try await files(of: missing, in: page, after: after, studyID: studyID, sites: sites)
                let events = try await store.adverseEvents(participantIDs: files.map(\.participant.id))
                let derived = await concurrentFigures(files, events: events, figures: figuresOf, encode: true)
                var keep: [(ParticipantID, Data)] = []
                for (file, (f, bytes)) in zip(files, derived) {
                    figures[file.participant.id] = f
                    if let bytes { keep.append((file.participant.id, bytes)) }
                }
                await keeping?.value
                let logger = store.logger
                keeping = Task { [keep] in
                    do { try await store.storeOutcomeFigures(keep, key: key, readAt: head) } catch {
                        logger.warning("outcome figures not kept; the next pass derives them again", metadata: ["error": "\(error)"])
                    }
                }
            }
            for p in enrolled {
                guard let f = figures[p.id] else { throw WorkflowError(.conflict, "participant \(p.subjectID) changed during the pass; run it again") }
                try await each(acc.add(f))
            }
            after = last.sequenceNumber
            progress(registered)
        }
        await keeping?.value
        var outcomes = acc.finish(registered: registered, screenFailed: screenFailed)
        outcomes.synthetic = try await store.isSynthetic()
        return outcomes
    }

    /// The pass that keeps missing figures in the background (`keepMissingFiguresInBackground`, `carta serve`). A
    /// whole-study pass from kept figures waits for it rather than deriving the same participants beside it on the other
    /// core: after an upgrade the first `/report` would otherwise repeat the background's work page by page.
    final class BackgroundKeeping: Sendable {
        let task = Mutex<Task<Int, any Error>?>(nil)

        /// Waits for the background pass, if one runs; its failure or cancellation is its own (the caller then derives
        /// what it needs itself).
        func wait() async { if let running = task.withLock({ $0 }) { _ = try? await running.value } }
    }

    /// Starts `keepMissingFigures` in the background and registers it, so that whole-study passes wait for it
    /// (`BackgroundKeeping`). Cancel the task to stop it at a page boundary.
    public func keepMissingFiguresInBackground(pageSize: Int = 500) -> Task<Int, any Error> {
        let task = Task.detached(priority: .background) { [self] in try await keepMissingFigures(pageSize: pageSize) }
        background.task.withLock { $0 = task }
        return task
    }

    /// Derives and keeps the figures of every enrolled participant (all sites) that has none under the current key:
    /// the work of the first pass after a new build, study file or scoring plug-in (70 s on 100,000 whole courses,
    /// BENCHMARKS.md), done ahead so that the first reader of `/report` or `/api/v1/outcomes` does not wait for it.
    /// `carta serve` runs it in the background at start; it stops at a page boundary when cancelled. Returns how
    /// many participants' figures it kept (0 when all were current, after reading each page's kept figures once).
    public func keepMissingFigures(pageSize: Int = 500) async throws -> Int {
        try Task.checkCancellation()
        guard let key = figuresKey() else { return 0 }
        let store = screening.store
        let before = try await store.outcomeFiguresCount(key: key)
        _ = try await keptPass(sites: nil, key: key, pageSize: pageSize, progress: { _ in }, each: { _ in })
        return try await store.outcomeFiguresCount(key: key) - before
    }

    /// The files of a page's participants without kept figures, and the audit head they were read at. Many are read
    /// as the page (the fast path of a whole-study read), a few by id.
    private func files(of missing: [Participant], in page: OutcomeFiguresPage, after: Int, studyID: StudyID, sites: [SiteID]?) async throws
        -> (files: [ParticipantFile], head: Int) {
        let store = screening.store
        if missing.count > pageReadAbove {
            let (read, head) = try await store.participantFilePage(studyID: studyID, sites: sites, afterSequence: after, limit: page.participants.count)
            let byID = Dictionary(read.map { ($0.participant.id, $0) }, uniquingKeysWith: { a, _ in a })
            return (missing.compactMap { byID[$0.id] }, head)
        }
        return try await store.participantFiles(studyID: studyID, ids: missing.map(\.id))
    }

    /// Kept figures decoded, the page's two halves on two cores; a row that does not decode is left out (derived again).
    static func decode(_ kept: [ParticipantID: Data]) async -> [ParticipantID: OutcomeDerivation.Accumulator.Figures] {
        @Sendable func decode(_ rows: ArraySlice<(key: ParticipantID, value: Data)>) -> [ParticipantID: OutcomeDerivation.Accumulator.Figures] {
            var out: [ParticipantID: OutcomeDerivation.Accumulator.Figures] = [:]
            out.reserveCapacity(rows.count)
            for (id, bytes) in rows {
                if let f = try? OutcomeDerivation.Accumulator.Figures(kept: bytes) { out[id] = f }
            }
            return out
        }
        let rows = Array(kept)
        guard rows.count >= 32 else { return decode(rows[...]) }
        async let first = decode(rows[..<(rows.count / 2)])
        let second = decode(rows[(rows.count / 2)...])
        return await first.merging(second) { a, _ in a }
    }
}
