import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its stdin/stdout/stderr as pipes.
///
/// The tests do not use Foundation's `Process` on Linux: its `run()` lists `/proc/self/fd` in
/// `findMaximumOpenFromProcSelfFD` and crashed there ("bad pointer dereference" inside memcpy) in about
/// one full run in two once the suite held more open descriptors (reader connections per test database).
/// Pipes are created close-on-exec, so only the child's own three descriptors cross into it.
final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `pid` and the handles are set once in init; `status` is guarded by `lock`.
    let pid: pid_t
    let stdin: FileHandle
    let stdout: FileHandle
    let stderr: FileHandle
    private let lock = NSLock()
    private var status: Int32?

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        func pipePair() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
            // Close-on-exec, so other children spawned meanwhile do not hold our pipe ends open.
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        let input = try pipePair(), output = try pipePair(), errors = try pipePair()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(input.read)
        close(output.write)
        close(errors.write)
        guard rc == 0 else {
            close(input.write); close(output.read); close(errors.read)
            throw SpawnError(description: "posix_spawn \(executable) failed: \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        stdin = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        stdout = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        stderr = FileHandle(fileDescriptor: errors.read, closeOnDealloc: true)
    }

    /// Whether the child has not exited yet (reaps it if it has).
    var isRunning: Bool {
        lock.withLock {
            if status != nil { return false }
            var raw: Int32 = 0
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { status = Self.decode(raw); return false }
            return r == 0
        }
    }

    /// Waits for the child and returns its exit status (128 + signal when killed by a signal).
    @discardableResult
    func waitForExit() -> Int32 {
        if let s = lock.withLock({ status }) { return s }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        return lock.withLock {
            if status == nil { status = Self.decode(raw) }
            return status!
        }
    }

    /// Sends SIGTERM.
    func terminate() { kill(pid, SIGTERM) }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
