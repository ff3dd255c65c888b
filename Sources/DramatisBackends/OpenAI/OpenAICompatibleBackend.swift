import AsyncHTTPClient
import DramatisCore
import Foundation
import NIOCore
import NIOHTTP1

/// A streaming chat-completions client for OpenAI-compatible servers and Azure OpenAI, on AsyncHTTPClient.
///
/// Cancelling the consuming task (or dropping the stream) cancels the HTTP request, which
/// closes the connection so the server stops generating.
public struct OpenAICompatibleBackend: ChatBackend {
    /// Name, flavour and default model, for status lines and transcripts.
    public let descriptor: BackendDescriptor
    /// OpenAI-style base URL (`…/v1`) or the Azure resource endpoint.
    public let baseURL: URL
    /// Dialect: OpenAI-style or Azure.
    public let flavour: BackendFlavour
    /// Supplies the key when a request needs it.
    public let keyProvider: APIKeyProvider
    /// Whether to send `stream_options.include_usage` (some older servers reject it).
    public let includeUsage: Bool
    /// Seconds allowed to open the connection.
    public let connectTimeout: Double
    /// Seconds without any byte before the request counts as timed out (no answer) or stalled (mid-reply).
    public let idleTimeout: Double
    /// What to do with 429 answers.
    public let retryPolicy: RetryPolicy
    /// Extra headers sent with every request (e.g. OpenRouter's `HTTP-Referer`).
    public let extraHeaders: [String: String]
    /// Whether several choices are asked for in one request with `n` (`streamChoices`); false sends one request per choice.
    public let supportsChoices: Bool
    /// Set once this server rejected `n` (a 4xx naming it) or ignored it (choices missing): later requests for
    /// several choices go out one per choice at once.
    private let choicesUnanswered = LockedValue(false)

    /// A backend named `name` at `baseURL` using `model` (the Azure deployment for `.azure`).
    public init(name: String, baseURL: URL, model: String, flavour: BackendFlavour = .openai,
                keyProvider: APIKeyProvider = APIKeyProvider(source: nil), kind: String? = nil,
                includeUsage: Bool = true, connectTimeout: Double = 10, idleTimeout: Double = 60,
                retryPolicy: RetryPolicy = RetryPolicy(), extraHeaders: [String: String] = [:], supportsChoices: Bool = true) {
        let kindName = kind ?? (flavour.isAzure ? "azure" : "openai")
        self.descriptor = BackendDescriptor(name: name, kind: kindName, model: model)
        self.baseURL = baseURL
        self.flavour = flavour
        self.keyProvider = keyProvider
        self.includeUsage = includeUsage
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.retryPolicy = retryPolicy
        self.extraHeaders = extraHeaders
        self.supportsChoices = supportsChoices
    }

    /// The chat-completions URL for `model` (the deployment, for Azure).
    public func completionsURL(model: String) -> URL {
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        switch flavour {
        case .openai:
            return URL(string: base + "/chat/completions") ?? baseURL
        case .azure(let apiVersion):
            let deployment = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
            let version = apiVersion.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? apiVersion
            return URL(string: "\(base)/openai/deployments/\(deployment)/chat/completions?api-version=\(version)") ?? baseURL
        }
    }

    /// Sends `request` and streams the reply; see `ChatBackend.stream`.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        Self.produce { continuation in
            _ = try await run(request, choices: 1) { _, event in continuation.yield(event) }
        }
    }

    /// A stream whose events `body` yields from a task that follows the consumer's executor preference (see
    /// `EventLoopTaskExecutor`), so handing each event over does not wake another thread either. Cancelling the
    /// consumer cancels the task and simply ends the stream (the consumer knows why); other errors end it with the error.
    private static func produce<Element: Sendable>(
        _ body: @escaping @Sendable (AsyncThrowingStream<Element, Error>.Continuation) async throws -> Void
    ) -> AsyncThrowingStream<Element, Error> {
        AsyncThrowingStream { continuation in
            let preference = withUnsafeCurrentTask { $0?.unownedTaskExecutor?.asTaskExecutor() }
            let task = Task(executorPreference: preference) {
                do {
                    try await body(continuation)
                    continuation.finish()
                } catch where Task.isCancelled || error is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Streams every choice of `request`; see `ChatBackend.streamChoices`. With `supportsChoices` it sends one request
    /// with `n`: the server processes the prompt once and samples choice k with seed + k (llama-server, OpenAI, Azure).
    /// Choices the server never sent (it ignored `n`) are then asked for separately, at once; a 4xx naming `n` sends
    /// every choice separately. Either way this backend remembers it and sends later requests one per choice.
    public func streamChoices(_ request: ChatRequest) -> AsyncThrowingStream<ChoiceEvent, Error> {
        let count = max(1, request.choices)
        guard count > 1, supportsChoices, !choicesUnanswered.value else { return ParallelChoices.stream(self, request) }
        return Self.produce { continuation in
            var answered: Set<Int> = []
            do {
                answered = try await run(request, choices: count) { index, event in
                    if index < count { continuation.yield(.event(choice: index, event)) }
                }
            } catch is ChoicesRejected {
                // The server refused `n` before sending anything: ask for every choice on its own.
            }
            let missing = (0..<count).filter { !answered.contains($0) }
            if !missing.isEmpty {
                choicesUnanswered.value = true
                for try await item in ParallelChoices.stream(self, request, indices: missing) { continuation.yield(item) }
            }
        }
    }

    // MARK: - One request

    /// Sends `request` asking for `choices` replies (`n` when above 1) and hands each event to `emit` with its choice's
    /// index (choice 0 only when `choices` is 1); returns the indices of the choices the server sent.
    private func run(_ request: ChatRequest, choices: Int, emit: (Int, ChatEvent) -> Void) async throws -> Set<Int> {
        let model = request.model ?? descriptor.model
        let url = completionsURL(model: model)
        var failures = BackendFailureMapper(backendName: descriptor.name, url: url, flavour: flavour, model: model,
                                            keyOrigin: keyProvider.source?.description, key: nil,
                                            idleTimeout: idleTimeout, connectTimeout: connectTimeout)
        let key = try keyProvider.key(backendName: descriptor.name)
        failures.key = key
        do {
            return try await run(request, choices: choices, model: model, url: url, key: key, failures: failures, emit: emit)
        } catch var error as BackendError {
            // Last line of defence: whatever a message quotes (a command line, a URL, server text), never the key.
            if let key { error.message = SecretMask.redact(error.message, secrets: [key]) }
            throw error
        }
    }

    private func run(_ request: ChatRequest, choices: Int, model: String, url: URL, key: String?, failures: BackendFailureMapper,
                     emit: (Int, ChatEvent) -> Void) async throws -> Set<Int> {
        var httpRequest = HTTPClientRequest(url: url.absoluteString)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: "text/event-stream")
        httpRequest.headers.add(name: "User-Agent", value: "dramatis/\(DramatisVersion.string)")
        if let key {
            switch flavour {
            case .openai: httpRequest.headers.add(name: "Authorization", value: "Bearer \(key)")
            case .azure: httpRequest.headers.add(name: "api-key", value: key)
            }
        }
        for (name, value) in extraHeaders { httpRequest.headers.replaceOrAdd(name: name, value: value) }
        // Only llama-server knows the `lora` field; a hosted backend must never receive it.
        let body = ChatCompletionRequestBody(model: model, messages: request.messages, sampling: request.sampling,
                                             includeUsage: includeUsage,
                                             adapterScales: descriptor.kind == "local" ? request.adapterScales : nil,
                                             choices: choices)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bodyBytes = try encoder.encode(body)
        let client = SharedHTTPClients.client(connectTimeout: connectTimeout, idleTimeout: idleTimeout)
        var retries = 0
        while true {
            var streamedReply = false
            do {
                return try await attempt(httpRequest, body: bodyBytes, choices: choices, client: client, failures: failures,
                                         retries: retries, streamedReply: &streamedReply, emit: emit)
            } catch let failure as RetryableFailure {
                try Task.checkCancellation()
                // Only before the first piece of the reply: text already shown is never sent twice.
                guard !streamedReply, RetryPolicy.isRetryable(failure.error),
                      let delay = retryPolicy.delay(forAttempt: retries, retryAfter: failure.retryAfter) else {
                    throw failure.error
                }
                retries += 1
                let message = key.map { SecretMask.redact(failure.error.message, secrets: [$0]) } ?? failure.error.message
                let notice = ChatEvent.retrying(RetryNotice(attempt: retries, maxRetries: retryPolicy.maxRetries, delay: delay, message: message))
                for index in 0..<choices { emit(index, notice) }
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    /// A 4xx answer naming `n` to a request for several choices: the server does not take `n` (e.g. llama-server with
    /// fewer `--parallel` slots than choices); `streamChoices` then asks for each choice on its own.
    private struct ChoicesRejected: Error {
        var error: BackendError
    }

    /// Whether an error body names the `n` parameter (`"param":"n"`, `Field 'n'`, `n_cmpl`, `` `n` ``).
    static func namesChoiceCount(_ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        return ["\"n\"", "'n'", "`n`", "n_cmpl"].contains { text.contains($0) }
    }

    /// A failure of one attempt that the retry loop may retry, with the server's `Retry-After` if it gave one.
    private struct RetryableFailure: Error {
        var error: BackendError
        var retryAfter: Double?
    }

    /// Sends the request once and streams its reply (every choice's when `choices` is above 1) to `emit`; returns the
    /// indices of the choices the server sent. Failures are thrown as `RetryableFailure` (the loop in `run` decides),
    /// or `ChoicesRejected`; `streamedReply` is set once any reply piece was delivered.
    private func attempt(_ request: HTTPClientRequest, body: Data, choices: Int, client: HTTPClient, failures: BackendFailureMapper,
                         retries: Int, streamedReply: inout Bool, emit: (Int, ChatEvent) -> Void) async throws -> Set<Int> {
        var httpRequest = request
        let clock = ContinuousClock()
        let started = clock.now
        var staleConnectionRetried = false
        var response: HTTPClientResponse
        while true {
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
            do {
                response = try await client.execute(httpRequest, deadline: .distantFuture)
            } catch {
                try Task.checkCancellation()
                // A pooled keep-alive connection the server closed in the meantime fails before the
                // request was processed; sending it once more on a fresh connection is safe.
                if !staleConnectionRetried && Self.isStaleConnection(error) {
                    staleConnectionRetried = true
                    continue
                }
                throw RetryableFailure(error: failures.transportFailure(error, receivedBytes: false, partialText: ""))
            }
            break
        }
        guard (200..<300).contains(response.status.code) else {
            let retryAfter = RetryPolicy.parseRetryAfter(response.headers.first(name: "retry-after"),
                                                         milliseconds: response.headers.first(name: "retry-after-ms"))
            let errorBody = try await collect(response.body, failures: failures)
            if choices > 1, (400..<500).contains(response.status.code), Self.namesChoiceCount(errorBody) {
                throw ChoicesRejected(error: failures.httpFailure(status: response.status, headers: response.headers, body: errorBody,
                                                                  retries: retries, retryAfter: nil))
            }
            throw RetryableFailure(error: failures.httpFailure(status: response.status, headers: response.headers, body: errorBody,
                                                               retries: retries, retryAfter: retryAfter),
                                   retryAfter: retryAfter)
        }
        let contentType = response.headers.first(name: "content-type")?.lowercased()

        var parser = SSEParser()
        var decoder = ChatStreamDecoder(failures: failures)
        var firstToken: ContinuousClock.Instant?
        /// Several choices: each one's first token and finish, for its own timing.
        var choiceFirstToken: [Int: ContinuousClock.Instant] = [:]
        var choiceFinished: [Int: ContinuousClock.Instant] = [:]
        var sniffed: [UInt8] = []
        var receivedBytes = false
        var delivered = false
        func note(_ chatEvent: ChatEvent, choice index: Int) {
            switch chatEvent {
            case .delta:
                if choices == 1 {
                    if firstToken == nil { firstToken = clock.now }
                } else if choiceFirstToken[index] == nil {
                    choiceFirstToken[index] = clock.now
                }
                delivered = true
            case .refusal, .reasoning, .toolCall:
                delivered = true
            case .finished:
                if choices > 1 { choiceFinished[index] = clock.now }
            case .retrying, .usage, .timing:
                break
            }
            emit(index, chatEvent)
        }
        /// Several choices: those whose usage and timing were sent already (the choice ended).
        var closedChoices: Set<Int> = []
        /// Ends a finished choice: its usage, then its timing (its last event).
        func close(_ index: Int, usage: TokenUsage?) {
            closedChoices.insert(index)
            if let usage { emit(index, .usage(usage)) }
            emit(index, .timing(Self.timing(started: started, firstToken: choiceFirstToken[index], ended: choiceFinished[index] ?? clock.now,
                                            completionTokens: usage?.completionTokens)))
        }
        func deliver(_ events: [SSEEvent]) throws {
            for event in events {
                if choices == 1 {
                    for chatEvent in try decoder.handle(event) { note(chatEvent, choice: 0) }
                } else {
                    for (index, pieces) in try decoder.handleChoices(event) {
                        for chatEvent in pieces { note(chatEvent, choice: index) }
                    }
                    // llama.cpp's usage chunk right after a choice's finish: that choice has ended while others stream on.
                    for (index, usage) in decoder.choiceUsage where !closedChoices.contains(index) { close(index, usage: usage) }
                }
                if decoder.isDone { return }
            }
        }
        do {
            do {
                for try await buffer in response.body {
                    receivedBytes = true
                    let bytes = buffer.readableBytesView
                    if sniffed.count < 512 { sniffed.append(contentsOf: bytes.prefix(512 - sniffed.count)) }
                    try deliver(parser.feed(bytes))
                    if decoder.isDone { break }
                }
                if !decoder.isDone {
                    do {
                        try deliver(parser.finish())
                    } catch let error as BackendError where error.kind == .malformedResponse {
                        // An event cut off by the end of the body is a broken connection, not bad JSON.
                        throw failures.disconnected(partialText: decoder.text)
                    }
                }
            } catch let error as BackendError {
                throw error
            } catch {
                try Task.checkCancellation()
                throw failures.transportFailure(error, receivedBytes: receivedBytes, partialText: decoder.text)
            }
            try Task.checkCancellation()

            let unfinished = choices == 1 ? decoder.finishReason == nil
                : decoder.choices.isEmpty || decoder.choices.values.contains { $0.finishReason == nil }
            if unfinished && !decoder.isDone {
                // No [DONE] and no finish_reason: either the body was not an event stream at all,
                // or the connection closed early.
                let looksLikeSSE = contentType?.contains("event-stream") == true || parser.firstLine.map(Self.isSSELine) == true
                if decoder.text.isEmpty && decoder.contentChunks == 0 && !looksLikeSSE && !sniffed.isEmpty {
                    throw failures.notAnEventStream(body: sniffed, contentType: contentType)
                }
                throw failures.disconnected(partialText: decoder.text)
            }
        } catch let error as BackendError {
            streamedReply = delivered
            throw RetryableFailure(error: error)
        }
        let ended = clock.now
        guard choices > 1 else {
            if decoder.finishReason == nil {
                emit(0, .finished(.stop))
            }
            if let usage = decoder.usage { emit(0, .usage(usage)) }
            emit(0, .timing(Self.timing(started: started, firstToken: firstToken, ended: ended,
                                        completionTokens: decoder.usage?.completionTokens)))
            return [0]
        }
        for index in decoder.choices.keys.sorted() where !closedChoices.contains(index) {
            if decoder.choices[index]?.finishReason == nil {
                emit(index, .finished(.stop))
                choiceFinished[index] = ended
            }
            close(index, usage: decoder.choiceUsage[index])
        }
        return Set(decoder.choices.keys)
    }

    /// Reads an error body (at most 256 KiB).
    private func collect(_ body: HTTPClientResponse.Body, failures: BackendFailureMapper) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                bytes.append(contentsOf: buffer.readableBytesView.prefix(max(0, 262_144 - bytes.count)))
                if bytes.count >= 262_144 { break }
            }
        } catch {
            try Task.checkCancellation()
            // A cut-off error body is still worth showing.
        }
        return bytes
    }

    private static func isStaleConnection(_ error: Error) -> Bool {
        if let channelError = error as? ChannelError, channelError == .ioOnClosedChannel || channelError == .alreadyClosed { return true }
        if let clientError = error as? HTTPClientError, clientError == .remoteConnectionClosed { return true }
        return false
    }

    private static func isSSELine(_ line: String) -> Bool {
        line.hasPrefix("data:") || line.hasPrefix(":") || line.hasPrefix("event:") || line.hasPrefix("id:") || line.hasPrefix("retry:")
    }

    /// Client-side timing; tokens/s counts the generation phase only (first token to end).
    static func timing(started: ContinuousClock.Instant, firstToken: ContinuousClock.Instant?,
                       ended: ContinuousClock.Instant, completionTokens: Int?) -> ReplyTiming {
        let ttft = firstToken.map { ($0 - started).inSeconds }
        var rate: Double?
        if let firstToken, let completionTokens, completionTokens > 1 {
            let generation = (ended - firstToken).inSeconds
            // The first token arrives at `firstToken`; the remaining ones over the generation phase.
            if generation > 0 { rate = Double(completionTokens - 1) / generation }
        }
        return ReplyTiming(timeToFirstToken: ttft, total: (ended - started).inSeconds, tokensPerSecond: rate)
    }
}
