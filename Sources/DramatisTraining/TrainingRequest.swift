import Foundation

/// The one JSON request the worker reads on stdin (Trainer/PROTOCOL.md, version 1).
public struct TrainingRequest: Encodable, Sendable, Hashable {
    /// The protocol version this Swift side speaks.
    public static let protocolVersion = 1

    public var baseGGUF: String
    public var baseCacheDirectory: String
    public var converterDirectory: String
    public var runDirectory: String
    public var sftTrain: String
    public var sftValidation: String?
    public var preferenceTrain: String?
    public var method: String
    public var epochs: Int
    public var learningRate: Double
    public var dpoLearningRate: Double
    public var dpoBeta: Double
    public var rank: Int
    public var alpha: Int
    public var seed: UInt64
    public var maxSequenceLength: Int
    public var threads: Int
    /// LoRA on the top this-many layers (0: all); nil: the worker's default, the top half.
    public var loraLayers: Int?

    public init(baseGGUF: String, baseCacheDirectory: String, converterDirectory: String, runDirectory: String, sftTrain: String,
                sftValidation: String?, preferenceTrain: String?, method: String, epochs: Int, learningRate: Double,
                dpoLearningRate: Double, dpoBeta: Double, rank: Int, alpha: Int, seed: UInt64, maxSequenceLength: Int, threads: Int,
                loraLayers: Int? = nil) {
        self.baseGGUF = baseGGUF
        self.baseCacheDirectory = baseCacheDirectory
        self.converterDirectory = converterDirectory
        self.runDirectory = runDirectory
        self.sftTrain = sftTrain
        self.sftValidation = sftValidation
        self.preferenceTrain = preferenceTrain
        self.method = method
        self.epochs = epochs
        self.learningRate = learningRate
        self.dpoLearningRate = dpoLearningRate
        self.dpoBeta = dpoBeta
        self.rank = rank
        self.alpha = alpha
        self.seed = seed
        self.maxSequenceLength = maxSequenceLength
        self.threads = threads
        self.loraLayers = loraLayers
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`, method, epochs, rank, alpha, seed, threads
        case baseGGUF = "base_gguf", baseCacheDirectory = "base_cache_dir", converterDirectory = "converter_dir"
        case runDirectory = "run_dir", sftTrain = "sft_train", sftValidation = "sft_validation"
        case preferenceTrain = "preference_train", learningRate = "learning_rate", dpoLearningRate = "dpo_learning_rate"
        case dpoBeta = "dpo_beta", maxSequenceLength = "max_seq_len", loraLayers = "lora_layers"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.protocolVersion, forKey: .protocol)
        try container.encode(baseGGUF, forKey: .baseGGUF)
        try container.encode(baseCacheDirectory, forKey: .baseCacheDirectory)
        try container.encode(converterDirectory, forKey: .converterDirectory)
        try container.encode(runDirectory, forKey: .runDirectory)
        try container.encode(sftTrain, forKey: .sftTrain)
        try container.encode(sftValidation, forKey: .sftValidation)  // null when there is no validation set
        try container.encode(preferenceTrain, forKey: .preferenceTrain)
        try container.encode(method, forKey: .method)
        try container.encode(epochs, forKey: .epochs)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(dpoLearningRate, forKey: .dpoLearningRate)
        try container.encode(dpoBeta, forKey: .dpoBeta)
        try container.encode(rank, forKey: .rank)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(seed, forKey: .seed)
        try container.encode(maxSequenceLength, forKey: .maxSequenceLength)
        try container.encode(threads, forKey: .threads)
        try container.encodeIfPresent(loraLayers, forKey: .loraLayers)
    }

    /// The request as one JSON line.
    public func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
