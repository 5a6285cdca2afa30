import CartaModel
import Crypto
import Foundation
import SQLKit

extension CartaStore {
    /// Records a reviewer's signed sign-off of the audit records matching `filter`, bound to those records
    /// by a SHA-256 over their sequence numbers and chain hashes; audited in the same transaction.
    /// A scope without records cannot be signed off (`invalidState`).
    ///
    /// Source: standards.md R-AT-5; 21 CFR 11.50, 11.70; issue 7 scope 8.
    public func signAuditReview(_ filter: AuditFilter, scope: String, scopeDescription: String, reviewer: User, meaning: String,
                                comment: String?, actor: AuditActor, at date: Date) async throws -> AuditReviewSignOff {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        let condition = Self.condition(filter)
        return try await write { db in
            let rows = try await db.raw("SELECT seq, hash FROM audit_events WHERE \(condition) ORDER BY seq").all()
            guard let last = rows.last else {
                throw StoreError(.invalidState, "the review scope holds no audit records; there is nothing to sign off")
            }
            var hasher = SHA256()
            for row in rows {
                hasher.update(data: Data("\(try row.decode(column: "seq", as: Int.self)):\(try row.decode(column: "hash", as: String.self))\n".utf8))
            }
            let signOff = AuditReviewSignOff(
                id: UUID().uuidString.lowercased(), scope: scope, scopeDescription: scopeDescription,
                throughSeq: try last.decode(column: "seq", as: Int.self), recordCount: rows.count,
                contentHash: Data(hasher.finalize()).hex, reviewerID: reviewer.id, reviewerName: reviewer.displayName,
                signedAt: StoreTimestamp.date(at) ?? date, meaning: meaning, comment: comment)
            try await db.insert(into: "audit_reviews")
                .columns("id", "scope", "scope_description", "through_seq", "record_count", "content_sha256", "reviewer_id",
                         "reviewer_name", "signed_at", "meaning", "comment")
                .values(signOff.id, scope, scopeDescription, signOff.throughSeq, signOff.recordCount, signOff.contentHash,
                        reviewer.id.rawValue, reviewer.displayName, at, meaning, comment)
                .run()
            let id = signOff.id
            try await Self.appendAudit(db, actor: actor, at: at, reason: comment, [
                AuditChange(entity: .auditReview, entityID: id, field: "scope", oldValue: nil, newValue: scopeDescription),
                AuditChange(entity: .auditReview, entityID: id, field: "records", oldValue: nil,
                            newValue: "\(signOff.recordCount) through #\(signOff.throughSeq)"),
                AuditChange(entity: .auditReview, entityID: id, field: "content_sha256", oldValue: nil, newValue: signOff.contentHash),
                AuditChange(entity: .auditReview, entityID: id, field: "signed_by", oldValue: nil,
                            newValue: "\(reviewer.displayName) (\(reviewer.id.rawValue)): \(meaning)"),
            ])
            return signOff
        }
    }

    /// Audit-review sign-offs, newest first.
    public func auditReviews(limit: Int = 200) async throws -> [AuditReviewSignOff] {
        try await read { db in
            try await db.select().column("*").from("audit_reviews").orderBy("signed_at", .descending).limit(limit).all().map { row in
                AuditReviewSignOff(
                    id: try row.decode(column: "id", as: String.self), scope: try row.decode(column: "scope", as: String.self),
                    scopeDescription: try row.decode(column: "scope_description", as: String.self),
                    throughSeq: try row.decode(column: "through_seq", as: Int.self),
                    recordCount: try row.decode(column: "record_count", as: Int.self),
                    contentHash: try row.decode(column: "content_sha256", as: String.self),
                    reviewerID: UserID(rawValue: try row.decode(column: "reviewer_id", as: String.self)),
                    reviewerName: try row.decode(column: "reviewer_name", as: String.self), signedAt: try Self.date(row, "signed_at"),
                    meaning: try row.decode(column: "meaning", as: String.self), comment: try row.decode(column: "comment", as: String?.self))
            }
        }
    }
}
