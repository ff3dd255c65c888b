/// One reply in the review queue: the transcript it is in and its turn.
public struct ReviewItemKey: Codable, Sendable, Hashable, Comparable {
    public var transcript: String
    public var turn: TurnID

    public init(transcript: String, turn: TurnID) {
        self.transcript = transcript
        self.turn = turn
    }

    /// Queue order: transcripts by id (= time), then turns in creation order.
    public static func < (lhs: ReviewItemKey, rhs: ReviewItemKey) -> Bool {
        (lhs.transcript, lhs.turn) < (rhs.transcript, rhs.turn)
    }
}
