import DramatisCore
import DramatisTUI
import Foundation

/// Per-frame timings of the real frame path, measured on the terminal it runs in.
public struct FrameTimings: Sendable {
    /// Terminal size the frames were drawn at.
    public var width: Int
    public var height: Int
    /// Seconds for the first frame (cold caches: every visible message wrapped for the first time).
    public var firstFrame: Double
    /// Seconds per frame spent reducing the event and rendering the grid (pure code).
    public var render: [Double]
    /// Seconds per frame spent drawing the grid with ncurses, up to and including `wrefresh`.
    public var draw: [Double]
}

/// Drives the same reduce → render → draw path as `TerminalApp`, one event per frame, and times it.
///
/// Used by `dramatis debug frame-bench` (run in tmux by `bench/tui.sh`) to compare frames with a short
/// and a very long transcript; nothing here is used by the interactive program.
public enum FrameBenchmark {
    /// Draws `frames` frames; before each, `event(i)` is reduced into `state` (e.g. a streamed token).
    public static func run(state initial: AppState, frames: Int, environment: [String: String],
                           event: (Int) -> AppEvent) throws -> FrameTimings {
        var state = initial
        let screen = try BenchmarkScreen(environment: environment)
        defer { screen.end() }
        let clock = ContinuousClock()
        let start = clock.now
        screen.draw(screen.render(state))
        let firstFrame = (clock.now - start).inSeconds
        var render: [Double] = []
        var draw: [Double] = []
        render.reserveCapacity(frames)
        draw.reserveCapacity(frames)
        for index in 0..<frames {
            let t0 = clock.now
            _ = Reducer.reduce(&state, event(index), now: Date())
            let grid = screen.render(state)
            let t1 = clock.now
            screen.draw(grid)
            let t2 = clock.now
            render.append((t1 - t0).inSeconds)
            draw.append((t2 - t1).inSeconds)
        }
        return FrameTimings(width: screen.size.width, height: screen.size.height, firstFrame: firstFrame, render: render, draw: draw)
    }
}
