import Foundation

/// `run.json`: everything about one training run a person needs to trust (or reproduce) it.
public struct RunCard: Codable, Sendable, Hashable {
    /// The dataset trained on.
    public struct DatasetFacts: Codable, Sendable, Hashable {
        public var file: String
        public var sha256: String
        public var examples: Int
        public var trainExamples: Int
        public var heldOutExamples: Int
        /// 1-based lines of `sft.jsonl` held out (never trained on).
        public var heldOutLines: [Int]
        /// The validator's count (an o200k estimate for the local model).
        public var estimatedTokens: Int
        /// Tokens the worker trained on (the model's own tokenizer, weight-1 replies only).
        public var trainedTokens: Int?
        public var preferencePairs: Int?

        public init(file: String, sha256: String, examples: Int, trainExamples: Int, heldOutExamples: Int, heldOutLines: [Int],
                    estimatedTokens: Int, trainedTokens: Int? = nil, preferencePairs: Int? = nil) {
            self.file = file
            self.sha256 = sha256
            self.examples = examples
            self.trainExamples = trainExamples
            self.heldOutExamples = heldOutExamples
            self.heldOutLines = heldOutLines
            self.estimatedTokens = estimatedTokens
            self.trainedTokens = trainedTokens
            self.preferencePairs = preferencePairs
        }

        enum CodingKeys: String, CodingKey {
            case file, sha256, examples
            case trainExamples = "train_examples", heldOutExamples = "held_out_examples", heldOutLines = "held_out_lines"
            case estimatedTokens = "estimated_tokens", trainedTokens = "trained_tokens", preferencePairs = "preference_pairs"
        }
    }

    /// The knobs of the run.
    public struct Parameters: Codable, Sendable, Hashable {
        public var method: String
        public var epochs: Int
        public var learningRate: Double
        public var dpoLearningRate: Double?
        public var rank: Int
        public var alpha: Int
        public var validationFraction: Double
        public var seed: UInt64
        public var maxSequenceLength: Int
        /// How many of the model's top layers got LoRA, and of how many (nil in cards older than the option).
        public var loraLayers: Int?
        public var modelLayers: Int?

        public init(method: String, epochs: Int, learningRate: Double, dpoLearningRate: Double?, rank: Int, alpha: Int,
                    validationFraction: Double, seed: UInt64, maxSequenceLength: Int) {
            self.method = method
            self.epochs = epochs
            self.learningRate = learningRate
            self.dpoLearningRate = dpoLearningRate
            self.rank = rank
            self.alpha = alpha
            self.validationFraction = validationFraction
            self.seed = seed
            self.maxSequenceLength = maxSequenceLength
        }

        enum CodingKeys: String, CodingKey {
            case method, epochs, rank, alpha, seed
            case learningRate = "learning_rate", dpoLearningRate = "dpo_learning_rate"
            case validationFraction = "validation_fraction", maxSequenceLength = "max_seq_len"
            case loraLayers = "lora_layers", modelLayers = "model_layers"
        }
    }

    /// One point of the training loss curve.
    public struct LossPoint: Codable, Sendable, Hashable {
        public var step: Int
        public var loss: Double
        public init(step: Int, loss: Double) {
            self.step = step
            self.loss = loss
        }
    }

    /// One held-out prompt replayed on the base and the tuned model (temperature 0).
    public struct EvaluationTurn: Codable, Sendable, Hashable {
        public var line: Int
        public var prompt: String
        public var reference: String
        public var baseReply: String
        public var tunedReply: String
        public var baseSimilarity: Double
        public var tunedSimilarity: Double

        public init(line: Int, prompt: String, reference: String, baseReply: String, tunedReply: String) {
            self.line = line
            self.prompt = prompt
            self.reference = reference
            self.baseReply = baseReply
            self.tunedReply = tunedReply
            self.baseSimilarity = TextSimilarity.score(reference, baseReply)
            self.tunedSimilarity = TextSimilarity.score(reference, tunedReply)
        }

        enum CodingKeys: String, CodingKey {
            case line, prompt, reference
            case baseReply = "base_reply", tunedReply = "tuned_reply"
            case baseSimilarity = "base_similarity", tunedSimilarity = "tuned_similarity"
        }
    }

    /// The held-out replay: mean similarity to the marked-good replies before (base) and after (tuned).
    public struct Evaluation: Codable, Sendable, Hashable {
        public var turns: [EvaluationTurn]
        public var baseMeanSimilarity: Double
        public var tunedMeanSimilarity: Double

        public init(turns: [EvaluationTurn]) {
            self.turns = turns
            func mean(_ values: [Double]) -> Double {
                values.isEmpty ? 0 : ((values.reduce(0, +) / Double(values.count)) * 1000).rounded() / 1000
            }
            baseMeanSimilarity = mean(turns.map(\.baseSimilarity))
            tunedMeanSimilarity = mean(turns.map(\.tunedSimilarity))
        }

        enum CodingKeys: String, CodingKey {
            case turns
            case baseMeanSimilarity = "base_mean_similarity", tunedMeanSimilarity = "tuned_mean_similarity"
        }
    }

    public var runID: String
    public var persona: String
    public var createdAt: Date
    /// The GGUF the adapter applies to.
    public var baseModel: String
    /// The adapter, relative to the run folder.
    public var adapter: String
    public var dataset: DatasetFacts
    public var parameters: Parameters
    /// Library versions from the worker's hello (python, torch, transformers, peft, …), plus its device.
    public var versions: [String: String]
    public var device: String
    public var lossCurve: [LossPoint]
    public var validationLossBefore: Double?
    public var validationLossAfter: Double?
    public var steps: Int
    public var wallSeconds: Double
    /// The worker's own timing (load, train, convert, total).
    public var workerSeconds: [String: Double]
    public var peakRSSBytes: Int?
    public var evaluation: Evaluation?
    public var dramatisVersion: String

    /// A card for a run that has just started (the worker's results are filled in as they arrive).
    public init(runID: String, persona: String, createdAt: Date, baseModel: String, adapter: String, dataset: DatasetFacts,
                parameters: Parameters) {
        self.runID = runID
        self.persona = persona
        self.createdAt = createdAt
        self.baseModel = baseModel
        self.adapter = adapter
        self.dataset = dataset
        self.parameters = parameters
        versions = [:]
        device = "cpu"
        lossCurve = []
        steps = 0
        wallSeconds = 0
        workerSeconds = [:]
        dramatisVersion = DramatisVersion.string
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", persona, createdAt = "created_at", baseModel = "base_model", adapter, dataset, parameters
        case versions, device, lossCurve = "loss_curve", validationLossBefore = "validation_loss_before"
        case validationLossAfter = "validation_loss_after", steps, wallSeconds = "wall_seconds"
        case workerSeconds = "worker_seconds", peakRSSBytes = "peak_rss_bytes", evaluation
        case dramatisVersion = "dramatis_version"
    }

    /// The card as pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads a card written by `encoded()`.
    public static func decode(_ data: Data) throws -> RunCard {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunCard.self, from: data)
    }
}
