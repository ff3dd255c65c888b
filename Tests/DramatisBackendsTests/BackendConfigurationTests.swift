import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisBackends

@Suite struct BackendConfigurationTests {
    private func paths(_ dir: TemporaryDirectory) -> AppPaths {
        AppPaths(cacheRoot: dir.path("cache"), configRoot: dir.path("config"), stateRoot: dir.path("state"))
    }

    private func load(_ yaml: String?, environment: [String: String] = [:]) throws -> BackendConfiguration {
        let dir = try TemporaryDirectory()
        if let yaml { try yaml.write(to: dir.path("dramatis.yaml"), atomically: true, encoding: .utf8) }
        return try BackendConfiguration.load(workingDirectory: dir.url, paths: paths(dir), environment: environment)
    }

    private func loadError(_ yaml: String) -> ConfigurationFileError? {
        do {
            _ = try load(yaml)
            return nil
        } catch let error as ConfigurationFileError {
            return error
        } catch {
            return nil
        }
    }

    @Test func noFileNoEnvironmentGivesOnlyLocal() throws {
        let configuration = try load(nil)
        #expect(configuration.defaultBackendName == "local")
        #expect(configuration.orderedNames == ["local"])
        #expect(try configuration.settings(named: nil).kind == .local)
    }

    @Test func zeroConfigBackendsFromEnvironment() throws {
        let configuration = try load(nil, environment: [
            "OPENAI_API_KEY": "sk-test-1234567890abcdef",
            "AZURE_OPENAI_API_KEY": "azkey-0987654321",
            "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com",
            "OPENAI_API_VERSION": "2025-01-01-preview",
            "OLLAMA_HOST": "0.0.0.0:11434",
        ])
        #expect(configuration.orderedNames == ["local", "azure", "ollama", "openai"])
        let openai = try configuration.settings(named: "openai")
        #expect(openai.baseURL?.absoluteString == "https://api.openai.com/v1")
        #expect(openai.apiKey == .environment("OPENAI_API_KEY"))
        let azure = try configuration.settings(named: "azure")
        #expect(azure.kind == .azure)
        #expect(azure.apiVersion == "2025-01-01-preview")
        #expect(azure.apiKey == .environment("AZURE_OPENAI_API_KEY"))
        let ollama = try configuration.settings(named: "ollama")
        #expect(ollama.baseURL?.absoluteString == "http://127.0.0.1:11434/v1")
        #expect(ollama.apiKey == nil)
        #expect(configuration.defaultBackendName == "local")
    }

    @Test func ollamaHostForms() {
        #expect(BackendConfiguration.ollamaBaseURL(host: "gpu-box")?.absoluteString == "http://gpu-box:11434/v1")
        #expect(BackendConfiguration.ollamaBaseURL(host: "https://ollama.example.com:443")?.absoluteString == "https://ollama.example.com:443/v1")
    }

    @Test func fileBackendsOverrideEnvironmentAndSetDefault() throws {
        let yaml = """
        default_backend: work
        backends:
          work:
            kind: azure
            endpoint: https://work.openai.azure.com
            deployment: gpt-4o-prod
            api_key_command: ["pass", "show", "azure/work"]
            idle_timeout: 15
          openai:
            kind: openai
            base_url: https://openrouter.ai/api/v1
            model: meta-llama/llama-3.1-8b-instruct
            api_key_env: OPENROUTER_API_KEY
            include_usage: false
            headers:
              HTTP-Referer: https://example.com
        """
        let configuration = try load(yaml, environment: ["OPENAI_API_KEY": "sk-zzzzzzzzzzzzzzzz"])
        #expect(configuration.defaultBackendName == "work")
        let work = try configuration.settings(named: nil)
        #expect(work.kind == .azure)
        #expect(work.model == "gpt-4o-prod")
        #expect(work.apiVersion == BackendFlavour.defaultAzureAPIVersion)
        #expect(work.apiKey == .command(["pass", "show", "azure/work"]))
        #expect(work.idleTimeout == 15)
        #expect(work.origin == "dramatis.yaml:3")
        let openai = try configuration.settings(named: "openai")
        #expect(openai.baseURL?.host == "openrouter.ai")
        #expect(openai.apiKey == .environment("OPENROUTER_API_KEY"))
        #expect(openai.includeUsage == false)
        #expect(openai.headers == ["HTTP-Referer": "https://example.com"])
    }

    @Test func supportsNIsReadAndCheckedWithLineAndField() throws {
        let configuration = try load("backends:\n  vllm:\n    kind: openai\n    base_url: http://h/v1\n    model: m\n    supports_n: false\n"
                                     + "  box:\n    kind: ollama\n    model: llama3\n    supports_n: true\n  plain:\n    kind: openai\n    base_url: http://h/v1\n    model: m\n")
        #expect(try configuration.settings(named: "vllm").sendsChoiceCount == false)
        #expect(try configuration.settings(named: "box").sendsChoiceCount == true)
        #expect(try configuration.settings(named: "plain").sendsChoiceCount == true)
        let bad = loadError("backends:\n  x:\n    kind: openai\n    base_url: http://h/v1\n    model: m\n    supports_n: sometimes\n")
        #expect(bad?.line == 6)
        #expect(bad?.field == "backends.x.supports_n")
        #expect(bad?.message == "must be true or false")
    }

    @Test func storedKeyIsRejectedWithLineAndField() {
        let error = loadError("""
        backends:
          openai:
            kind: openai
            base_url: https://api.openai.com/v1
            model: gpt-4o-mini
            api_key: sk-do-not-store-me-here
        """)
        #expect(error?.line == 6)
        #expect(error?.field == "backends.openai.api_key")
        #expect(error?.message.contains("never stored") == true)
        #expect(error?.description.contains("sk-do-not-store") == false)
    }

    @Test func unknownFieldAndBadURLAndUnknownKindAndMissingDefault() {
        let unknown = loadError("backends:\n  x:\n    kind: openai\n    base_url: http://h/v1\n    model: m\n    temprature: 1\n")
        #expect(unknown?.line == 6)
        #expect(unknown?.field == "backends.x.temprature")
        #expect(unknown?.message.hasPrefix("unknown field") == true)

        let badURL = loadError("backends:\n  x:\n    kind: openai\n    base_url: not a url\n    model: m\n")
        #expect(badURL?.line == 4)
        #expect(badURL?.field == "backends.x.base_url")

        let badKind = loadError("backends:\n  x:\n    kind: anthropic\n    model: m\n")
        #expect(badKind?.field == "backends.x.kind")
        #expect(badKind?.message.contains("unknown kind 'anthropic'") == true)

        let missingDefault = loadError("default_backend: nope\nbackends: {}\n")
        #expect(missingDefault?.line == 1)
        #expect(missingDefault?.field == "default_backend")
    }

    @Test func invalidYAMLNamesTheLine() {
        let error = loadError("backends:\n  x:\n    kind: [openai\n")
        #expect(error?.line != nil)
        #expect(error?.message.hasPrefix("invalid YAML") == true)
        #expect(error?.description.contains("dramatis.yaml:") == true)
    }

    @Test func userConfigFileIsUsedWhenNoLocalFile() throws {
        let dir = try TemporaryDirectory()
        let appPaths = paths(dir)
        try FileManager.default.createDirectory(at: appPaths.configRoot, withIntermediateDirectories: true)
        try "backends:\n  lm:\n    kind: openai\n    base_url: http://127.0.0.1:1234/v1\n    model: qwen\n"
            .write(to: appPaths.userConfigFile, atomically: true, encoding: .utf8)
        let work = dir.path("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let configuration = try BackendConfiguration.load(workingDirectory: work, paths: appPaths, environment: [:])
        #expect(configuration.sourceFile?.lastPathComponent == "config.yaml")
        #expect(try configuration.settings(named: "lm").model == "qwen")
    }

    @Test func unknownBackendNameListsKnownOnes() throws {
        let configuration = try load(nil)
        #expect(throws: BackendError(kind: .configuration, message: "unknown backend 'gpt'; known backends: local")) {
            try configuration.settings(named: "gpt")
        }
    }

    @Test func keyProviderReadsVariableOrCommandAndNamesTheSourceOnFailure() throws {
        let fromEnv = APIKeyProvider(source: .environment("MY_KEY"), environment: ["MY_KEY": "sk-abcdefghijklmnop"])
        #expect(try fromEnv.key(backendName: "b") == "sk-abcdefghijklmnop")
        #expect(fromEnv.maskedKeyIfKnown == "sk-…mnop")

        let missing = APIKeyProvider(source: .environment("MY_KEY"), environment: [:])
        #expect(missing.isConfigured == false)
        #expect(throws: BackendError(kind: .configuration, message: "backend b needs an API key: the environment variable MY_KEY is not set")) {
            try missing.key(backendName: "b")
        }

        let command = APIKeyProvider(source: .command(["/bin/sh", "-c", "echo '  sk-from-command-123  '"]), environment: ["PATH": "/usr/bin:/bin"])
        #expect(try command.key(backendName: "b") == "sk-from-command-123")

        let failing = APIKeyProvider(source: .command(["/bin/sh", "-c", "echo vault locked >&2; exit 3"]), environment: ["PATH": "/usr/bin:/bin"])
        #expect(throws: BackendError(kind: .configuration, message: "backend b: command `/bin/sh -c echo vault locked >&2; exit 3` exited with status 3: vault locked")) {
            try failing.key(backendName: "b")
        }
    }
}
