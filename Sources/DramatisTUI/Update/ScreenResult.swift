/// What a screen's reducer hands back to the app reducer besides the change to its own state: the effects
/// to run, a change to the notice line, and a move to another screen (which only the app reducer makes).
struct ScreenResult: Equatable {
    var effects: [Effect] = []
    /// nil leaves the notice line as it is.
    var notice: NoticeUpdate?
    var transition: ScreenTransition?

    /// Nothing beyond the screen's own state.
    static let none = ScreenResult()

    /// Effects to run, nothing else.
    static func effects(_ effects: [Effect]) -> ScreenResult { ScreenResult(effects: effects) }

    /// A notice and nothing else.
    static func notice(_ message: NoticeMessage) -> ScreenResult { ScreenResult(notice: .show(message)) }

    /// Clears the notice line and runs `effects`.
    static func clearingNotice(_ effects: [Effect] = []) -> ScreenResult { ScreenResult(effects: effects, notice: .clear) }
}

/// A change to the notice line.
enum NoticeUpdate: Equatable {
    case clear
    case show(NoticeMessage)
}

/// A move the app reducer makes on a screen's behalf.
enum ScreenTransition: Equatable {
    /// Open the help overlay.
    case showHelp
    /// Back to the persona picker (and reload the personas when `reload`).
    case picker(reload: Bool)
    /// The transcript browser, freshly listed.
    case browser
    /// A wait with this message while an effect starts a chat.
    case loading(NoticeMessage)
}
