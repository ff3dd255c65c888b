/// The `error` member of a provider's JSON error (`{"error":{"message":…,"code":…}}`, or a bare string).
struct ProviderErrorPayload: Decodable, Sendable, Hashable {
    var message: String?
    var type: String?
    var code: String?

    enum CodingKeys: String, CodingKey { case message, type, code }

    init(message: String?, type: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
    }

    init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(message: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let message = try? container.decodeIfPresent(String.self, forKey: .message)
        let type = try? container.decodeIfPresent(String.self, forKey: .type)
        // `code` is a string at OpenAI, an integer at some proxies and llama.cpp.
        var code = try? container.decodeIfPresent(String.self, forKey: .code)
        if code == nil, let number = try? container.decodeIfPresent(Int.self, forKey: .code) { code = String(number) }
        self.init(message: message, type: type, code: code)
    }

    /// "message (code)" for showing to a person.
    var summary: String {
        var text = message ?? type ?? "unspecified error"
        if let code, !text.contains(code) { text += " (\(code))" }
        return text
    }

    /// Whether the provider says this is rate limiting.
    var isRateLimit: Bool {
        [type, code].contains { value in
            guard let value = value?.lowercased() else { return false }
            return value.contains("rate_limit") || value == "429" || value.contains("too_many_requests")
        }
    }
}

/// A whole JSON error body: `{"error": …}` (OpenAI, Azure, llama.cpp) or `{"message": …}` / `{"detail": …}`.
struct ProviderErrorBody: Decodable, Sendable {
    var error: ProviderErrorPayload?
    var message: String?
    var detail: String?

    /// The best single error description in the body.
    var payload: ProviderErrorPayload? {
        if let error { return error }
        if let message { return ProviderErrorPayload(message: message) }
        if let detail { return ProviderErrorPayload(message: detail) }
        return nil
    }
}
