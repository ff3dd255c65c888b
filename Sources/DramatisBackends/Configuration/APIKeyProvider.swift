import DramatisCore
import Foundation

/// Resolves a `KeySource` to the key, on demand. A command is run once; its answer is cached.
public final class APIKeyProvider: Sendable {
    /// Where the key comes from; nil for backends that need none (local, Ollama).
    public let source: KeySource?
    private let environment: [String: String]
    private let cache = LockedValue<String?>(nil)

    /// A provider for `source`, reading variables from `environment`.
    public init(source: KeySource?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.source = source
        self.environment = environment
    }

    /// A provider that hands out a fixed key (tests, programmatic use).
    public convenience init(fixedKey: String, origin: String = "test key") {
        self.init(source: .environment(origin), environment: [origin: fixedKey])
    }

    /// Whether the key is available without running anything: the variable is set and non-empty.
    /// Commands are reported as available (they are only run when a request needs the key).
    public var isConfigured: Bool {
        switch source {
        case nil: true
        case .environment(let name): !(environment[name] ?? "").isEmpty
        case .command: true
        }
    }

    /// The masked key for display ("sk-…abcd"), without running a command; nil when unknown.
    public var maskedKeyIfKnown: String? {
        if let cached = cache.value { return SecretMask.mask(cached) }
        if case .environment(let name) = source, let value = environment[name], !value.isEmpty {
            return SecretMask.mask(value)
        }
        return nil
    }

    /// The key, or nil when the backend needs none. Throws a `.configuration` `BackendError`
    /// naming the variable or command when it is missing or the command fails.
    public func key(backendName: String) throws -> String? {
        guard let source else { return nil }
        if let cached = cache.value { return cached }
        switch source {
        case .environment(let name):
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw BackendError(kind: .configuration,
                                   message: "backend \(backendName) needs an API key: the environment variable \(name) is not set")
            }
            return value
        case .command(let argv):
            let value = try runCommand(argv, backendName: backendName)
            cache.value = value
            return value
        }
    }

    private func runCommand(_ argv: [String], backendName: String) throws -> String {
        guard let first = argv.first, !first.isEmpty else {
            throw BackendError(kind: .configuration, message: "backend \(backendName): api_key_command is empty")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BackendError(kind: .configuration, message: "backend \(backendName): cannot run \(KeySource.command(argv)): \(error.localizedDescription)")
        }
        // Read stderr on another thread so a chatty command cannot block on a full pipe.
        let errorOutput = LockedValue(Data())
        let readerDone = DispatchSemaphore(value: 0)
        let errorHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errorOutput.value = errorHandle.readDataToEndOfFile()
            readerDone.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        readerDone.wait()
        process.waitUntilExit()
        let key = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            // The command's stderr is shown (first line only); it cannot hold the key we failed to get.
            let firstLine = String(decoding: errorOutput.value, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let said = firstLine.isEmpty ? "" : ": \(TerminalSanitizer.sanitize(firstLine.prefix(160)))"
            throw BackendError(kind: .configuration,
                               message: "backend \(backendName): \(KeySource.command(argv)) exited with status \(process.terminationStatus)\(said)")
        }
        guard !key.isEmpty else {
            throw BackendError(kind: .configuration, message: "backend \(backendName): \(KeySource.command(argv)) printed no key")
        }
        return key
    }
}
