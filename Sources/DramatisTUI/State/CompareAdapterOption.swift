import DramatisCore

/// Which adapter a compare source answers with on the local engine: the chat's own (whatever the chat talks to),
/// the base model, or one of the source persona's tuned runs.
public enum CompareAdapterOption: Sendable, Hashable {
    case asChat
    case base
    case tuned(String)

    /// The option a source's adapter choice stands for (nil: as the chat).
    public init(_ choice: AdapterChoice?) {
        switch choice {
        case nil: self = .asChat
        case let choice? where choice.runID == nil: self = .base
        case let choice?: self = .tuned(choice.runID!)
        }
    }

    /// The choice it puts on a source before `CompareAdapterPlan` gives it scales (nil: as the chat).
    public var unscaledChoice: AdapterChoice? {
        switch self {
        case .asChat: nil
        case .base: AdapterChoice(runID: nil, scales: [])
        case .tuned(let run): AdapterChoice(runID: run, scales: [])
        }
    }
}
