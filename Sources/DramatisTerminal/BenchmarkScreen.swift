import DramatisTUI

/// The curses screen and renderer the benchmarks draw frames with, the same path as `TerminalApp`'s.
final class BenchmarkScreen {
    private let screen: CursesScreen
    private let renderer = Renderer()
    /// The terminal size frames are rendered at.
    let size: (width: Int, height: Int)

    /// Takes over the terminal (call `end` when done).
    init(environment: [String: String]) throws {
        screen = try CursesScreen(environment: environment)
        size = (screen.size.width, screen.size.height)
    }

    /// Renders `state` to a grid (the pure step).
    func render(_ state: AppState) -> ScreenGrid { renderer.render(state, width: size.width, height: size.height) }

    /// Draws a rendered grid with ncurses, up to and including `wrefresh`.
    func draw(_ grid: ScreenGrid) { screen.draw(grid) }

    /// Gives the terminal back.
    func end() { screen.end() }
}
