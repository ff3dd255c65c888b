import Foundation
import Yams
import DramatisCore

/// Reads the YAML configuration file into backend settings, rejecting unknown fields and
/// stored keys with errors that name the file, line and field.
///
/// ```yaml
/// default_backend: openai
/// backends:
///   openai:
///     kind: openai
///     base_url: https://api.openai.com/v1
///     model: gpt-4o-mini
///     api_key_env: OPENAI_API_KEY
/// ```
struct ConfigurationFileParser {
    /// A value together with the line it came from.
    struct Located<Value> {
        var value: Value
        var line: Int?
    }

    /// The file's content.
    struct Parsed {
        var defaultBackend: Located<String>?
        var backends: [BackendSettings]
        /// `upload_target:`, the default of `export --target` and `validate --target`.
        var uploadTarget: UploadTarget?
    }

    static let topLevelFields = ["default_backend", "backends", "upload_target"]
    static let backendFields = ["kind", "base_url", "endpoint", "model", "deployment", "api_version", "api_key_env",
                                "api_key_command", "include_usage", "supports_n", "connect_timeout", "idle_timeout", "max_retries", "headers"]
    static let storedKeyFields = ["api_key", "key", "apikey", "api-key", "token", "secret"]

    let file: URL

    func parse(_ text: String) throws -> Parsed {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error)
        }
        guard let root else { return Parsed(defaultBackend: nil, backends: []) }
        guard let mapping = root.mapping else {
            throw fail(root, nil, "the file must be a mapping with 'backends:' (and optionally 'default_backend:')")
        }
        var parsed = Parsed(defaultBackend: nil, backends: [])
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "default_backend":
                parsed.defaultBackend = Located(value: try string(valueNode, field: key), line: valueNode.mark?.line)
            case "upload_target":
                let name = try string(valueNode, field: key)
                guard let target = UploadTarget(rawValue: name) else {
                    throw fail(valueNode, key, "unknown target '\(name)' (expected one of: \(UploadTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                parsed.uploadTarget = target
            case "backends":
                guard let backends = valueNode.mapping else {
                    throw fail(valueNode, key, "must be a mapping from backend name to its settings")
                }
                for (nameNode, settingsNode) in backends {
                    parsed.backends.append(try backend(named: nameNode, settingsNode))
                }
            default:
                throw fail(keyNode, key, "unknown field (expected one of: \(Self.topLevelFields.joined(separator: ", ")))")
            }
        }
        return parsed
    }

    private func backend(named nameNode: Node, _ node: Node) throws -> BackendSettings {
        guard let name = nameNode.string, !name.isEmpty,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw fail(nameNode, "backends", "a backend name must be letters, digits, '-', '_' or '.'")
        }
        let prefix = "backends.\(name)"
        guard let mapping = node.mapping else {
            throw fail(node, prefix, "must be a mapping of settings (kind, base_url, model, …)")
        }
        var fields: [String: (key: Node, value: Node)] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            if Self.storedKeyFields.contains(key.lowercased()) {
                throw fail(keyNode, "\(prefix).\(key)", "API keys are never stored in the configuration file; name the environment variable with api_key_env, or a command that prints the key with api_key_command")
            }
            guard Self.backendFields.contains(key) else {
                throw fail(keyNode, "\(prefix).\(key)", "unknown field (expected one of: \(Self.backendFields.joined(separator: ", ")))")
            }
            fields[key] = (keyNode, valueNode)
        }
        let kindName = try fields["kind"].map { try string($0.value, field: "\(prefix).kind") } ?? "openai"
        guard let kind = BackendSettings.Kind(rawValue: kindName) else {
            throw fail(fields["kind"]?.value ?? node, "\(prefix).kind",
                       "unknown kind '\(kindName)' (expected one of: \(BackendSettings.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var settings = kind == .local ? BackendSettings.local : BackendSettings(name: name, kind: kind, model: "")
        settings.name = name
        settings.origin = "\(file.lastPathComponent):\(nameNode.mark?.line ?? 0)"

        let urlField = kind == .azure ? (fields["endpoint"] != nil ? "endpoint" : "base_url") : "base_url"
        if let entry = fields[urlField] {
            let text = try string(entry.value, field: "\(prefix).\(urlField)")
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw fail(entry.value, "\(prefix).\(urlField)", "'\(text)' is not an http(s) URL")
            }
            settings.baseURL = url
        } else if kind == .ollama {
            settings.baseURL = BackendConfiguration.ollamaBaseURL(host: "127.0.0.1:11434")
        } else if kind == .openai {
            throw fail(node, prefix, "base_url is required for kind openai (e.g. https://api.openai.com/v1, http://localhost:11434/v1)")
        } else if kind == .azure {
            throw fail(node, prefix, "endpoint is required for kind azure (e.g. https://my-resource.openai.azure.com)")
        }
        if kind == .local, let entry = fields["base_url"] {
            throw fail(entry.key, "\(prefix).base_url", "the local backend runs the embedded engine; use kind openai for a server you start yourself")
        }

        let modelField = fields["deployment"] != nil ? "deployment" : "model"
        if let entry = fields[modelField] {
            settings.model = try string(entry.value, field: "\(prefix).\(modelField)")
        } else if kind == .azure {
            throw fail(node, prefix, "deployment is required for kind azure")
        } else if kind != .local {
            throw fail(node, prefix, "model is required")
        }
        if let entry = fields["api_version"] {
            guard kind == .azure else { throw fail(entry.key, "\(prefix).api_version", "only applies to kind azure") }
            settings.apiVersion = try string(entry.value, field: "\(prefix).api_version")
        } else if kind == .azure {
            settings.apiVersion = BackendFlavour.defaultAzureAPIVersion
        }
        if let env = fields["api_key_env"], let command = fields["api_key_command"] {
            _ = env
            throw fail(command.key, "\(prefix).api_key_command", "give either api_key_env or api_key_command, not both")
        }
        if let entry = fields["api_key_env"] {
            let variable = try string(entry.value, field: "\(prefix).api_key_env")
            guard variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !variable.isEmpty else {
                throw fail(entry.value, "\(prefix).api_key_env", "must be the NAME of an environment variable (letters, digits, '_'), not the key itself")
            }
            settings.apiKey = .environment(variable)
        }
        if let entry = fields["api_key_command"] {
            if let text = entry.value.string {
                settings.apiKey = .command(["/bin/sh", "-c", text])
            } else if let sequence = entry.value.sequence {
                let argv = try sequence.map { try string($0, field: "\(prefix).api_key_command") }
                guard !argv.isEmpty else { throw fail(entry.value, "\(prefix).api_key_command", "must not be empty") }
                settings.apiKey = .command(argv)
            } else {
                throw fail(entry.value, "\(prefix).api_key_command", "must be a command line string or a list of arguments")
            }
        } else if kind == .azure && settings.apiKey == nil {
            settings.apiKey = .environment("AZURE_OPENAI_API_KEY")
        }
        if let entry = fields["include_usage"] {
            guard let flag = entry.value.bool else { throw fail(entry.value, "\(prefix).include_usage", "must be true or false") }
            settings.includeUsage = flag
        }
        if let entry = fields["supports_n"] {
            guard let flag = entry.value.bool else { throw fail(entry.value, "\(prefix).supports_n", "must be true or false") }
            settings.supportsChoices = flag
        }
        if let entry = fields["connect_timeout"] { settings.connectTimeout = try seconds(entry.value, field: "\(prefix).connect_timeout") }
        if let entry = fields["idle_timeout"] { settings.idleTimeout = try seconds(entry.value, field: "\(prefix).idle_timeout") }
        if let entry = fields["max_retries"] {
            guard let count = entry.value.int, (0...10).contains(count) else {
                throw fail(entry.value, "\(prefix).max_retries", "must be a whole number from 0 to 10")
            }
            settings.maxRetries = count
        }
        if let entry = fields["headers"] {
            guard let headers = entry.value.mapping else { throw fail(entry.value, "\(prefix).headers", "must be a mapping of header name to value") }
            for (headerName, headerValue) in headers {
                let header = headerName.string ?? ""
                if ["authorization", "api-key", "x-api-key"].contains(header.lowercased()) {
                    throw fail(headerName, "\(prefix).headers.\(header)", "keys are never stored in the configuration file; use api_key_env or api_key_command")
                }
                settings.headers[header] = try string(headerValue, field: "\(prefix).headers.\(header)")
            }
        }
        return settings
    }

    private func string(_ node: Node, field: String) throws -> String {
        guard let scalar = node.scalar else { throw fail(node, field, "must be a single value") }
        let value = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw fail(node, field, "must not be empty") }
        return value
    }

    private func seconds(_ node: Node, field: String) throws -> Double {
        guard let value = node.float ?? node.int.map(Double.init), value > 0, value <= 3600 else {
            throw fail(node, field, "must be a number of seconds between 0 and 3600")
        }
        return value
    }

    private func fail(_ node: Node, _ field: String?, _ message: String) -> ConfigurationFileError {
        ConfigurationFileError(file: file, line: node.mark?.line, field: field, message: message)
    }

    private func yamlError(_ error: YamlError) -> ConfigurationFileError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ConfigurationFileError(file: file, line: mark.line, field: nil, message: "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            _ = context
            return ConfigurationFileError(file: file, line: nil, field: nil, message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigurationFileError(file: file, line: nil, field: nil, message: "invalid YAML: \(error)")
        }
    }
}
