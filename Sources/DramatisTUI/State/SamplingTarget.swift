import DramatisCore

/// What the sampling panel edits: a `SamplingParameters` value somewhere in the chat, and the persona whose file
/// "save to persona" writes it into. Today the conversation's sampling; a compare mode adds one case per side.
public enum SamplingTarget: Sendable, Hashable {
    /// The conversation's sampling: what its next replies are requested with.
    case conversation

    /// The panel's title for it.
    public var title: String {
        switch self {
        case .conversation: "Sampling for this conversation"
        }
    }

    /// The parameters it holds now.
    public func parameters(in chat: ChatState) -> SamplingParameters {
        switch self {
        case .conversation: chat.conversation.sampling
        }
    }

    /// Stores `parameters` into it (the next reply it requests uses and records them).
    public func store(_ parameters: SamplingParameters, in chat: inout ChatState) {
        switch self {
        case .conversation: chat.conversation.sampling = parameters
        }
    }

    /// The persona whose file "save to persona" writes into.
    public func persona(in chat: ChatState) -> Persona {
        switch self {
        case .conversation: chat.conversation.persona
        }
    }
}
