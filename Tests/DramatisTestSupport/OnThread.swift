import Foundation

/// Runs blocking test steps (process waits, tmux polling) on a thread of their own.
///
/// Swift's cooperative pool has as many threads as cores (2 here). A test that blocks one of them
/// while a child process runs or a tmux pane is polled starves every other test's async work
/// (stream consumers, timeouts, the Dispatch reads `ProcessRunner` once used) and can deadlock.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
