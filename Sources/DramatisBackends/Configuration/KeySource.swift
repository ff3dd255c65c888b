/// Where an API key comes from. The key itself is never stored in a configuration file.
public enum KeySource: Sendable, Hashable, CustomStringConvertible {
    /// An environment variable, e.g. `OPENAI_API_KEY`.
    case environment(String)
    /// A command whose standard output (trimmed) is the key, e.g. `["pass", "show", "openai"]`.
    case command([String])

    /// "OPENAI_API_KEY" or "command `pass show openai`", for messages.
    public var description: String {
        switch self {
        case .environment(let name): name
        case .command(let argv): "command `\(argv.joined(separator: " "))`"
        }
    }
}
