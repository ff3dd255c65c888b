import Foundation

/// One JSON-line event of the worker (Trainer/PROTOCOL.md), typed.
public enum TrainingEvent: Sendable, Hashable {
    /// The worker started: protocol, device, threads and library versions.
    case hello(protocolVersion: Int, device: String, threads: Int?, versions: [String: String])
    /// A stage began (`load_base`, `tokenize`, `validate_before`, `train_sft`, `train_dpo`, `validate_after`, `save`, `convert`).
    case stage(name: String, message: String?)
    /// Validation loss `before` or `after` training.
    case validation(when: String, loss: Double, tokens: Int?)
    /// One optimizer step.
    case progress(Progress)
    /// Finished: the adapter and the numbers.
    case done(Done)
    /// Failed (`kind`: bad_input, out_of_memory, environment, internal).
    case error(kind: String, message: String, file: String?, line: Int?)

    /// A training step's numbers.
    public struct Progress: Sendable, Hashable, Codable {
        public var stage: String
        public var step: Int
        public var totalSteps: Int
        public var epoch: Double?
        public var loss: Double?
        public var trainedTokens: Int?
        public var tokensPerSecond: Double?
        public var etaSeconds: Double?

        public init(stage: String, step: Int, totalSteps: Int, epoch: Double? = nil, loss: Double? = nil, trainedTokens: Int? = nil,
                    tokensPerSecond: Double? = nil, etaSeconds: Double? = nil) {
            self.stage = stage
            self.step = step
            self.totalSteps = totalSteps
            self.epoch = epoch
            self.loss = loss
            self.trainedTokens = trainedTokens
            self.tokensPerSecond = tokensPerSecond
            self.etaSeconds = etaSeconds
        }

        enum CodingKeys: String, CodingKey {
            case stage, step, epoch, loss
            case totalSteps = "total_steps", trainedTokens = "trained_tokens", tokensPerSecond = "tokens_per_second"
            case etaSeconds = "eta_seconds"
        }
    }

    /// What `done` reports (paths relative to the run folder).
    public struct Done: Sendable, Hashable, Codable {
        public struct LossPoint: Sendable, Hashable, Codable {
            public var step: Int
            public var loss: Double
        }
        public var adapterGGUF: String
        public var adapterDirectory: String?
        public var trainExamples: Int?
        public var trainedTokens: Int?
        public var steps: Int?
        public var lossCurve: [LossPoint]?
        public var validationLossBefore: Double?
        public var validationLossAfter: Double?
        public var peakRSSBytes: Int?
        public var seconds: [String: Double]?
        /// How many top layers got LoRA, of how many the model has.
        public var loraLayers: Int?
        public var modelLayers: Int?

        enum CodingKeys: String, CodingKey {
            case steps, seconds
            case loraLayers = "lora_layers", modelLayers = "model_layers"
            case adapterGGUF = "adapter_gguf", adapterDirectory = "adapter_dir", trainExamples = "train_examples"
            case trainedTokens = "trained_tokens", lossCurve = "loss_curve", validationLossBefore = "validation_loss_before"
            case validationLossAfter = "validation_loss_after", peakRSSBytes = "peak_rss_bytes"
        }
    }

    /// Decodes one line; nil for a line that is not a known event (kept in the log, never fatal).
    public static func decode(line: Data) -> TrainingEvent? {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: line) else { return nil }
        switch header.event {
        case "hello":
            guard let hello = try? decoder.decode(Hello.self, from: line) else { return nil }
            // A library the worker does not use is reported as null (e.g. `trl`): left out here.
            return .hello(protocolVersion: hello.protocol, device: hello.device ?? "cpu", threads: hello.threads,
                          versions: (hello.versions ?? [:]).compactMapValues { $0 })
        case "stage":
            guard let stage = try? decoder.decode(Stage.self, from: line) else { return nil }
            return .stage(name: stage.stage, message: stage.message)
        case "validation":
            guard let validation = try? decoder.decode(Validation.self, from: line) else { return nil }
            return .validation(when: validation.when, loss: validation.loss, tokens: validation.tokens)
        case "progress":
            return (try? decoder.decode(Progress.self, from: line)).map(TrainingEvent.progress)
        case "done":
            return (try? decoder.decode(Done.self, from: line)).map(TrainingEvent.done)
        case "error":
            guard let error = try? decoder.decode(ErrorEvent.self, from: line) else { return nil }
            return .error(kind: error.kind ?? "internal", message: error.message ?? "unknown error", file: error.file, line: error.line)
        default:
            return nil
        }
    }

    private struct Header: Decodable { var event: String }
    private struct Hello: Decodable {
        var `protocol`: Int
        var device: String?
        var threads: Int?
        var versions: [String: String?]?
    }
    private struct Stage: Decodable {
        var stage: String
        var message: String?
    }
    private struct Validation: Decodable {
        var when: String
        var loss: Double
        var tokens: Int?
    }
    private struct ErrorEvent: Decodable {
        var kind: String?
        var message: String?
        var file: String?
        var line: Int?
    }
}
