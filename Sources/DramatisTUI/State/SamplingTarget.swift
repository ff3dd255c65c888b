import DramatisCore

/// What the sampling panel edits: a `SamplingParameters` value somewhere in the chat, and the persona whose file
/// "save to persona" writes it into: the conversation's sampling, or one compare source's.
public enum SamplingTarget: Sendable, Hashable {
    /// The conversation's sampling: what its next replies are requested with.
    case conversation
    /// The sampling of the compare source with this letter ("A"…"D"): what its side of the next round is
    /// requested with. Source A is the chat's own source, so its sampling is also the conversation's.
    case compareSource(String)

    /// The panel's title for it, e.g. "Sampling for compare source B · bob · t=0.9".
    public func title(in chat: ChatState) -> String {
        switch self {
        case .conversation: return "Sampling for this conversation"
        case .compareSource(let letter):
            guard let source = Self.source(letter, in: chat) else { return "Sampling for compare source \(letter)" }
            // Blind mode hides which source is which until a decision: the title names the letter only.
            if chat.compare?.blind == true { return "Sampling for compare source \(letter) (blind)" }
            return "Sampling for compare source \(letter) · \(source.name)"
        }
    }

    /// The parameters it holds now.
    public func parameters(in chat: ChatState) -> SamplingParameters {
        switch self {
        case .conversation: chat.conversation.sampling
        case .compareSource(let letter): Self.source(letter, in: chat)?.sampling ?? chat.conversation.sampling
        }
    }

    /// Stores `parameters` into it (the next reply it requests uses and records them).
    public func store(_ parameters: SamplingParameters, in chat: inout ChatState) {
        switch self {
        case .conversation: chat.conversation.sampling = parameters
        case .compareSource(let letter):
            guard let index = chat.compare?.sources.firstIndex(where: { $0.letter == letter }) else { return }
            chat.compare?.sources[index].sampling = parameters
            if letter == "A" { chat.conversation.sampling = parameters }
        }
    }

    /// The persona whose file "save to persona" writes into.
    public func persona(in chat: ChatState) -> Persona {
        switch self {
        case .conversation: chat.conversation.persona
        case .compareSource(let letter): Self.source(letter, in: chat)?.persona ?? chat.conversation.persona
        }
    }

    /// The target the panel's side key moves to: the next (`step` 1) or previous (-1) compare source, in letter
    /// order and wrapping; nil outside compare mode.
    public func otherSide(_ step: Int, in chat: ChatState) -> SamplingTarget? {
        guard let sources = chat.compare?.sources, sources.count > 1 else { return nil }
        let current: Int = switch self {
        case .conversation: 0
        case .compareSource(let letter): sources.firstIndex { $0.letter == letter } ?? 0
        }
        return .compareSource(sources[(current + step + sources.count) % sources.count].letter)
    }

    /// The compare source with `letter` in the chat's compare setup.
    private static func source(_ letter: String, in chat: ChatState) -> CompareSource? {
        chat.compare?.sources.first { $0.letter == letter }
    }
}
