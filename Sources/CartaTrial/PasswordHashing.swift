import Dispatch
import Foundation
import HummingbirdBcrypt
import Synchronization

/// Runs bcrypt checks off Swift's cooperative thread pool, at most `limit` at a time, so that a burst of
/// sign-ins (or a password-guessing attack) queues for the hashing threads instead of occupying every
/// thread that serves requests.
///
/// Source: issue 7 ("16 parallel wrong sign-ins make /healthz take 14 s (password hashing on the request
/// path, unbounded)"); Swift concurrency requires that tasks on the cooperative pool never block for long
/// (SE-0296, "Swift concurrency: behind the scenes", WWDC21). On this 2-core machine one core hashes and one
/// keeps answering requests.
public final class PasswordHashing: Sendable {
    /// Shared by every `AccountService` of the process: the limit is per machine, not per service.
    public static let shared = PasswordHashing(limit: max(1, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// How many bcrypt checks may run at once.
    public let limit: Int
    private let queue = DispatchQueue(label: "carta.password-hashing", attributes: .concurrent)
    private let slots: DispatchSemaphore
    /// Checks running now, and the most that ever ran at once (what the limit promises, observable).
    private let running = Mutex<(now: Int, most: Int)>((0, 0))

    /// The most bcrypt checks that have run at the same time since this instance was made.
    public var mostAtOnce: Int { running.withLock { $0.most } }

    public init(limit: Int) {
        self.limit = max(1, limit)
        self.slots = DispatchSemaphore(value: self.limit)
    }

    /// `Bcrypt.verify(password, hash:)` on a hashing thread; the caller's task suspends meanwhile.
    public func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            queue.async { [slots, self] in
                // Blocks a Dispatch thread, never a cooperative one.
                slots.wait()
                self.running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                let ok = Bcrypt.verify(password, hash: hash)
                self.running.withLock { $0.now -= 1 }
                slots.signal()
                continuation.resume(returning: ok)
            }
        }
    }
}
