import DramatisCore

/// A local-engine backend whose requests use one LoRA adapter (unless a request chooses itself): how a chat with a
/// persona's `adapter:` talks to the tuned model while the engine also serves the base.
public struct AdapterSelectingBackend: ChatBackend {
    public let base: any ChatBackend
    public let choice: AdapterChoice

    public init(base: any ChatBackend, choice: AdapterChoice) {
        self.base = base
        self.choice = choice
    }

    public var descriptor: BackendDescriptor { base.descriptor }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        var request = request
        if request.adapterScales == nil { request.adapterScales = choice.scales }
        return base.stream(request)
    }

    /// Several choices on the base backend (one request with `n` where it can), with the same adapter choice.
    public func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, Error> {
        var request = request
        if request.adapterScales == nil { request.adapterScales = choice.scales }
        return base.streamChoices(request)
    }
}
