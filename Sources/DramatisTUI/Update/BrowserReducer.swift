/// The transcript browser's reducer: list keys, Enter to continue a transcript, Ctrl-R to replay it.
enum BrowserReducer {
    /// Performs a key action on the browser; nil when the action does not apply here.
    static func reduce(_ action: KeyAction, _ key: KeyEvent, _ browser: inout BrowserState) -> ScreenResult? {
        if browser.applyListAction(action, key: key) { return ScreenResult.none }
        switch action {
        case .helpUnlessTyping:
            guard browser.filter.isEmpty else { return nil }
            return ScreenResult(transition: .showHelp)
        case .clearFilterOrBack:
            guard browser.filter.isEmpty else {
                browser.filter = ""
                browser.clampSelection()
                return ScreenResult.none
            }
            return ScreenResult(transition: .picker(reload: false))
        case .openTranscript:
            return loadable(browser, verb: "open") { transcript in
                ScreenResult(effects: [.openTranscript(id: transcript.id)], transition: .loading(.openingTranscript(id: transcript.id)))
            }
        case .replayTranscript:
            return loadable(browser, verb: "replay") { transcript in
                ScreenResult(effects: [.startReplay(transcriptID: transcript.id)], notice: .clear,
                             transition: .loading(.replayingTranscript(id: transcript.id, persona: transcript.personaName)))
            }
        default:
            return nil
        }
    }

    /// `use` on the highlighted transcript if it can be loaded; otherwise a notice saying why it cannot be `verb`ed.
    private static func loadable(_ browser: BrowserState, verb: String, _ use: (TranscriptRow) -> ScreenResult) -> ScreenResult {
        guard let transcript = browser.selected else { return ScreenResult.none }
        if let problem = transcript.problem {
            return .notice(.transcriptUnusable(verb: verb, id: transcript.id, problem: problem))
        }
        return use(transcript)
    }

    /// The listing arrived.
    static func loaded(_ transcripts: [TranscriptRow], _ browser: inout BrowserState) {
        browser.transcripts = transcripts
        browser.isLoaded = true
        browser.error = nil
        browser.clampSelection()
    }

    /// Listing failed.
    static func failed(_ message: String, _ browser: inout BrowserState) {
        browser.isLoaded = true
        browser.error = message
    }
}
