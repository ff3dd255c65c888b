import Foundation

/// A problem in a configuration file, located by file, line and field.
public struct ConfigurationFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: URL
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted field path, e.g. "backends.openai.base_url".
    public var field: String?
    public var message: String

    public init(file: URL, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// "dramatis.yaml:7: backends.openai.base_url: not a valid URL".
    public var description: String {
        var text = file.path
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + message
    }
}
