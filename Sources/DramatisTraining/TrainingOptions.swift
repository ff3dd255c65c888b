/// The knobs of one training run (the CLI's options), with the defaults that worked on the embedded model.
public struct TrainingOptions: Sendable, Hashable {
    /// `sft`, or `sft+dpo` (SFT first, then DPO on the preference pairs at `dpoLearningRate`).
    public var method = "sft"
    public var epochs = 1
    /// The worker's tuned default (16 catch-phrase examples, 1 epoch: 4/4 held-out replies in the trained style).
    public var learningRate = 1e-3
    /// DPO alone at 5e-4 degraded the model in our trials; after SFT, 5e-5.
    public var dpoLearningRate = 5e-5
    public var dpoBeta = 0.1
    public var rank = 16
    /// LoRA on the top this-many transformer layers; 0 = every layer; nil = the top half of the model's layers (the
    /// benchmark's persona trained as well on the top half as on all 30 layers, 10/10 held-out replies each, with
    /// 0.59x the CPU seconds in `bench/train_layers.py`: the backward pass stops at the lowest adapted layer).
    public var loraLayers: Int?
    /// LoRA alpha; 0 means twice the rank.
    public var alpha = 0
    /// Share of the examples held out (never trained on).
    public var validationFraction = 0.1
    public var seed: UInt64 = 42
    public var maxSequenceLength = 1024
    /// Torch threads; 0 = torch's default.
    public var threads = 0
    /// Raise the worker's nice value by this much (background training in the TUI).
    public var niceness: Int32 = 0
    /// Replay the held-out turns on base and tuned after training.
    public var evaluate = true

    /// The methods `method` accepts.
    public static let methods = ["sft", "sft+dpo"]

    public init() {}

    /// `alpha`, or twice the rank when not set.
    public var effectiveAlpha: Int { alpha > 0 ? alpha : rank * 2 }
}
