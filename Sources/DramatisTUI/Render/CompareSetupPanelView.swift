import DramatisCore

extension Renderer {
    /// The compare setup panel (F8): a framed box over the chat or the picker, one row per choice (the source's letter,
    /// the name, the value; ◀ ▶ around the selected choice), the selected row's problem (or the first one) below.
    func drawCompareSetupPanel(_ panel: CompareSetupPanelState, into grid: inout ScreenGrid) {
        let fields = panel.fields
        // The screen below keeps no cursor: only a text row being edited shows one.
        grid.cursor = nil
        let boxWidth = min(grid.width, 84)
        // Title border, the info line, the rows, the message line, the bottom border.
        let wanted = fields.count + 4
        let boxHeight = min(wanted, grid.height - 4)
        guard boxWidth >= 24, boxHeight >= 3 else { return }
        let roomy = boxHeight >= wanted
        let top = 1, left = (grid.width - boxWidth) / 2
        Self.drawFrame(top: top, left: left, width: boxWidth, height: boxHeight, into: &grid)
        let title = panel.origin == .chat ? "Compare setup for this chat" : "Compare setup for the chat Enter opens"
        grid.write(" " + title + " ", row: top, column: left + 2, style: Theme.heading, maxColumns: boxWidth - 4)

        let inner = left + 2
        let innerWidth = boxWidth - 4
        var row = top + 1
        let lastRow = top + boxHeight - 2
        if roomy {
            let info = panel.options == nil ? "Listing personas, backends and runs…" : "←→ changes a choice · type into model, temperature, seed · empty = default"
            grid.write(info, row: row, column: inner, style: Theme.dim, maxColumns: innerWidth)
            row += 1
        }
        // On a short screen: as many rows as fit around the selected one, then the message line.
        let fieldRows = max(1, lastRow - row)
        let selectedIndex = fields.firstIndex(of: panel.selected) ?? 0
        let firstField = max(0, min(selectedIndex - fieldRows / 2, fields.count - fieldRows))
        let sources = panel.committedSources
        let nameWidth = 14
        let valueWidth = max(4, innerWidth - 2 - nameWidth)
        for field in fields[firstField..<min(fields.count, firstField + fieldRows)] {
            guard row < lastRow else { break }
            let isSelected = field == panel.selected
            let problem = panel.problem(of: field)
            var column = grid.write(isSelected ? "▶ " : "  ", row: row, column: inner, style: isSelected ? Theme.key : Theme.body)
            let letter = field.sourceIndex.map { panel.twoSources ? CompareRound.paneLetter($0) + " " : "" } ?? ""
            column = grid.write(Self.fit(letter + field.label, nameWidth), row: row, column: column,
                                style: isSelected ? Theme.selectedLabel : Theme.body)
            if isSelected, field.isText {
                let (visible, cursorColumn) = Self.fieldWindow(panel.editor.text, cursor: panel.editor.cursor, width: valueWidth)
                grid.fill(row: row, from: column, to: column + valueWidth, style: Theme.selectedRow)
                grid.write(visible, row: row, column: column, style: problem == nil ? Theme.selectedRow : Theme.error, maxColumns: valueWidth)
                grid.cursor = CursorPosition(row: row, column: column + cursorColumn)
            } else {
                let (text, isDefault) = Self.compareSetupValue(field, panel: panel, sources: sources)
                let shown = isSelected && !field.isText ? "◀ " + text + " ▶" : text
                let style = problem != nil ? Theme.error : isSelected ? Theme.selectedRow : isDefault ? Theme.dim : Theme.body
                grid.write(Self.fit(Self.oneLine(shown), valueWidth), row: row, column: column, style: style)
            }
            row += 1
        }
        row = lastRow
        let problem = panel.problem(of: panel.selected) ?? panel.problems.first?.message
        if let problem {
            grid.write("! " + Self.oneLine(problem.text), row: row, column: inner, style: Theme.error, maxColumns: innerWidth)
        } else {
            let keys = panel.origin == .chat ? "Enter turns compare on with these sources · Esc leaves unchanged"
                : "Enter opens the chat comparing these sources · Esc leaves unchanged"
            grid.write(keys, row: row, column: inner, style: Theme.dim, maxColumns: innerWidth)
        }
    }

    /// A row's value as the panel shows it, and whether it is a default (drawn dim).
    static func compareSetupValue(_ field: CompareSetupField, panel: CompareSetupPanelState,
                                  sources: [CompareSourceDraft]) -> (text: String, isDefault: Bool) {
        switch field {
        case .mode:
            return (panel.twoSources ? "two sources, A and B" : "candidates from one source", false)
        case .candidates:
            return ("\(panel.candidateCount)", false)
        case .blind:
            return (panel.blind ? "on: names hidden, panes shuffled until you decide" : "off", !panel.blind)
        case .teacher:
            guard let teacher = panel.teacher else { return ("none", true) }
            let student = teacher == "A" ? "B" : "A"
            return ("\(teacher) (its good replies also train \(student)'s persona)", false)
        case .persona(let index):
            let id = sources[index].personaID
            guard let persona = panel.persona(id) else { return (id, false) }
            return (persona.name == persona.id ? persona.id : "\(persona.name) (\(persona.id))", false)
        case .backend(let index):
            guard let name = sources[index].backend else {
                let own = panel.backend(of: sources[index]).map { " (\($0.name))" } ?? ""
                return ("the chat's" + own, true)
            }
            return (panel.options?.backend(named: name).map { "\(name) · \($0.kind)" } ?? name, false)
        case .model(let index):
            return sources[index].model.isEmpty ? ("the backend's", true) : (sources[index].model, false)
        case .temperature(let index):
            return sources[index].temperature.isEmpty ? ("default", true) : (sources[index].temperature, false)
        case .seed(let index):
            let seed = sources[index].seed
            guard !panel.twoSources else { return seed.isEmpty ? ("default", true) : (seed, false) }
            // Candidates take the next seed each (from 0 when unset).
            return (seed.isEmpty ? "0, then the next one per candidate" : "\(seed), then the next one per candidate", seed.isEmpty)
        case .adapter(let index):
            switch sources[index].adapter {
            case .asChat: return ("as the chat", true)
            case .base: return ("base (no adapter)", false)
            case .tuned(let run): return ("tuned \(run)", false)
            }
        }
    }
}
