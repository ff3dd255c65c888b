import DramatisCore

/// The sampling panel's state (F3 in the chat): one text per setting as typed, the setting being edited, and the
/// target the values go to when applied.
public struct SamplingPanelState: Sendable, Hashable {
    /// What the panel edits.
    public var target: SamplingTarget
    /// The settings in the order shown.
    public static let fields = SamplingField.allCases
    /// Each setting's text as typed (empty: unset, the backend's default), the selected one included.
    public var texts: [SamplingField: String]
    /// The setting being edited.
    public var selected: SamplingField
    /// The selected setting's text and cursor.
    public var editor: InputEditor
    /// Set when Enter or Ctrl-S was refused because a setting is invalid (the panel then says so).
    public var refused = false

    /// A panel showing `parameters`, editing the first setting.
    public init(target: SamplingTarget, parameters: SamplingParameters) {
        self.target = target
        var texts: [SamplingField: String] = [:]
        for field in Self.fields { texts[field] = field.text(in: parameters) }
        self.texts = texts
        selected = Self.fields[0]
        editor = InputEditor(text: texts[Self.fields[0]] ?? "")
    }

    /// The text of a setting as typed (the editor's for the selected one).
    public func text(of field: SamplingField) -> String {
        field == selected ? editor.text : texts[field] ?? ""
    }

    /// What is wrong with a setting's text, if anything (the checks `dramatis personas lint` applies).
    public func problem(of field: SamplingField) -> SamplingValueProblem? {
        var scratch = SamplingParameters()
        return field.read(text(of: field), into: &scratch)
    }

    /// The parameters the texts describe (invalid settings left unset) and every setting's problem, in panel order.
    public func parameters() -> (parameters: SamplingParameters, problems: [SamplingValueProblem]) {
        var parameters = SamplingParameters()
        let problems = Self.fields.compactMap { $0.read(text(of: $0), into: &parameters) }
        return (parameters, problems)
    }

    /// Moves the editor to `field`, keeping the text typed into the one left.
    public mutating func select(_ field: SamplingField) {
        texts[selected] = editor.text
        selected = field
        editor = InputEditor(text: texts[field] ?? "")
    }
}
