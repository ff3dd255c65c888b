import ArgumentParser
import CDramatisSystem
import DramatisBackends
import DramatisCore
import DramatisTerminal
import Foundation

/// `dramatis doctor`: checks the terminal, locale, curses, local engine, configuration and backends.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check terminal, locale, local engine, configured backends and their keys; probe each backend.",
        discussion: """
        Each backend is probed with a one-token chat request (the local engine is started for it). \
        Keys are shown masked. Exit status 1 when the default backend cannot work.
        """)

    @Flag(name: .long, help: "Do not send probe requests (configuration checks only).")
    var offline = false

    @Option(name: .long, help: "Probe only this backend (default: all).")
    var backend: String?

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = AppPaths.fromEnvironment(environment)
        let project = ProjectLocation.current(environment: environment)
        let workingDirectory = project.baseDirectory
        var report = DoctorReport()

        report.section("Dramatis \(DramatisVersion.string)")
        report.section("Terminal")
        report.row("TERM", environment["TERM"].map { $0.isEmpty ? "(empty)" : $0 } ?? "(not set)")
        report.row("stdout", Self.terminalDescription())
        setlocale(LC_ALL, "")
        let codeset = String(cString: dramatis_codeset())
        let localeVariables = ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : "\(name)=\($0)" } }
        let utf8 = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        report.row("locale", "\(localeVariables.isEmpty ? "no LANG/LC_* set" : localeVariables.joined(separator: " ")), codeset \(codeset)"
                   + (utf8 ? " (UTF-8: ok)" : " (not UTF-8: set LANG=C.UTF-8; Dramatis switches to C.UTF-8 itself)"))
        report.row("ncurses", CursesVersion.string)

        report.section("Files")
        report.row("folder", project.explanation)
        report.row("transcripts", TranscriptsLocationOptions.resolve(nil, environment: environment).path + (environment["DRAMATIS_TRANSCRIPTS"] != nil ? " (from $DRAMATIS_TRANSCRIPTS)" : ""))
        report.row("datasets", DatasetLocationOptions.resolve(nil, environment: environment).path
                   + (environment["DRAMATIS_DATASETS"] != nil ? " (from $DRAMATIS_DATASETS)" : ""))
        report.row("personas", PersonaLibrary.defaultDirectories(workingDirectory: workingDirectory, paths: paths, extra: []).map(\.path).joined(separator: ", "))

        report.section("Local engine")
        let location = LocalEngineLocation.resolve(paths: paths, environment: environment)
        let engineOK = report.file("llama-server", location.serverBinary, executable: true)
        let modelOK = report.file("model", location.model, executable: false)
        if let external = environment["DRAMATIS_LOCAL_BASE_URL"], !external.isEmpty {
            report.row("override", "DRAMATIS_LOCAL_BASE_URL=\(TerminalSanitizer.sanitize(external)) (local uses that server)")
        }

        report.section("Configuration")
        let configuration: BackendConfiguration
        do {
            configuration = try BackendConfiguration.load(workingDirectory: workingDirectory, paths: paths, environment: environment)
        } catch {
            report.row("file", "ERROR: \(TerminalSanitizer.sanitize(String(describing: error)))")
            report.line("")
            report.line("Result: the configuration file is invalid, so no backend can be used.")
            report.print()
            throw ExitCode(1)
        }
        report.row("file", configuration.sourceFile?.path ?? "none (built-in and environment defaults; see docs/backends.md)")
        report.row("default", configuration.defaultBackendName)

        report.section("Backends")
        let factory = BackendFactory(configuration: configuration, localEngine: .embedded(paths: paths, environment: environment))
        var defaultWorks = true
        var defaultProblem = ""
        for name in configuration.orderedNames {
            guard let settings = configuration.backends[name] else { continue }
            let isDefault = name == configuration.defaultBackendName
            report.line("  \(name)\(isDefault ? " (default)" : "")")
            report.row("  kind", "\(settings.kind.rawValue), \(settings.kind == .azure ? "deployment" : "model") \(settings.model)"
                       + (settings.baseURL.map { ", \($0.absoluteString)" } ?? "") + (settings.apiVersion.map { ", api-version \($0)" } ?? ""))
            report.row("  from", settings.origin)
            let keyProvider = APIKeyProvider(source: settings.apiKey, environment: environment)
            var problem: String?
            switch settings.apiKey {
            case nil:
                report.row("  key", "none needed")
            case .environment(let variable):
                if let masked = keyProvider.maskedKeyIfKnown {
                    report.row("  key", "\(variable) is set (\(masked))")
                } else {
                    report.row("  key", "\(variable) is NOT set")
                    problem = "\(variable) is not set"
                }
            case .command:
                report.row("  key", "from \(settings.apiKey!.description)" + (offline ? " (not run)" : ""))
            }
            if settings.kind == .local && environment["DRAMATIS_LOCAL_BASE_URL"].map(\.isEmpty) ?? true && !(engineOK && modelOK) {
                problem = "the local engine or model is missing (run scripts/setup.sh)"
            }
            if offline || (backend != nil && backend != name) {
                report.row("  answers", problem.map { "not probed; cannot work: \($0)" } ?? "not probed")
            } else if let problem {
                report.row("  answers", "not probed; cannot work: \(problem)")
            } else {
                let outcome = await Self.probe(factory: factory, settings: settings)
                report.row("  answers", outcome.summary)
                if !outcome.ok { problem = outcome.problem }
            }
            if isDefault, let problem {
                defaultWorks = false
                defaultProblem = problem
            }
        }
        await factory.shutdown()
        report.line("")
        if defaultWorks {
            report.line("Result: the default backend '\(configuration.defaultBackendName)' \(offline ? "is configured" : "works").")
        } else {
            report.line("Result: the default backend '\(configuration.defaultBackendName)' cannot work: \(defaultProblem)")
        }
        report.print()
        if !defaultWorks { throw ExitCode(1) }
    }

    /// The outcome of one probe request.
    struct ProbeOutcome {
        var ok: Bool
        var summary: String
        /// Why it failed, without the "NO: " prefix.
        var problem: String { summary.hasPrefix("NO: ") ? String(summary.dropFirst(4)) : summary }
    }

    /// Sends a one-token request and reports how it went.
    static func probe(factory: BackendFactory, settings: BackendSettings) async -> ProbeOutcome {
        var probeSettings = settings
        probeSettings.idleTimeout = min(settings.idleTimeout, 60)
        probeSettings.maxRetries = 0
        let started = Date()
        let backend: any ChatBackend
        do {
            backend = try await factory.makeBackend(probeSettings, model: nil)
        } catch {
            return ProbeOutcome(ok: false, summary: "NO: \((error as? BackendError)?.message ?? TerminalSanitizer.sanitize(String(describing: error)))")
        }
        let request = ChatRequest(messages: [.user("Say OK.")], sampling: SamplingParameters(temperature: 0, maxTokens: 1, seed: 1))
        var text = ""
        let outcome = await TurnService(backend: backend).stream(request) { event in
            switch event {
            case .delta(let piece), .refusal(let piece): text += piece
            default: break
            }
        }
        if let error = outcome.error { return ProbeOutcome(ok: false, summary: "NO: \(error.message)") }
        let elapsed = String(format: "%.2f s", Date().timeIntervalSince(started))
        let shown = TerminalSanitizer.sanitize(text).trimmingCharacters(in: .whitespacesAndNewlines)
        return ProbeOutcome(ok: true, summary: "yes, in \(elapsed)" + (shown.isEmpty ? "" : " (\"\(shown.prefix(40))\")"))
    }

    static func terminalDescription() -> String {
        guard isatty(STDOUT_FILENO) == 1 else { return "not a terminal" }
        var size = winsize()
        // TIOCGWINSZ is a plain integer macro on Linux, so Swift imports it; the variadic ioctl needs UInt.
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return "a terminal, \(size.ws_col)×\(size.ws_row)"
        }
        return "a terminal (size unknown)"
    }
}

/// Collects doctor output as aligned rows, printed at the end.
private struct DoctorReport {
    private var lines: [String] = []

    mutating func section(_ title: String) {
        if !lines.isEmpty { lines.append("") }
        lines.append(title)
    }

    mutating func row(_ label: String, _ value: String) {
        let padded = label.padding(toLength: max(label.count, 14), withPad: " ", startingAt: 0)
        lines.append("  \(padded) \(value)")
    }

    mutating func line(_ text: String) { lines.append(text) }

    /// Reports a file's presence and size; returns whether it is usable.
    mutating func file(_ label: String, _ url: URL, executable: Bool) -> Bool {
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: url.path) else {
            row(label, "MISSING: \(url.path) (run scripts/setup.sh)")
            return false
        }
        let bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let size = ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)
        if executable && !manager.isExecutableFile(atPath: url.path) {
            row(label, "NOT EXECUTABLE: \(url.path) (\(size))")
            return false
        }
        row(label, "\(url.path) (\(size))")
        return true
    }

    func print() {
        Swift.print(lines.joined(separator: "\n"))
    }
}
