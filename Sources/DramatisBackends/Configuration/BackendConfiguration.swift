import DramatisCore
import Foundation
import Yams

/// The named backends Dramatis knows: built-in `local`, zero-config ones from the usual
/// environment variables, and entries of `dramatis.yaml` (working directory) or
/// `${XDG_CONFIG_HOME:-~/.config}/dramatis/config.yaml`. File entries win over the others.
public struct BackendConfiguration: Sendable, Hashable {
    /// The name every backend-less request goes to: "local" unless the file says otherwise.
    public var defaultBackendName: String
    /// Backends by name.
    public var backends: [String: BackendSettings]
    /// The file that was read, if any.
    public var sourceFile: URL?
    /// Where exported files are going (`upload_target:` in the file): the default of `export`/`validate --target`.
    public var uploadTarget: UploadTarget?
    /// The environment the configuration was built from (to resolve key variables).
    public var environment: [String: String]

    /// A configuration from parts (tests, tools); `load` is the usual way.
    public init(defaultBackendName: String = "local", backends: [String: BackendSettings] = ["local": .local],
                sourceFile: URL? = nil, environment: [String: String] = [:]) {
        self.defaultBackendName = defaultBackendName
        self.backends = backends
        self.sourceFile = sourceFile
        self.environment = environment
    }

    /// Backend names, default first, then alphabetical.
    public var orderedNames: [String] {
        [defaultBackendName].filter { backends[$0] != nil }
            + backends.keys.filter { $0 != defaultBackendName }.sorted()
    }

    /// The settings for `name` (nil = the default), or a `.configuration` error listing the known names.
    public func settings(named name: String?) throws -> BackendSettings {
        let wanted = name ?? defaultBackendName
        guard let settings = backends[wanted] else {
            let from = sourceFile.map { " (configured in \($0.path))" } ?? ""
            throw BackendError(kind: .configuration,
                               message: "unknown backend '\(wanted)'; known backends: \(orderedNames.joined(separator: ", "))\(from)")
        }
        return settings
    }

    /// The configuration file that applies: `./dramatis.yaml` if present, else the user config file if present.
    public static func configurationFile(workingDirectory: URL, paths: AppPaths) -> URL? {
        let local = workingDirectory.appendingPathComponent("dramatis.yaml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        if FileManager.default.fileExists(atPath: paths.userConfigFile.path) { return paths.userConfigFile }
        return nil
    }

    /// Loads built-in, environment and file backends. Throws `ConfigurationFileError` (file, line, field) for bad files.
    public static func load(workingDirectory: URL, paths: AppPaths,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BackendConfiguration {
        var configuration = BackendConfiguration(environment: environment)
        for settings in environmentBackends(environment) {
            configuration.backends[settings.name] = settings
        }
        guard let file = configurationFile(workingDirectory: workingDirectory, paths: paths) else { return configuration }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: file)
        } catch {
            throw ConfigurationFileError(file: file, line: nil, field: nil, message: "cannot read the file: \(error.localizedDescription)")
        }
        if let failure = UTF8Validation.firstInvalidByte(in: [UInt8](bytes)) {
            throw ConfigurationFileError(file: file, line: failure.line, field: nil,
                                         message: "invalid UTF-8 (byte 0x\(String(failure.byte, radix: 16, uppercase: true)) at column \(failure.column)); save the file as UTF-8")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed = try ConfigurationFileParser(file: file).parse(text)
        configuration.sourceFile = file
        configuration.uploadTarget = parsed.uploadTarget
        for settings in parsed.backends {
            configuration.backends[settings.name] = settings
        }
        if let name = parsed.defaultBackend {
            guard configuration.backends[name.value] != nil else {
                throw ConfigurationFileError(file: file, line: name.line, field: "default_backend",
                                             message: "names backend '\(name.value)', which is not defined (known: \(configuration.orderedNames.joined(separator: ", ")))")
            }
            configuration.defaultBackendName = name.value
        }
        return configuration
    }

    /// Zero-config backends from `OPENAI_API_KEY`/`OPENAI_BASE_URL`, `AZURE_OPENAI_API_KEY`/`AZURE_OPENAI_ENDPOINT`/
    /// `OPENAI_API_VERSION` (deployment from `AZURE_OPENAI_DEPLOYMENT`), and `OLLAMA_HOST`.
    public static func environmentBackends(_ environment: [String: String]) -> [BackendSettings] {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var result: [BackendSettings] = []
        if value("OPENAI_API_KEY") != nil || value("OPENAI_BASE_URL") != nil {
            let base = value("OPENAI_BASE_URL").flatMap(URL.init(string:)) ?? URL(string: "https://api.openai.com/v1")!
            result.append(BackendSettings(name: "openai", kind: .openai, baseURL: base,
                                          model: value("OPENAI_MODEL") ?? "gpt-4o-mini",
                                          apiKey: value("OPENAI_API_KEY") != nil ? .environment("OPENAI_API_KEY") : nil,
                                          origin: "environment (OPENAI_API_KEY / OPENAI_BASE_URL)"))
        }
        if let endpoint = value("AZURE_OPENAI_ENDPOINT").flatMap(URL.init(string:)) {
            result.append(BackendSettings(name: "azure", kind: .azure, baseURL: endpoint,
                                          model: value("AZURE_OPENAI_DEPLOYMENT") ?? "gpt-4o-mini",
                                          apiVersion: value("OPENAI_API_VERSION") ?? BackendFlavour.defaultAzureAPIVersion,
                                          apiKey: .environment("AZURE_OPENAI_API_KEY"),
                                          origin: "environment (AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_API_KEY)"))
        }
        if let host = value("OLLAMA_HOST"), let base = ollamaBaseURL(host: host) {
            result.append(BackendSettings(name: "ollama", kind: .ollama, baseURL: base,
                                          model: value("OLLAMA_MODEL") ?? "llama3.2",
                                          origin: "environment (OLLAMA_HOST)"))
        }
        return result
    }

    /// `OLLAMA_HOST` forms: "host", "host:port", "http://host:port" (0.0.0.0 means this machine).
    public static func ollamaBaseURL(host: String) -> URL? {
        var value = host
        if !value.contains("://") { value = "http://" + value }
        guard var components = URLComponents(string: value), let hostName = components.host, !hostName.isEmpty else { return nil }
        if hostName == "0.0.0.0" { components.host = "127.0.0.1" }
        if components.port == nil { components.port = 11434 }
        var path = components.path
        if path.hasSuffix("/") { path.removeLast() }
        components.path = path + "/v1"
        return components.url
    }
}
