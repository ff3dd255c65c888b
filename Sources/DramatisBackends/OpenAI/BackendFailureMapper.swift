import AsyncHTTPClient
import DramatisCore
import Foundation
import NIOCore
import NIOHTTP1

/// Turns HTTP statuses, error bodies, transport errors and broken streams into one-line
/// `BackendError`s that name the backend, say what to check, and never contain the key.
struct BackendFailureMapper: Sendable {
    /// Configured backend name, e.g. "openai".
    var backendName: String
    /// The URL that was requested (shown without query secrets; Azure keys travel in a header).
    var url: URL
    /// Flavour, to word 404s as "model" or "deployment".
    var flavour: BackendFlavour
    /// Model or deployment requested.
    var model: String
    /// Where the key came from, e.g. "OPENAI_API_KEY" or "command `pass show openai`"; nil when none.
    var keyOrigin: String?
    /// The key itself, only to mask it and to redact it from server text.
    var key: String?
    /// Idle timeout in seconds, quoted in timeout messages.
    var idleTimeout: Double
    /// Connect timeout in seconds, quoted in timeout messages.
    var connectTimeout: Double

    private var host: String {
        let host = url.host ?? url.absoluteString
        if let port = url.port { return "\(host):\(port)" }
        return host
    }

    private var keyDescription: String {
        guard let keyOrigin else { return "no API key is configured for this backend (set api_key_env or api_key_command)" }
        guard let key, !key.isEmpty else { return "\(keyOrigin) is empty" }
        return "check \(keyOrigin) (\(SecretMask.mask(key)))"
    }

    private var modelNoun: String { flavour.isAzure ? "deployment" : "model" }

    /// Cleans server-provided text for a one-line message: key redacted, escapes removed, shortened.
    func clean(_ text: String, limit: Int = 240) -> String {
        var result = SecretMask.redact(text, secrets: [key].compactMap { $0 })
        result = TerminalSanitizer.sanitize(result)
        result = result.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        if result.count > limit { result = String(result.prefix(limit)) + "…" }
        return result
    }

    /// Maps a non-2xx response. `retries` is how many retries were already spent (said for 429 and 5xx).
    func httpFailure(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8], retries: Int = 0,
                     retryAfter: Double? = nil) -> BackendError {
        let retried = retries > 0 ? " after \(retries) \(retries == 1 ? "retry" : "retries")" : ""
        let statusText = "\(status.code) \(status.reasonPhrase)"
        let detail = describeBody(body, contentType: headers.first(name: "content-type"))
        if case .html(let title) = detail {
            let shown = title.map { " (\"\(clean($0, limit: 120))\")" } ?? ""
            return BackendError(kind: status.code >= 500 ? .serverError : .malformedResponse,
                                message: "\(backendName) answered \(statusText)\(status.code >= 500 ? retried : "") with an HTML page\(shown) instead of an API reply; check the base URL \(clean(url.absoluteString))")
        }
        let said = detail.text.map { ": \(clean($0))" } ?? ""
        switch status.code {
        case 401:
            return BackendError(kind: .unauthorized, message: "\(backendName) rejected the API key (\(statusText)); \(keyDescription)\(said)")
        case 403:
            return BackendError(kind: .unauthorized, message: "\(backendName) refused access (\(statusText)); the key may lack permission for this \(modelNoun) — \(keyDescription)\(said)")
        case 404:
            return BackendError(kind: .notFound, message: "\(backendName) does not know \(modelNoun) '\(clean(model, limit: 80))' or the URL \(clean(url.absoluteString)) (\(statusText))\(said)")
        case 429:
            var message = "\(backendName) is rate limiting (\(statusText))\(retried)"
            if let retryAfter { message += "; retry after \(formatSeconds(retryAfter))" }
            return BackendError(kind: .rateLimited, message: message + said)
        case 500...599:
            return BackendError(kind: .serverError, message: "\(backendName) had a server error (\(statusText))\(retried)\(said)")
        default:
            return BackendError(kind: .providerError, message: "\(backendName) rejected the request (\(statusText))\(said)")
        }
    }

    /// Maps an error thrown by the HTTP client. `receivedBytes` says whether any body byte had arrived.
    func transportFailure(_ error: Error, receivedBytes: Bool, partialText: String) -> BackendError {
        if let error = error as? BackendError { return error }
        let kept = partialText.isEmpty ? "" : "; partial reply kept (\(partialText.count) characters), marked incomplete"
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .readTimeout, .deadlineExceeded:
                if receivedBytes {
                    return BackendError(kind: .stalled, message: "\(backendName) stalled: no data for \(formatSeconds(idleTimeout)) in the middle of the reply\(kept)", partialText: partialText)
                }
                return BackendError(kind: .timeout, message: "\(backendName) at \(host) sent no response within \(formatSeconds(idleTimeout))", partialText: partialText)
            case .connectTimeout, .tlsHandshakeTimeout:
                return BackendError(kind: .timeout, message: "could not connect to \(backendName) at \(host) within \(formatSeconds(connectTimeout))")
            case .remoteConnectionClosed:
                return disconnected(partialText: partialText)
            case .invalidURL, .emptyHost, .emptyScheme:
                return BackendError(kind: .configuration, message: "backend \(backendName) has an invalid URL: \(clean(url.absoluteString))")
            default:
                break
            }
        }
        if let parserError = error as? HTTPParserError, parserError == .invalidEOFState {
            // The connection closed inside the (chunked) body.
            return receivedBytes ? disconnected(partialText: partialText)
                : BackendError(kind: .disconnected, message: "\(backendName) at \(host) closed the connection before answering")
        }
        let errno = Self.findErrno(in: error)
        let text = String(describing: error).lowercased()
        if errno == ECONNREFUSED || text.contains("connection refused") {
            return BackendError(kind: .connectionRefused, message: "cannot connect to \(backendName) at \(host): connection refused (is the server running?)")
        }
        if Self.looksLikeDNSFailure(error, text: text) {
            return BackendError(kind: .dnsFailure, message: "cannot resolve host '\(url.host ?? "")' for backend \(backendName) (DNS lookup failed); check the URL and the network")
        }
        if errno == ETIMEDOUT {
            return BackendError(kind: .timeout, message: "could not connect to \(backendName) at \(host) within \(formatSeconds(connectTimeout))")
        }
        if errno == ECONNRESET || errno == EPIPE || text.contains("eof") || text.contains("connection reset") {
            return receivedBytes ? disconnected(partialText: partialText)
                : BackendError(kind: .disconnected, message: "\(backendName) at \(host) closed the connection before answering")
        }
        if receivedBytes {
            return BackendError(kind: .disconnected, message: "\(backendName) connection failed mid-reply (\(clean(String(describing: error), limit: 120)))\(kept)", partialText: partialText)
        }
        return BackendError(kind: .disconnected, message: "request to \(backendName) at \(host) failed: \(clean(String(describing: error), limit: 160))")
    }

    /// The stream ended before the model finished.
    func disconnected(partialText: String) -> BackendError {
        let kept = partialText.isEmpty ? "before any reply text" : "mid-reply; partial reply kept (\(partialText.count) characters), marked incomplete"
        return BackendError(kind: .disconnected, message: "\(backendName) closed the connection \(kept)", partialText: partialText)
    }

    /// A `data:` payload that is not valid JSON.
    func malformedChunk(_ data: String, partialText: String) -> BackendError {
        let kept = partialText.isEmpty ? "" : "; partial reply kept, marked incomplete"
        return BackendError(kind: .malformedResponse, message: "\(backendName) sent malformed JSON in a stream chunk: \(clean(data, limit: 80))\(kept)", partialText: partialText)
    }

    /// `data: {"error": …}` in the middle of a stream.
    func streamError(_ payload: ProviderErrorPayload, partialText: String) -> BackendError {
        let kept = partialText.isEmpty ? "" : "; partial reply kept, marked incomplete"
        return BackendError(kind: payload.isRateLimit ? .rateLimited : .providerError,
                            message: "\(backendName) reported an error during the reply: \(clean(payload.summary))\(kept)", partialText: partialText)
    }

    /// A 2xx answer whose body is not an event stream (HTML page, plain JSON).
    func notAnEventStream(body: [UInt8], contentType: String?) -> BackendError {
        switch describeBody(body, contentType: contentType) {
        case .html(let title):
            let shown = title.map { " (\"\(clean($0, limit: 120))\")" } ?? ""
            return BackendError(kind: .malformedResponse, message: "\(backendName) answered with an HTML page\(shown) instead of an event stream; check the base URL \(clean(url.absoluteString))")
        case .json(let payload?):
            return BackendError(kind: payload.isRateLimit ? .rateLimited : .providerError, message: "\(backendName) answered with an error instead of a stream: \(clean(payload.summary))")
        case .json(nil):
            return BackendError(kind: .malformedResponse, message: "\(backendName) answered with plain JSON instead of an event stream (does it support \"stream\": true?)")
        case .text(let text):
            let shown = text.map { ": \(clean($0, limit: 120))" } ?? ""
            return BackendError(kind: .malformedResponse, message: "\(backendName) answered with something that is not an event stream\(shown)")
        }
    }

    // MARK: - Body inspection

    /// What an error body turned out to be.
    enum BodyDetail {
        case html(title: String?)
        case json(ProviderErrorPayload?)
        case text(String?)

        var text: String? {
            switch self {
            case .html(let title): title
            case .json(let payload): payload?.summary
            case .text(let text): text
            }
        }
    }

    func describeBody(_ body: [UInt8], contentType: String?) -> BodyDetail {
        let text = String(decoding: body, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let type = contentType?.lowercased() ?? ""
        if type.contains("html") || trimmed.hasPrefix("<") {
            return .html(title: Self.htmlTitle(trimmed))
        }
        if type.contains("json") || trimmed.hasPrefix("{") {
            if let decoded = try? JSONDecoder().decode(ProviderErrorBody.self, from: Data(body)) {
                return .json(decoded.payload)
            }
            return .text(trimmed.isEmpty ? nil : trimmed)
        }
        return .text(trimmed.isEmpty ? nil : trimmed)
    }

    static func htmlTitle(_ html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
              let close = html.range(of: ">", range: open.upperBound..<html.endIndex),
              let end = html.range(of: "</title>", options: .caseInsensitive, range: close.upperBound..<html.endIndex)
        else {
            if let h1 = html.range(of: "<h1>", options: .caseInsensitive),
               let end = html.range(of: "</h1>", options: .caseInsensitive, range: h1.upperBound..<html.endIndex) {
                return String(html[h1.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return nil
        }
        let title = html[close.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? nil : title
    }

    /// Finds an errno in a (possibly nested) NIO error: NIOPosix wraps connect failures in types
    /// this module cannot name, so walk the value's children looking for `IOError`.
    static func findErrno(in error: Any, depth: Int = 0) -> Int32? {
        if let ioError = error as? IOError { return ioError.errnoCode }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: error).children {
            if let found = findErrno(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    static func looksLikeDNSFailure(_ error: Error, text: String) -> Bool {
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("SocketAddressError") { return true }
        if text.contains("dnsaerror") || text.contains("dnsaaaaerror") {
            // NIOConnectionError: DNS failed when it resolved nothing to connect to.
            return !text.contains("connectionerrors: [nio") || text.contains("connectionerrors: []")
        }
        return text.contains("getaddrinfo") || text.contains("name or service not known")
            || text.contains("temporary failure in name resolution") || text.contains("unknown host")
    }
}

/// "3 s", "0.5 s", "2 min".
func formatSeconds(_ seconds: Double) -> String {
    if seconds >= 120 { return "\(Int(seconds / 60)) min" }
    if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
    return String(format: "%.1f s", seconds)
}
