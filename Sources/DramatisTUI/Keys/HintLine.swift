import DramatisCore

/// The bottom line's key hints, generated from the key table and shortened to the width by priority.
public enum HintLine {
    /// The separator between hints.
    static let separator = " · "

    /// The hints of a mode, in table order: `(text, priority)`.
    public static func items(for mode: HintMode) -> [(text: String, priority: Int)] {
        KeyBindings.table.compactMap { binding in
            guard let hint = binding.hint, hint.modes.contains(mode) else { return nil }
            let keys = hint.keys ?? binding.keys.first?.label ?? ""
            return (keys + " " + hint.label, hint.priority)
        }
    }

    /// The line for a mode within `columns`: while it is too wide, the hint with the highest priority number
    /// (the later one among equals) goes and an `…` stands before the last hint kept, so the most important
    /// ones — `F1 help` always — stay visible. Returned unclipped only when a single hint is still too wide.
    public static func text(for mode: HintMode, columns: Int) -> String {
        var kept = items(for: mode)
        var dropped = false
        func line() -> String {
            var texts = kept.map(\.text)
            if dropped, !texts.isEmpty { texts.insert("…", at: texts.count - 1) }
            return texts.joined(separator: separator)
        }
        while DisplayWidth.columns(line()) > columns && kept.count > 1 {
            let worst = kept.indices.max { a, b in
                kept[a].priority != kept[b].priority ? kept[a].priority < kept[b].priority : a < b
            }!
            kept.remove(at: worst)
            dropped = true
        }
        return line()
    }
}
