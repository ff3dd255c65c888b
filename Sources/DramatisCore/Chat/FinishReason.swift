/// Why a reply ended.
public enum FinishReason: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The model finished (or hit a stop sequence).
    case stop
    /// `max_tokens` or the context was exhausted.
    case length
    /// The provider's content filter cut the reply.
    case contentFilter
    /// The user stopped the reply (Esc, Ctrl-C); the partial text is kept.
    case cancelled
    /// The stream broke before the model finished; the partial text is kept.
    case incomplete
    /// Any other provider-specific reason, verbatim.
    case other(String)

    /// Maps the wire value of `finish_reason`.
    public init(wireValue: String) {
        switch wireValue {
        case "stop", "eos", "stop_sequence": self = .stop
        case "length", "max_tokens": self = .length
        case "content_filter": self = .contentFilter
        case "cancelled": self = .cancelled
        case "incomplete": self = .incomplete
        default: self = .other(wireValue)
        }
    }

    /// The value written to transcripts and reports.
    public var wireValue: String {
        switch self {
        case .stop: "stop"
        case .length: "length"
        case .contentFilter: "content_filter"
        case .cancelled: "cancelled"
        case .incomplete: "incomplete"
        case .other(let value): value
        }
    }

    public var description: String { wireValue }

    public init(from decoder: Decoder) throws {
        self.init(wireValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }
}
