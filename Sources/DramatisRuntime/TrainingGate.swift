import DramatisTUI
import Foundation
import Synchronization

/// The trainer's pause rule: stopped (SIGSTOP) while any reply streams, continued (SIGCONT) when none does, because
/// two processes spinning on 2 cores slow each other badly. Streams and the trainer come and go on any thread.
final class TrainingGate: Sendable {
    private struct State {
        var streams = 0
        var control: TrainingControl?
        var paused = false
    }
    private let state = Mutex(State())
    /// Tells the UI when the trainer stops or continues.
    private let announce: @Sendable (Bool) -> Void

    init(announce: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.announce = announce
    }

    /// A reply began streaming.
    func streamStarted() { update { $0.streams += 1 } }

    /// A reply stopped streaming (finished, failed or cancelled).
    func streamEnded() { update { $0.streams = max(0, $0.streams - 1) } }

    /// The trainer runs; it is stopped at once if a reply streams.
    func attach(_ control: TrainingControl) { update { $0.control = control } }

    /// The trainer ended or was cancelled: a stopped one is continued (so that it can exit) and forgotten; the
    /// count of streaming replies stays as it is for the next trainer.
    /// With `id`, only that trainer's handles are let go (a run that ends after a newer one started leaves it be).
    func detach(_ id: UUID? = nil) {
        let resume: (@Sendable () -> Void)? = state.withLock { state in
            if let id, state.control?.id != id { return nil }
            defer { state.control = nil; state.paused = false }
            return state.paused ? state.control?.resume : nil
        }
        if let resume {
            resume()
            announce(false)
        }
    }

    /// Applies `change`, then pauses or resumes the trainer so that it runs exactly when no reply streams.
    private func update(_ change: (inout State) -> Void) {
        let action: (@Sendable () -> Void, Bool)? = state.withLock { state in
            change(&state)
            guard let control = state.control else { return nil }
            let shouldPause = state.streams > 0
            guard shouldPause != state.paused else { return nil }
            state.paused = shouldPause
            return (shouldPause ? control.pause : control.resume, shouldPause)
        }
        if let (signal, paused) = action {
            signal()
            announce(paused)
        }
    }
}
