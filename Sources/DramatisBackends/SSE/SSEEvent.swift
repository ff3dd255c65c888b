/// One dispatched Server-Sent Event: the `data:` lines joined by newlines, plus the optional `event:` and `id:`.
public struct SSEEvent: Sendable, Hashable {
    /// Value of the `event:` field, nil when the event had none (the default "message" type).
    public var event: String?
    /// The `data:` field values joined with "\n".
    public var data: String
    /// Value of the last `id:` field, if any.
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}
