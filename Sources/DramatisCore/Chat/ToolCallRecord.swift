/// A tool call a reply ended with: the function's name and its arguments as the model wrote them (raw JSON text).
public struct ToolCallRecord: Codable, Sendable, Hashable {
    public var name: String
    public var arguments: String

    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }

    /// One line for a notice: `name(arguments)`.
    public var summary: String { "\(name)(\(arguments))" }
}
