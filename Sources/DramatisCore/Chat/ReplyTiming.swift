/// How fast a reply came: measured on our side of the connection.
public struct ReplyTiming: Codable, Sendable, Hashable {
    /// Seconds from sending the request to the first text delta.
    public var timeToFirstToken: Double?
    /// Seconds from sending the request to the end of the stream.
    public var total: Double
    /// Completion tokens per second over the generation phase (first token to end), when known.
    public var tokensPerSecond: Double?

    public init(timeToFirstToken: Double?, total: Double, tokensPerSecond: Double?) {
        self.timeToFirstToken = timeToFirstToken
        self.total = total
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case timeToFirstToken = "time_to_first_token"
        case total
        case tokensPerSecond = "tokens_per_second"
    }
}
