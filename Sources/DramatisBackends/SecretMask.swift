import Foundation

/// Hides secrets in anything shown to a person or written to disk.
public enum SecretMask {
    /// A recognisable but useless form of a key: "sk-…wxyz" (short keys become "****").
    public static func mask(_ secret: String) -> String {
        guard secret.count >= 12 else { return "****" }
        return "\(secret.prefix(3))…\(secret.suffix(4))"
    }

    /// Replaces every occurrence of each secret in `text` by its masked form.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: mask(secret))
        }
        return result
    }
}
