import CartaModel
import Foundation
import SQLKit

/// One page of a study's participants with the outcome figures kept for them (migration `0020_outcome_figures`).
public struct OutcomeFiguresPage: Sendable {
    /// The page's participants in sequence order (every status).
    public var participants: [Participant]
    /// Kept figures by participant (as `storeOutcomeFigures` was given them), only those kept under the key asked for.
    public var figures: [ParticipantID: Data]
}

extension CartaStore {
    /// The next `limit` participants after sequence number `after` (the sites given, all when nil), each with the
    /// figures kept for it under `key`, in one statement.
    ///
    /// A kept row is current: the triggers of migration `0020_outcome_figures` delete it in the transaction that
    /// changes anything it was derived from. Source: issue 9 scope 4 and "Performance".
    public func outcomeFiguresPage(studyID: StudyID, sites: [SiteID]?, afterSequence after: Int, limit: Int, key: String) async throws -> OutcomeFiguresPage {
        let siteIDs: [any Encodable & Sendable] = (sites ?? []).map(\.rawValue)
        let siteFilter: SQLQueryString = sites == nil ? "" : (siteIDs.isEmpty ? " AND 1 = 0" : " AND p.site_id IN (\(binds: siteIDs))")
        return try await read { db in
            let rows = try await db.raw("""
                SELECT p.*, f.figures AS f_figures FROM participants p
                LEFT JOIN outcome_figures f ON f.participant_id = p.id AND f.derivation_key = \(bind: key)
                WHERE p.study_id = \(bind: studyID.rawValue)\(siteFilter) AND p.sequence_number > \(bind: after)
                ORDER BY p.sequence_number LIMIT \(bind: limit)
                """).all()
            var page = OutcomeFiguresPage(participants: [], figures: [:])
            page.participants.reserveCapacity(rows.count)
            for row in rows {
                let p = try Self.participant(from: row)
                page.participants.append(p)
                if let figures = try row.decode(column: "f_figures", as: Data?.self) { page.figures[p.id] = figures }
            }
            return page
        }
    }

    /// Keeps participants' derived figures under `key` if nothing was audited since `head`, the audit head the
    /// files they were derived from were read at; returns whether they were kept.
    ///
    /// Every change to a participant's data commits with its audit record (R-AT-1), so an unmoved head means the
    /// figures are still those of the stored data; a moved one means they may not be, and nothing is kept (the
    /// next pass derives them again). The check and the writes are one write transaction, which every other
    /// writer waits for, so no change can slip in between.
    @discardableResult
    public func storeOutcomeFigures(_ figures: [(ParticipantID, Data)], key: String, readAt head: Int) async throws -> Bool {
        guard !figures.isEmpty else { return true }
        return try await write { db in
            guard try await Self.auditHead(db) == head else { return false }
            // 3 binds a row: 300 rows stay far below both engines' bind limits.
            for start in stride(from: 0, to: figures.count, by: 300) {
                let chunk = figures[start..<min(start + 300, figures.count)]
                let rows = chunk.map { SQLQueryString("(\(bind: $0.0.rawValue), \(bind: key), \(bind: $0.1))") }
                try await db.raw("""
                    INSERT INTO outcome_figures (participant_id, derivation_key, figures) VALUES \(rows.joined(separator: ", "))
                    ON CONFLICT (participant_id) DO UPDATE SET derivation_key = excluded.derivation_key, figures = excluded.figures
                    """).run()
            }
            return true
        }
    }

    /// The data head: the sequence number of the last audit record that is not an authentication record (0 before the
    /// first). What the data cut, the file cache and the kept figures are keyed by: every change to study data commits
    /// with its audit record (R-AT-1), and sign-ins, sign-outs and failed passwords change none, so they no longer move it.
    public func auditHead() async throws -> Int { try await read { db in try await Self.auditHead(db) } }

    static func auditHead(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw("\(unsafeRaw: dataHeadSQL)").first()?.decode(column: "h", as: Int.self) ?? 0
    }

    /// `SELECT` of the data head as column `h`, one probe of migration 0021's partial index (the filter must stay this
    /// literal for SQLite to choose it).
    static let dataHeadSQL = "SELECT COALESCE(MAX(seq), 0) AS h FROM audit_events WHERE entity <> '\(AuditEntity.authentication.rawValue)'"

    /// How many participants have figures kept under `key` (tests and DeriveBench).
    public func outcomeFiguresCount(key: String) async throws -> Int {
        try await read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM outcome_figures WHERE derivation_key = \(bind: key)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
