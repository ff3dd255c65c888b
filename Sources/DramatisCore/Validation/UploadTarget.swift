/// Where a dataset file is going: each service's rules for the file (`validate --target`, `export --target`).
public enum UploadTarget: String, Sendable, Hashable, CaseIterable {
    case azure, openai, together, fireworks, trl

    /// The dataset formats the target reads.
    public var acceptedFormats: [DatasetFormat] {
        switch self {
        case .azure, .openai, .together, .fireworks: [.chat, .openaiDPO]
        case .trl: [.chat, .trlDPO, .trlKTO]
        }
    }

    /// Azure's fine-tuning docs ask for UTF-8 *with* a byte-order mark; the others take plain UTF-8.
    public var wantsByteOrderMark: Bool { self == .azure }

    /// Fewer examples than this and the upload is refused (OpenAI and Azure: 10; no minimum is known for the
    /// others, so only an empty file is refused).
    public var minimumExamples: Int {
        switch self {
        case .azure, .openai: 10
        case .together, .fireworks, .trl: 1
        }
    }

    /// The DPO shape rule, in words (reported when a preference line breaks it).
    public var preferenceRule: String {
        switch self {
        case .openai, .azure: "\(rawValue) trains DPO only on the reply to the last message: exactly one assistant message per output, input ending with a user message"
        case .together: "together wants exactly one assistant message in each output"
        case .fireworks: "fireworks reads the OpenAI DPO shape: exactly one assistant message per output"
        case .trl: "TRL takes lists of messages in chosen/rejected"
        }
    }
}
