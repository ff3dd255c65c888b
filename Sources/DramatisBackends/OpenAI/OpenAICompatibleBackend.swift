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

    /// A backend named `name` at `baseURL` using `model` (the Azure deployment for `.azure`).
    public init(name: String, baseURL: URL, model: String, flavour: BackendFlavour = .openai,
                keyProvider: APIKeyProvider = APIKeyProvider(source: nil), kind: String? = nil,
                includeUsage: Bool = true, connectTimeout: Double = 10, idleTimeout: Double = 60,
                retryPolicy: RetryPolicy = RetryPolicy(), extraHeaders: [String: String] = [:]) {
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
        AsyncThrowingStream { continuation in
            // The producing task follows the consumer's executor preference (see `EventLoopTaskExecutor`), so
            // handing each event over does not wake another thread either.
            let preference = withUnsafeCurrentTask { $0?.unownedTaskExecutor?.asTaskExecutor() }
            let task = Task(executorPreference: preference) {
                do {
                    try await run(request, continuation: continuation)
                    continuation.finish()
                } catch where Task.isCancelled || error is CancellationError {
                    // Cancelled by the consumer: the stream simply ends; the consumer knows why.
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: - One request

    private func run(_ request: ChatRequest, continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws {
        let model = request.model ?? descriptor.model
        let url = completionsURL(model: model)
        var failures = BackendFailureMapper(backendName: descriptor.name, url: url, flavour: flavour, model: model,
                                            keyOrigin: keyProvider.source?.description, key: nil,
                                            idleTimeout: idleTimeout, connectTimeout: connectTimeout)
        let key = try keyProvider.key(backendName: descriptor.name)
        failures.key = key
        do {
            try await run(request, model: model, url: url, key: key, failures: failures, continuation: continuation)
        } catch var error as BackendError {
            // Last line of defence: whatever a message quotes (a command line, a URL, server text), never the key.
            if let key { error.message = SecretMask.redact(error.message, secrets: [key]) }
            throw error
        }
    }

    private func run(_ request: ChatRequest, model: String, url: URL, key: String?, failures: BackendFailureMapper,
                     continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws {
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
                                             adapterScales: descriptor.kind == "local" ? request.adapterScales : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let bodyBytes = try encoder.encode(body)
        let client = SharedHTTPClients.client(connectTimeout: connectTimeout, idleTimeout: idleTimeout)
        var retries = 0
        while true {
            var streamedReply = false
            do {
                try await attempt(httpRequest, body: bodyBytes, client: client, failures: failures, retries: retries,
                                  streamedReply: &streamedReply, continuation: continuation)
                return
            } catch let failure as RetryableFailure {
                try Task.checkCancellation()
                // Only before the first piece of the reply: text already shown is never sent twice.
                guard !streamedReply, RetryPolicy.isRetryable(failure.error),
                      let delay = retryPolicy.delay(forAttempt: retries, retryAfter: failure.retryAfter) else {
                    throw failure.error
                }
                retries += 1
                let message = key.map { SecretMask.redact(failure.error.message, secrets: [$0]) } ?? failure.error.message
                continuation.yield(.retrying(RetryNotice(attempt: retries, maxRetries: retryPolicy.maxRetries, delay: delay, message: message)))
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    /// A failure of one attempt that the retry loop may retry, with the server's `Retry-After` if it gave one.
    private struct RetryableFailure: Error {
        var error: BackendError
        var retryAfter: Double?
    }

    /// Sends the request once and streams its reply. Failures are thrown as `RetryableFailure` (the loop in
    /// `run` decides); `streamedReply` is set once any reply piece was delivered.
    private func attempt(_ request: HTTPClientRequest, body: Data, client: HTTPClient, failures: BackendFailureMapper,
                         retries: Int, streamedReply: inout Bool,
                         continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws {
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
            throw RetryableFailure(error: failures.httpFailure(status: response.status, headers: response.headers, body: errorBody,
                                                               retries: retries, retryAfter: retryAfter),
                                   retryAfter: retryAfter)
        }
        let contentType = response.headers.first(name: "content-type")?.lowercased()

        var parser = SSEParser()
        var decoder = ChatStreamDecoder(failures: failures)
        var firstToken: ContinuousClock.Instant?
        var sniffed: [UInt8] = []
        var receivedBytes = false
        var delivered = false
        func deliver(_ events: [SSEEvent]) throws {
            for event in events {
                for chatEvent in try decoder.handle(event) {
                    switch chatEvent {
                    case .delta:
                        if firstToken == nil { firstToken = clock.now }
                        delivered = true
                    case .refusal, .reasoning, .toolCall:
                        delivered = true
                    case .retrying, .finished, .usage, .timing:
                        break
                    }
                    continuation.yield(chatEvent)
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

            if decoder.finishReason == nil && !decoder.isDone {
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
        if decoder.finishReason == nil {
            continuation.yield(.finished(.stop))
        }
        let ended = clock.now
        if let usage = decoder.usage { continuation.yield(.usage(usage)) }
        continuation.yield(.timing(Self.timing(started: started, firstToken: firstToken, ended: ended,
                                               completionTokens: decoder.usage?.completionTokens)))
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
