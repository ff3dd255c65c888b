/// The persona picker's reducer: list keys, and Enter to start a chat.
enum PickerReducer {
    /// Performs a key action on the picker; nil when the action does not apply here.
    static func reduce(_ action: KeyAction, _ key: KeyEvent, _ picker: inout PickerState) -> ScreenResult? {
        if picker.applyListAction(action, key: key) { return ScreenResult.none }
        switch action {
        case .helpUnlessTyping:
            guard picker.filter.isEmpty else { return nil }
            return ScreenResult(transition: .showHelp)
        case .startChat:
            guard let persona = picker.selected else { return ScreenResult.none }
            guard persona.isValid else {
                return .notice(.personaUnusable(persona: persona.name, problem: persona.problems.first ?? "invalid"))
            }
            return ScreenResult(effects: [.startChat(personaID: persona.id)], notice: .clear,
                                transition: .loading(.startingChat(persona: persona.name)))
        case .openBrowser:
            return ScreenResult(transition: .browser)
        default:
            return nil
        }
    }

    /// The personas arrived.
    static func loaded(_ personas: [PersonaListing], _ picker: inout PickerState) {
        picker.personas = personas
        picker.isLoaded = true
        picker.clampSelection()
    }
}
