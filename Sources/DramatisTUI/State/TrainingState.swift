/// Where a background training run is, as the chat's status line shows it.
public struct TrainingStatus: Sendable, Hashable {
    /// The stage in words (`preparing the trainer…`, `training`, `evaluating`).
    public var stage: String
    public var step: Int?
    public var totalSteps: Int?
    public var loss: Double?
    public var etaSeconds: Double?

    public init(stage: String, step: Int? = nil, totalSteps: Int? = nil, loss: Double? = nil, etaSeconds: Double? = nil) {
        self.stage = stage
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.etaSeconds = etaSeconds
    }

    /// `train 12/40 · loss 1.23 · 30 s left`, or the stage alone before steps are known.
    public var text: String {
        guard let step, let totalSteps else { return "train: " + stage }
        var parts = ["train \(step)/\(totalSteps)"]
        if let loss { parts.append("loss " + String(format: "%.2f", loss)) }
        if let etaSeconds { parts.append("\(Int(etaSeconds.rounded())) s left") }
        return parts.joined(separator: " · ")
    }
}

/// A finished training run, offered to chat with.
public struct TrainedRun: Sendable, Hashable {
    public var personaID: String
    public var runID: String
    public var validationLossBefore: Double?
    public var validationLossAfter: Double?

    public init(personaID: String, runID: String, validationLossBefore: Double?, validationLossAfter: Double?) {
        self.personaID = personaID
        self.runID = runID
        self.validationLossBefore = validationLossBefore
        self.validationLossAfter = validationLossAfter
    }

    /// `validation loss 3.83 → 1.62`, or nil when the run had no held-out examples.
    public var lossText: String? {
        guard let before = validationLossBefore, let after = validationLossAfter else { return nil }
        return String(format: "validation loss %.2f → %.2f", before, after)
    }
}

/// A training run going on in the background for one persona.
public struct TrainingState: Sendable, Hashable {
    public var personaID: String
    public var status: TrainingStatus
    /// Whether the trainer is stopped while a reply streams (two processes spinning on 2 cores slow each other badly).
    public var paused = false

    public init(personaID: String, status: TrainingStatus) {
        self.personaID = personaID
        self.status = status
    }
}
