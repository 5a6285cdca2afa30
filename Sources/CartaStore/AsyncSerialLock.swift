import CartaModel
import Foundation

/// A FIFO async mutex: at most one `run` body executes at a time, across suspension points.
///
/// Source: notes/stack.md pitfall 7 ("on SQLite serialize writes through one owner"). An actor alone is
/// not enough because actor methods are re-entrant at every `await`; a transaction must not interleave
/// with another statement on the same SQLite connection.
final class AsyncSerialLock: Sendable {
    private let state = Mutex()

    /// Runs `body` once every earlier caller has finished.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if state.withLock({ s -> Bool in
                if s.locked { s.waiters.append(continuation); return false }
                s.locked = true
                return true
            }) {
                continuation.resume()
            }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.locked = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }

    /// The lock's state guarded by an `NSLock`.
    // @unchecked Sendable: every access to `value` goes through `lock`.
    private final class Mutex: @unchecked Sendable {
        struct State {
            var locked = false
            var waiters: [CheckedContinuation<Void, Never>] = []
        }
        private let lock = NSLock()
        private var value = State()
        func withLock<R>(_ body: (inout State) -> R) -> R {
            lock.lock()
            defer { lock.unlock() }
            return body(&value)
        }
    }
}
