/// One row of the compare setup panel (F8): the mode, the candidate count, a source's setting (by source index),
/// blind, and the teacher.
public enum CompareSetupField: Sendable, Hashable {
    /// Two sources, or n candidates from one source.
    case mode
    /// How many candidates (2–4), in candidates mode.
    case candidates
    case persona(Int)
    /// The configured backend (or the chat's own).
    case backend(Int)
    /// The model asked for (text; empty: the backend's).
    case model(Int)
    case temperature(Int)
    case seed(Int)
    /// As the chat, base, or a tuned run.
    case adapter(Int)
    case blind
    /// None, A or B (two sources only).
    case teacher

    /// Whether the row is typed into (else Left/Right change it).
    public var isText: Bool {
        switch self {
        case .model, .temperature, .seed: true
        default: false
        }
    }

    /// The source the row belongs to, if any.
    public var sourceIndex: Int? {
        switch self {
        case .persona(let index), .backend(let index), .model(let index), .temperature(let index), .seed(let index), .adapter(let index):
            index
        case .mode, .candidates, .blind, .teacher: nil
        }
    }

    /// The row's name in the panel.
    public var label: String {
        switch self {
        case .mode: "mode"
        case .candidates: "candidates"
        case .persona: "persona"
        case .backend: "backend"
        case .model: "model"
        case .temperature: "temperature"
        case .seed: "seed"
        case .adapter: "adapter"
        case .blind: "blind"
        case .teacher: "teacher"
        }
    }

    /// A source's rows, in panel order.
    static func sourceRows(_ index: Int) -> [CompareSetupField] {
        [.persona(index), .backend(index), .model(index), .temperature(index), .seed(index), .adapter(index)]
    }
}
