import DramatisCore

/// The sampling panel's reducer (F3 in the chat), on the chat's state: opening the panel, editing one setting at a
/// time, applying the values to the panel's target, cancelling, and "save to persona".
enum SamplingPanelReducer {
    /// F3: opens the panel on `target`'s current values.
    static func open(_ chat: inout ChatState, target: SamplingTarget = .conversation) -> ScreenResult {
        chat.samplingPanel = SamplingPanelState(target: target, parameters: target.parameters(in: chat))
        return .clearingNotice()
    }

    /// What F3 edits: the conversation's sampling, or in compare mode one source's (the source of the compare reply
    /// under the message cursor, else source A).
    static func defaultTarget(_ chat: ChatState) -> SamplingTarget {
        guard let setup = chat.compare, let first = setup.sources.first else { return .conversation }
        if let selected = chat.selectedTurn, let user = chat.conversation.compareParent(of: selected),
           let side = chat.conversation[user].compare?.side(of: selected), setup.sources.contains(where: { $0.letter == side.source }) {
            return .compareSource(side.source)
        }
        return .compareSource(first.letter)
    }

    /// Performs a key action while the panel is open; nil when the action does not apply to it.
    static func reduce(_ action: KeyAction, _ key: KeyEvent, _ chat: inout ChatState) -> ScreenResult? {
        guard var panel = chat.samplingPanel else { return nil }
        let fields = SamplingPanelState.fields
        let index = fields.firstIndex(of: panel.selected) ?? 0
        switch action {
        case .samplingPreviousField: panel.select(fields[(index + fields.count - 1) % fields.count])
        case .samplingNextField: panel.select(fields[(index + 1) % fields.count])
        case .clearSamplingField: panel.editor.setText("")
        case .insertText:
            switch key {
            // A value is one line: a pasted line break becomes a space (a stop sequence spells it \n).
            case .character(let character): panel.editor.insert(String(character))
            case .paste(let text): panel.editor.insert(text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
            default: return nil
            }
        case .deleteBackward: panel.editor.deleteBackward()
        case .deleteForward: panel.editor.deleteForward()
        case .characterBack: panel.editor.moveLeft()
        case .characterForward: panel.editor.moveRight()
        case .lineStart: panel.editor.moveToLineStart()
        case .lineEnd: panel.editor.moveToLineEnd()
        case .samplingNextSide, .samplingPreviousSide:
            guard let other = panel.target.otherSide(action == .samplingNextSide ? 1 : -1, in: chat) else {
                return .notice(.samplingNoOtherSide)
            }
            // Values typed but not applied would be lost by switching: the panel says so and stays.
            let (typed, problems) = panel.parameters()
            if !problems.isEmpty || typed != panel.target.parameters(in: chat) { return .notice(.samplingSideNotApplied) }
            chat.samplingPanel = SamplingPanelState(target: other, parameters: other.parameters(in: chat))
            return .clearingNotice()
        case .cancelSampling:
            chat.samplingPanel = nil
            return .clearingNotice()
        case .applySampling, .saveSamplingToPersona:
            let (parameters, problems) = panel.parameters()
            if let problem = problems.first {
                // The first invalid setting is selected; the panel shows its message under it.
                panel.select(problem.field)
                panel.refused = true
                chat.samplingPanel = panel
                return .notice(.samplingInvalid(problem: problem.description))
            }
            panel.target.store(parameters, in: &chat)
            chat.samplingPanel = nil
            guard action == .saveSamplingToPersona else {
                if case .compareSource(let letter) = panel.target {
                    return .notice(.samplingAppliedToSource(letter: letter, summary: parameters.summary))
                }
                return .notice(.samplingApplied(summary: parameters.summary))
            }
            let persona = panel.target.persona(in: chat)
            return ScreenResult(effects: [.savePersonaSampling(personaID: persona.id, sampling: parameters)],
                                notice: .show(.savingSamplingToPersona(persona: persona.name)))
        default:
            return nil
        }
        // Once every setting is valid again, the refusal is over.
        if panel.parameters().problems.isEmpty { panel.refused = false }
        chat.samplingPanel = panel
        return ScreenResult.none
    }

    /// What "save to persona" reports, as the notice line says it.
    static func saved(_ outcome: PersonaSamplingSaver.Outcome) -> NoticeMessage {
        switch outcome {
        case .saved(let file, let changed): .samplingSavedToPersona(file: file, keys: changed)
        case .unchanged(let file): .samplingAlreadyInPersona(file: file)
        case .noFile(let personaID): .personaHasNoFile(personaID: personaID)
        }
    }
}
