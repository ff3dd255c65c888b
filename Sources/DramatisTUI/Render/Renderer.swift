import DramatisCore

/// Draws an `AppState` into a `ScreenGrid`: `render(state, size) → grid`.
///
/// The output depends only on the state and the size. The renderer keeps a cache of wrapped
/// message bodies per turn (keyed by text length and width), so a frame costs what is visible,
/// not the length of the transcript. Use one renderer per screen, from one thread.
public final class Renderer {
    /// Smallest usable terminal; below it a "too small" screen is drawn.
    public static let minimumWidth = 30
    public static let minimumHeight = 8

    struct CachedBody {
        var textLength: Int
        var width: Int
        var lines: [String]
    }

    var bodyCache: [TurnID: CachedBody] = [:]
    /// Heights of finished path entries by turn id (ids are dense, so an array; 0 = not known), valid for
    /// `blockHeightsWidth`. A finished message never changes its text (an edit is a new turn), so only the
    /// entry still streaming is measured each frame and a frame's cost does not grow with the transcript.
    var blockHeights: [Int32] = []
    var blockHeightsWidth = 0
    /// Running heights of the active branch for the last frame's path and width (see `TranscriptLayout`).
    var transcriptLayout: TranscriptLayout?
    var cachedConversationID: String?
    /// Whether the cached heights were measured with reasoning blocks expanded.
    var cachedShowsReasoning = false
    /// Whether replies show their reasoning expanded (set from the chat state at each frame).
    var showsReasoning = false
    /// Whether the cached heights were measured with each reply's sampling line shown.
    var cachedShowsReplySampling = false
    /// Whether each reply shows the sampling it was requested with (F4; set from the chat state at each frame).
    var showsReplySampling = false
    /// How many message bodies were wrapped (not served from the cache); for tests and benchmarks.
    public internal(set) var wrapCount = 0
    /// How many path entries had their height measured (not served from `blockHeights`); for tests.
    public internal(set) var measureCount = 0

    /// How far the chat transcript could scroll in the last frame (see `AppEvent.transcriptMeasured`).
    public internal(set) var lastMaxScroll: Int?

    public init() {}

    /// Renders one frame.
    public func render(_ state: AppState, width: Int, height: Int) -> ScreenGrid {
        var grid = ScreenGrid(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            drawTooSmall(&grid)
            return grid
        }
        switch state.screen {
        case .picker: drawPicker(state, into: &grid)
        case .browser: drawBrowser(state, into: &grid)
        case .dataset: drawDataset(state, into: &grid)
        case .reviewQueue: drawReviewQueue(state, into: &grid)
        case .loading(let message): drawLoading(message, into: &grid)
        case .chat:
            if let chat = state.chat {
                drawChat(chat, state: state, into: &grid)
                if let panel = chat.samplingPanel {
                    drawSamplingPanel(panel, title: panel.target.title(in: chat), persona: panel.target.persona(in: chat).name, into: &grid)
                }
            } else {
                drawLoading("No conversation", into: &grid)
            }
        }
        if let panel = state.compareSetupPanel, state.screen == .chat || state.screen == .picker {
            drawCompareSetupPanel(panel, into: &grid)
        }
        drawHints(HintLine.text(for: HintMode.of(state), columns: width - 1), into: &grid)
        if state.showHelp {
            drawHelp(KeyHelp.sections(for: state.screen), scroll: state.helpScroll, into: &grid)
            grid.cursor = nil
        }
        return grid
    }

    /// A one-off render with a fresh cache (for tests and snapshots).
    public static func render(_ state: AppState, width: Int, height: Int) -> ScreenGrid {
        Renderer().render(state, width: width, height: height)
    }

    // MARK: Shared pieces

    func drawTooSmall(_ grid: inout ScreenGrid) {
        let message = "Terminal too small: need \(Self.minimumWidth)x\(Self.minimumHeight), have \(grid.width)x\(grid.height)"
        let lines = TextWrapper.wrap(message, width: max(1, grid.width))
        let top = max(0, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.write(line, row: top + index, column: max(0, (grid.width - DisplayWidth.columns(line)) / 2))
        }
    }

    func drawLoading(_ message: String, into grid: inout ScreenGrid) {
        drawTitleBar("Dramatis", right: "", into: &grid)
        let lines = TextWrapper.wrap(TerminalSanitizer.sanitize(message), width: grid.width - 4)
        let top = max(1, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.write(line, row: top + index, column: max(0, (grid.width - DisplayWidth.columns(line)) / 2))
        }
    }

    /// Reverse-video bar on row 0 with text on the left and right.
    func drawTitleBar(_ left: String, right: String, into grid: inout ScreenGrid) {
        grid.fill(row: 0, style: Theme.titleBar)
        let rightColumns = DisplayWidth.columns(right)
        grid.write(" " + left, row: 0, column: 0, style: Theme.titleBar, maxColumns: grid.width - rightColumns - 2)
        grid.write(right, row: 0, column: grid.width - rightColumns - 1, style: Theme.titleBar)
    }

    /// Dim key hints on the last row (see `HintLine`).
    func drawHints(_ hints: String, into grid: inout ScreenGrid) {
        grid.write(" " + hints, row: grid.height - 1, column: 0, style: Theme.hint)
    }

    /// Pads or clips text to exactly `columns` columns (a clipped text ends in `…`).
    static func fit(_ text: String, _ columns: Int) -> String {
        guard columns > 0 else { return "" }
        let total = DisplayWidth.columns(text)
        if total <= columns { return text + String(repeating: " ", count: columns - total) }
        var result = ""
        var used = 0
        for character in text {
            let width = DisplayWidth.columns(character)
            if used + width > columns - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…" + String(repeating: " ", count: max(0, columns - 1 - used))
    }

    /// Text made safe and single-line for labels and list rows.
    static func oneLine(_ text: String) -> String {
        TerminalSanitizer.sanitize(text).replacingTabs()
            .split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
