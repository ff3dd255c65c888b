import DramatisCore

/// A piece of text that occupies one screen cell position: one spacing scalar plus the
/// zero-width scalars that follow it, with its width in columns (1 or 2).
///
/// ncurses places every spacing scalar by its own `wcwidth`, so a grapheme cluster such as a
/// ZWJ emoji family (three width-2 scalars) takes 6 columns; splitting clusters this way keeps
/// our layout and the terminal's cursor in step.
public struct CellCluster: Sendable, Hashable {
    public var text: Character
    public var columns: Int

    /// Splits a character into cell clusters; zero-width-only characters yield nothing.
    public static func split(_ character: Character) -> [CellCluster] {
        let scalars = character.unicodeScalars
        if scalars.count == 1 {
            let columns = DisplayWidth.columns(scalars.first!)
            return columns == 0 ? [] : [CellCluster(text: character, columns: columns)]
        }
        var clusters: [CellCluster] = []
        var pending = String.UnicodeScalarView()
        var pendingColumns = 0
        for scalar in scalars {
            let columns = DisplayWidth.columns(scalar)
            if columns > 0 && pendingColumns > 0 {
                clusters.append(CellCluster(text: Character(String(pending)), columns: pendingColumns))
                pending = String.UnicodeScalarView()
                pendingColumns = 0
            }
            if columns == 0 && pendingColumns == 0 { continue }   // zero-width with no base: dropped
            pending.append(scalar)
            pendingColumns += columns
        }
        if pendingColumns > 0 {
            // A run of scalars inside one Character may not re-form a single Character on its own
            // (e.g. base + ZWJ); String grouping is only used for storage, so this is safe.
            clusters.append(CellCluster(text: Character(String(pending)), columns: pendingColumns))
        }
        return clusters
    }
}
