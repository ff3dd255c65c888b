import DramatisBackends

/// Training fine-tunes the local model only: what `dramatis train` and F5 in the chat say for a persona whose backend
/// is another kind.
enum LocalTrainingRefusal {
    /// The refusal for persona `persona` talking to `settings`, or nil when that is the local model.
    static func message(persona: String, settings: BackendSettings) -> String? {
        guard settings.kind != .local else { return nil }
        return "persona \(persona) talks to backend '\(settings.name)' (\(settings.kind.rawValue)); dramatis train fine-tunes only "
            + "the local model. Export the data for Azure OpenAI or another hosted trainer instead "
            + "(`dramatis export --format openai`); OpenAI's self-serve fine-tuning is being wound down."
    }
}
