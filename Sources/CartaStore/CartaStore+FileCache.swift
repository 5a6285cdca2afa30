import CartaModel
import SQLKit
import Synchronization

/// Participant files kept in memory for as long as the audit trail's head stays where it was when they were read.
///
/// Every change to what a participant file holds (participant row, identity, decisions, locks, values) commits
/// with its audit record in one transaction (DESIGN.md; standards.md R-AT-1), so an unchanged highest audit
/// sequence number means unchanged files — also across processes sharing one database, since the head is read
/// from the database on every call. The head comes with the participant rows, in the statement before the values
/// (no extra statement): values read after it are at least as new as the head they are filed under, so a later
/// head always reads again.
/// Why: the today screen and the timeline read every file on every request; rereading and decoding thousands of
/// unchanged values was most of their time (issue 8 "Performance": each page < 10 ms at p99).
struct FileCache: Sendable {
    /// The audit head the entries were read at.
    var head: Int = -1
    /// Whole-study lists by study and site filter.
    var lists: [String: [ParticipantFile]] = [:]
    /// Single files (no identity, no history) by study and subject.
    var singles: [String: ParticipantFile] = [:]

    /// Lists larger than this many values are not kept (a 100,000-participant study is read page by page instead).
    static let maxValues = 200_000
    /// Single files kept at most; the map is emptied when it is full.
    static let maxSingles = 512
}

extension CartaStore {
    /// The cached entry under `key` if the cache was filled at `head`; otherwise empties a stale cache.
    func cached<T>(_ head: Int, _ pick: (FileCache) -> T?) -> T? {
        fileCache.withLock { c in
            if c.head != head {
                c = FileCache(head: head)
                return nil
            }
            return pick(c)
        }
    }

    /// Files `value` under `head` unless the cache has moved on to a newer head meanwhile.
    func remember(_ head: Int, _ put: (inout FileCache) -> Void) {
        fileCache.withLock { c in
            if c.head < head { c = FileCache(head: head) }
            guard c.head == head else { return }
            put(&c)
        }
    }
}
