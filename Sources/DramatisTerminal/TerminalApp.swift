import DramatisCore
import DramatisRuntime
import DramatisTUI
import Foundation
import Glibc

/// Runs the TUI: one thread owns curses and loops on `poll()` over stdin and the inbox's pipe,
/// decodes keys, reduces events, runs effects and draws a frame when something changed.
public final class TerminalApp: @unchecked Sendable {
    // @unchecked: every mutable field is touched only by the one UI thread started in `run()`;
    // the caller only waits for that thread to finish.
    private let services: any ChatServices
    private let environment: [String: String]
    private var state: AppState
    private let initialEffects: [Effect]

    /// - Parameters:
    ///   - initialState: usually the picker (or `.loading` with `--persona`).
    ///   - initialEffects: e.g. `[.loadPersonas]` or `[.loadPersonas, .startChat(personaID:)]`.
    public init(services: any ChatServices, initialState: AppState, initialEffects: [Effect],
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.services = services
        self.state = initialState
        self.initialEffects = initialEffects
        self.environment = environment
    }

    /// Runs the loop on a dedicated thread until the user quits; returns the final state.
    /// Calls `services.shutdown()` afterwards.
    public func run() async throws -> AppState {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let result: Result<AppState, any Error> = await withCheckedContinuation { continuation in
            // A dedicated thread, not a task: the loop blocks in poll() and must not occupy the
            // cooperative pool the backend streams run on.
            let thread = Thread { [self] in
                continuation.resume(returning: Result { try self.loop() })
            }
            thread.name = "dramatis-ui"
            thread.start()
        }
        await services.shutdown()
        return try result.get()
    }

    private func loop() throws -> AppState {
        let inbox = try EventInbox()
        let screen = try CursesScreen(environment: environment)
        defer { screen.end() }
        let runner = EffectRunner(services: services, inbox: inbox, environment: environment)
        defer { runner.cancelAll() }
        // Every record asked for (the last one on quit) is durable before the loop returns.
        defer { runner.finishWrites() }
        let renderer = Renderer()
        var decoder = KeyDecoder()
        // The reducer learns the size it is drawn at (help scrolling stops at the last line); later sizes come with
        // KEY_RESIZE.
        var pending: [AppEvent] = [.resize(width: screen.size.width, height: screen.size.height)]
        for effect in initialEffects { pending += runner.run(effect, screen: screen) }
        var dirty = true
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)]

        while true {
            // Reduce everything queued; effects may yield more events at once (e.g. `.recorded`).
            while !pending.isEmpty {
                let event = pending.removeFirst()
                let effects = Reducer.reduce(&state, event, now: Date())
                for effect in effects { pending += runner.run(effect, screen: screen) }
                // A measurement only lets later scrolling clamp; the frame it came from is already right.
                if case .transcriptMeasured = event { continue }
                dirty = true
            }
            if runner.quitRequested { return state }
            if dirty {
                let size = screen.size
                let grid = renderer.render(state, width: size.width, height: size.height)
                screen.draw(grid)
                dirty = false
                if let measured = renderer.lastMaxScroll, let chat = state.chat, state.screen == .chat,
                   chat.maxScroll != measured {
                    pending.append(.transcriptMeasured(maxScroll: measured))
                    continue
                }
            }
            // A paste in progress keeps waiting for its end marker; otherwise block until input or an event.
            // SIGWINCH may be delivered to another thread, so poll cannot rely on EINTR: wake every
            // 200 ms and let wget_wch report KEY_RESIZE (ncurses' handler only sets a flag).
            let ready = poll(&descriptors, 2, 200)
            if ready < 0 && errno != EINTR { throw TerminalError.system("poll", errno) }
            var keys: [RawInput] = []
            for input in screen.readInputs() {
                if input == .special(.resize) {
                    screen.invalidate()
                    let size = screen.size
                    pending.append(.resize(width: size.width, height: size.height))
                } else {
                    keys.append(input)
                }
            }
            pending += decoder.decode(keys).map(AppEvent.key)
            pending += inbox.drain()
            if ready < 0 { dirty = true }   // EINTR: ncurses may have resized; repaint
            if ready > 0 && descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away (window closed, tmux killed): quit the normal way, so the
                // reducer stops any stream and the conversation is saved.
                pending.append(.key(.control("q")))
            }
        }
    }
}
