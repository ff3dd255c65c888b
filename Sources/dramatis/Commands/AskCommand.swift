import ArgumentParser
import DramatisBackends
import DramatisCore
import Foundation

/// `dramatis ask`: one prompt, one streamed reply on stdout, non-zero exit on failure.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Send one prompt and stream the reply to stdout.",
        discussion: """
        The reply is printed as it arrives, with terminal escape sequences removed. On failure the \
        partial reply (if any) stays on stdout, the message goes to stderr, and the exit status is 1 \
        (2 for configuration errors). Use '-' as PROMPT to read it from stdin.
        """)

    /// Used when no persona is given.
    static let defaultSystemPrompt = "You are a helpful assistant."

    @Option(name: .long, help: "Persona to talk to (file stem in ./Personas or the user persona folder).")
    var persona: String?

    @OptionGroup var backendOptions: BackendOptions

    @Flag(name: .long, help: "Print one JSON object (text, finish_reason, usage, timing) instead of streaming text.")
    var json = false

    @Argument(help: "The prompt, or '-' to read it from stdin.")
    var prompt: String

    mutating func run() async throws {
        var standardError = StandardError()
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)

        let promptText: String
        if prompt == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            promptText = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            promptText = prompt
        }
        guard !promptText.isEmpty else {
            print("dramatis ask: the prompt is empty", to: &standardError)
            throw ExitCode(2)
        }
        if let persona {
            print("dramatis ask: --persona \(persona): personas are not available in this build yet", to: &standardError)
            throw ExitCode(2)
        }

        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            print("dramatis ask: \(error)", to: &standardError)
            throw ExitCode(2)
        }
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths))
        let outcome = await Self.ask(factory: factory, options: backendOptions,
                                     messages: [.system(Self.defaultSystemPrompt), .user(promptText)],
                                     json: json)
        await factory.shutdown()
        if let error = outcome {
            print("dramatis ask: \(error.message)", to: &standardError)
            throw ExitCode(error.kind == .configuration ? 2 : 1)
        }
    }

    /// Streams the reply (or prints JSON); returns the failure, if any.
    static func ask(factory: BackendFactory, options: BackendOptions, messages: [ChatMessage], json: Bool) async -> BackendError? {
        let backend: any ChatBackend
        do {
            backend = try await factory.makeBackend(named: options.backend, model: options.model)
        } catch {
            let failure = error as? BackendError ?? BackendError(kind: .configuration, message: "\(error)")
            if json { printJSON(AskResult(backend: options.backend ?? factory.configuration.defaultBackendName, model: options.model ?? "", error: failure)) }
            return failure
        }
        let request = ChatRequest(model: options.model, messages: messages, sampling: options.samplingOverrides)
        var result = AskResult(backend: backend.descriptor.name, model: options.model ?? backend.descriptor.model)
        var sanitizer = TerminalSanitizer()
        let stdout = FileHandle.standardOutput
        var endsWithNewline = true
        do {
            for try await event in backend.stream(request) {
                switch event {
                case .delta(let text):
                    result.text += text
                    if !json {
                        let shown = sanitizer.feed(text)
                        if !shown.isEmpty {
                            stdout.write(Data(shown.utf8))
                            endsWithNewline = shown.hasSuffix("\n")
                        }
                    }
                case .finished(let reason): result.finishReason = reason.wireValue
                case .usage(let usage): result.usage = usage
                case .timing(let timing): result.timing = timing
                }
            }
        } catch {
            let failure = error as? BackendError ?? BackendError(kind: .disconnected, message: "\(error)", partialText: result.text)
            result.finishReason = FinishReason.incomplete.wireValue
            result.error = failure
        }
        if json {
            printJSON(result)
        } else {
            let tail = sanitizer.finish()
            if !tail.isEmpty { stdout.write(Data(tail.utf8)); endsWithNewline = tail.hasSuffix("\n") }
            if !endsWithNewline { stdout.write(Data("\n".utf8)) }
        }
        return result.error
    }

    private static func printJSON(_ result: AskResult) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder escapes control characters, so raw model text is safe to print here.
        if let data = try? encoder.encode(result) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}

/// The `--json` output of `dramatis ask`.
struct AskResult: Encodable {
    var backend: String
    var model: String
    var text = ""
    var finishReason: String?
    var usage: TokenUsage?
    var timing: ReplyTiming?
    var error: BackendError?

    enum CodingKeys: String, CodingKey {
        case backend, model, text, usage, timing, error
        case finishReason = "finish_reason"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(backend, forKey: .backend)
        try container.encode(model, forKey: .model)
        try container.encode(text, forKey: .text)
        try container.encode(finishReason, forKey: .finishReason)
        try container.encode(usage, forKey: .usage)
        try container.encode(timing, forKey: .timing)
        if let error {
            try container.encode(["kind": error.kind.rawValue, "message": error.message], forKey: .error)
        } else {
            try container.encodeNil(forKey: .error)
        }
    }
}

/// Lets `print(…, to:)` write to stderr.
private struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
