import DramatisCore
import DramatisRuntime
import DramatisTUI
import Foundation

/// Input-to-frame latency of the real loop path (reduce → effects on the real runner → render → draw), while
/// the runner's writer records marks in the background.
///
/// Used by `dramatis debug input-latency-bench` (run in tmux by `bench/tui.sh`); nothing here is used by the
/// interactive program.
public enum InputLatencyBenchmark {
    /// What one run measured.
    public struct Result: Sendable {
        /// Seconds from a key's arrival to its frame being on the terminal, for every key that is not a mark.
        public var latencies: [Double]
        /// Marks pressed (each asks the writer for a record).
        public var marks: Int
        /// Records the writer reported durable before the run ended.
        public var recorded: Int
    }

    /// Feeds `keys` one every `pace` seconds into `state`; keys for which `isMark` holds are marks, the
    /// rest are timed. Events the runner posts (records finished) are reduced as they arrive, as the loop does.
    public static func run(state initial: AppState, keys: [KeyEvent], isMark: (KeyEvent) -> Bool, pace: Double,
                           runner: EffectRunner, inbox: EventInbox, environment: [String: String]) throws -> Result {
        var state = initial
        let screen = try BenchmarkScreen(environment: environment)
        defer { screen.end() }
        let clock = ContinuousClock()
        screen.draw(screen.render(state))
        var result = Result(latencies: [], marks: 0, recorded: 0)
        result.latencies.reserveCapacity(keys.count)

        /// Reduces `event` and runs its effects, reducing any events they return at once.
        func handle(_ event: AppEvent) {
            var pending = [event]
            while !pending.isEmpty {
                let next = pending.removeFirst()
                if case .recorded = next { result.recorded += 1 }
                for effect in Reducer.reduce(&state, next, now: Date()) { pending += runner.run(effect, screen: nil) }
            }
        }

        var due = clock.now
        for key in keys {
            // Between keys the loop serves what the writer posted, like the real poll loop.
            while clock.now < due {
                let posted = inbox.drain()
                if posted.isEmpty { Thread.sleep(forTimeInterval: 0.001); continue }
                for event in posted { handle(event) }
                screen.draw(screen.render(state))
            }
            let start = clock.now
            handle(.key(key))
            screen.draw(screen.render(state))
            if isMark(key) { result.marks += 1 } else { result.latencies.append((clock.now - start).inSeconds) }
            due = start + .milliseconds(Int(pace * 1000))
        }
        runner.finishWrites()
        for event in inbox.drain() { handle(event) }
        return result
    }
}
