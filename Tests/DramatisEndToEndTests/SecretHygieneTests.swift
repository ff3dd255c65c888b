import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// The secret-hygiene sweep: with recognisable API keys in use (one from `OPENAI_API_KEY`, one
/// from an `api_key_command`), runs the real binary through chats, errors (the server even echoes
/// the key back, as OpenAI's 401 does), the TUI, exports, validation, transcripts, replay and
/// doctor — with HOME, every XDG folder, transcripts and datasets inside one temporary folder —
/// then reads every file under that folder and every line printed or shown: neither key appears,
/// whole, in part (16 characters in a row) or base64-encoded. The keys did reach the scripted
/// servers as bearer headers, so they were really in use.
@Suite(.serialized) struct SecretHygieneTests {
    /// `sk-proj-` and 40 random letters and digits: unique to this run.
    static func recognisableKey(_ label: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return "sk-proj-\(label)" + String((0..<40).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// Everything a command printed or a screen showed, with where it came from.
    final class Outputs: @unchecked Sendable {
        // @unchecked: appended to from the one test thread only.
        private(set) var items: [(label: String, text: String)] = []
        func add(_ label: String, _ text: String) { items.append((label, text)) }
    }

    @Test func noKeyInAnyFileOrOutput() async throws {
        let openAIKey = Self.recognisableKey("OPENAIHYGIENE")
        let vaultKey = Self.recognisableKey("VAULTHYGIENE")
        let root = try TemporaryDirectory(prefix: "dramatis-secrets")
        let home = root.url
        // The key command reads a file outside the swept folder (where a password store would keep it).
        let vault = try TemporaryDirectory(prefix: "dramatis-vault")
        let vaultFile = vault.path("vault-key")
        try Data((vaultKey + "\n").utf8).write(to: vaultFile)

        let echo401 = { (key: String) in
            FaultResponse.plain(status: 401, contentType: "application/json",
                                body: "{\"error\":{\"message\":\"Incorrect API key provided: \(key). You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
        }
        let ok = { (text: String) in ScriptedReplies.reply(text) }
        // One injector per phase, so each phase's script is simple; all of them are checked for the bearer header.
        let askServer = try await FaultInjector.start([
            ok("Hello from the scripted server."),
            echo401(openAIKey),
            FaultResponse.plain(status: 500, contentType: "application/json",
                                body: "{\"error\":{\"message\":\"internal error while checking \(openAIKey)\"}}"),
            FaultResponse([FaultResponse.sseHead, .text("data: \(FaultResponse.chunk("Partial answ"))\n\n"), .close]),
            FaultResponse.sse(["{\"error\":{\"message\":\"quota exceeded for key \(openAIKey)\"}}"]),
            echo401(openAIKey),
        ])
        let vaultServer = try await FaultInjector.start([ok("Vault says hi."), echo401(vaultKey)])
        let doctorServer = try await FaultInjector.start([FaultResponse.sse([FaultResponse.chunk("OK", finish: "length"), "[DONE]"])])
        let chatServer = try await FaultInjector.start([ok("Four, obviously."), echo401(openAIKey)])
        let replayServer = try await FaultInjector.start([ok("Replayed answer one."), echo401(openAIKey)])
        let servers = [askServer, vaultServer, doctorServer, chatServer, replayServer]

        // The key-command backend lives in the user config file (under XDG_CONFIG_HOME, inside the swept folder).
        let configFolder = home.appendingPathComponent("config/dramatis")
        try FileManager.default.createDirectory(at: configFolder, withIntermediateDirectories: true)
        try """
        backends:
          vault:
            kind: openai
            base_url: \(vaultServer.baseURL.absoluteString)
            model: vault-model
            api_key_command: ["cat", "\(vaultFile.path)"]
            idle_timeout: 5
            max_retries: 0
        """.write(to: configFolder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)

        let tokenizers = AppPaths.fromEnvironment().tokenizerDirectory.path
        let personas = BuiltProducts.packageRoot.appendingPathComponent("Personas").path
        @Sendable func environment(_ server: FaultInjector) -> [String: String] {
            ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home.path,
             "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
             "XDG_STATE_HOME": home.appendingPathComponent("state").path,
             "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
             "XDG_DATA_HOME": home.appendingPathComponent("data").path,
             "TMPDIR": home.appendingPathComponent("tmp").path,
             "DRAMATIS_TRANSCRIPTS": home.appendingPathComponent("Transcripts").path,
             "DRAMATIS_DATASETS": home.appendingPathComponent("Datasets").path,
             "OPENAI_API_KEY": openAIKey, "OPENAI_BASE_URL": server.baseURL.absoluteString]
        }
        try FileManager.default.createDirectory(at: home.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let outputs = Outputs()

        try await onThread {
            @discardableResult
            func dramatis(_ arguments: [String], _ server: FaultInjector, expect status: Int32) throws -> ProcessResult {
                let result = try ProcessRunner.runBlocking(BuiltProducts.dramatis, arguments, environment: environment(server),
                                                   currentDirectory: home, timeout: 60)
                let label = arguments.joined(separator: " ")
                outputs.add("stdout of dramatis \(label)", result.stdout)
                outputs.add("stderr of dramatis \(label)", result.stderr)
                #expect(result.status == status, "dramatis \(label): \(result.stdout)\(result.stderr)")
                return result
            }

            // ask: success, 401 (the server echoes the key), 500 echoing it, disconnect, error chunk, --json 401.
            try dramatis(["ask", "--backend", "openai", "Say hello"], askServer, expect: 0)
            let unauthorized = try dramatis(["ask", "--backend", "openai", "Say hello again"], askServer, expect: 1)
            #expect(unauthorized.stderr.contains("openai rejected the API key (401 Unauthorized); check OPENAI_API_KEY (sk-…"))
            let serverError = try dramatis(["ask", "--backend", "openai", "Are you there?"], askServer, expect: 1)
            #expect(serverError.stderr.contains("openai had a server error (500 Internal Server Error)"))
            try dramatis(["ask", "--backend", "openai", "Tell me more"], askServer, expect: 1)
            try dramatis(["ask", "--backend", "openai", "And more"], askServer, expect: 1)
            let json = try dramatis(["ask", "--backend", "openai", "--json", "In JSON please"], askServer, expect: 1)
            #expect(json.stdout.contains("\"kind\""))

            // The key-command backend: success, then a 401 echoing its key; doctor probes both backends.
            try dramatis(["ask", "--backend", "vault", "Hello vault"], vaultServer, expect: 0)
            let vaultRejected = try dramatis(["ask", "--backend", "vault", "Hello again vault"], vaultServer, expect: 1)
            #expect(vaultRejected.stderr.contains("vault rejected the API key (401 Unauthorized)"))
            let doctor = try dramatis(["doctor", "--backend", "openai"], doctorServer, expect: 1)   // the default, local, has no engine here
            #expect(doctor.stdout.contains("OPENAI_API_KEY is set (sk-…"))
            try dramatis(["doctor", "--backend", "vault"], vaultServer, expect: 1)
            try dramatis(["doctor", "--offline"], doctorServer, expect: 1)

            // The TUI: a reply, a mark, an error turn (401 echoing the key).
            var tmuxEnvironment = environment(chatServer)
            tmuxEnvironment.removeValue(forKey: "PATH")
            let tmux = try TmuxSession(command: [BuiltProducts.dramatis.path, "chat", "--backend", "openai", "--personas", personas, "--persona", "clippy"],
                                       environment: tmuxEnvironment, workingDirectory: home)
            defer { tmux.kill() }
            try tmux.waitFor("idle")
            try tmux.type("What is 2+2?")
            try tmux.press("Enter")
            try tmux.waitFor("Four, obviously.")
            try tmux.waitUntil("reply finished") { $0.contains("idle") && $0.contains("tok/s") }
            try tmux.press("M-=")
            try tmux.waitFor("[+ good]")
            outputs.add("TUI screen after a mark", try tmux.capture())
            try tmux.type("And 3+3?")
            try tmux.press("Enter")
            let errorScreen = try tmux.waitFor("rejected the API key")
            outputs.add("TUI screen after the 401", errorScreen)
            outputs.add("TUI screen after the 401, with attributes", try tmux.capture(withAttributes: true))
            try tmux.press("C-s")
            outputs.add("TUI screen after Ctrl-S", try tmux.waitFor("Transcript saved:"))
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            outputs.add("TUI final screen", try tmux.capture())

            // Datasets, exports in every format, validation, transcripts.
            let exports = home.appendingPathComponent("exports")
            for format in ExportFormat.allCases {
                try dramatis(["export", "--format", format.rawValue, "--out", exports.appendingPathComponent("\(format.rawValue).jsonl").path], chatServer, expect: 0)
            }
            try dramatis(["export", "--format", "openai"], chatServer, expect: 0)
            try dramatis(["export", "--format", "trl-kto", "--split", "0.5", "--out", exports.appendingPathComponent("split").path], chatServer, expect: 0)
            try dramatis(["validate", "--tokenizer-directory", tokenizers, exports.appendingPathComponent("openai.jsonl").path], chatServer, expect: 1)
            try dramatis(["validate", "--json", "--tokenizer-directory", tokenizers, home.appendingPathComponent("Datasets/clippy/sft.jsonl").path], chatServer, expect: 1)
            let list = try dramatis(["transcripts", "list"], chatServer, expect: 0)
            try dramatis(["transcripts", "list", "--json"], chatServer, expect: 0)
            let chatID = try #require(list.stdout.split(separator: "\n").first { $0.contains("-clippy-") }?.split(separator: " ").first.map(String.init))
            try dramatis(["transcripts", "show", chatID], chatServer, expect: 0)
            try dramatis(["transcripts", "show", "--all", chatID], chatServer, expect: 0)
            try dramatis(["transcripts", "show", "--json", chatID], chatServer, expect: 0)
            try dramatis(["transcripts", "search", "obviously"], chatServer, expect: 0)

            // Replay (one success, then 401s echoing the key) and a batch file.
            try dramatis(["replay", chatID, "--backend", "openai", "--out", home.appendingPathComponent("replayed").path,
                          "--report", home.appendingPathComponent("report.json").path, "--retry-delay", "0", "--concurrency", "1"],
                         replayServer, expect: 1)
            try dramatis(["replay", home.appendingPathComponent("Transcripts").path, "--backend", "openai",
                          "--batch-file", home.appendingPathComponent("batch.jsonl").path], replayServer, expect: 0)
        }

        // The keys were in use: every server received them as bearer headers.
        for server in [askServer, doctorServer, chatServer, replayServer] {
            #expect(!server.requests.isEmpty)
            #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(openAIKey)" })
        }
        #expect(vaultServer.requests.count >= 3)
        #expect(vaultServer.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(vaultKey)" })
        for server in servers { await server.stop() }

        // Something was written: transcripts, datasets, exports, reports.
        let files = Self.allFiles(under: home)
        let names = Set(files.map(\.lastPathComponent))
        #expect(names.contains("sft.jsonl"))
        #expect(names.contains("openai.jsonl"))
        #expect(names.contains("report.json"))
        #expect(names.contains("batch.jsonl"))
        #expect(files.filter { $0.path.contains("/Transcripts/") && $0.pathExtension == "json" }.count >= 6)

        // The sweep.
        var leaks: [String] = []
        for (label, key) in [("OPENAI_API_KEY", openAIKey), ("the key command's key", vaultKey)] {
            let needles = Self.needles(for: key)
            for file in files {
                let bytes = (try? Data(contentsOf: file)) ?? Data()
                let text = String(decoding: bytes, as: UTF8.self)
                if let needle = needles.first(where: { text.contains($0) }) {
                    leaks.append("\(label) (as \(needle)) in \(file.path)")
                }
            }
            for (source, text) in outputs.items {
                if let needle = needles.first(where: { text.contains($0) }) { leaks.append("\(label) (as \(needle)) in \(source)") }
            }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
        #expect(files.count > 20, "too few files to mean anything: \(files.map(\.path))")
        #expect(outputs.items.count > 60)
    }

    @Test func theSweepFindsAKeyWholeInPartOrBase64EncodedAtAnyAlignment() {
        let key = Self.recognisableKey("SELFCHECK")
        let needles = Self.needles(for: key)
        for prefix in ["", "a", "ab", "Authorization: Bearer ", "{\"key\":\""] {
            let encoded = Data((prefix + key + "\"}").utf8).base64EncodedString()
            #expect(needles.contains { encoded.contains($0) }, "base64 after \(prefix.utf8.count) bytes")
        }
        #expect(needles.contains { "masked sk-…\(key.suffix(4)) and a truncated \(key.prefix(20))…".contains($0) })
        #expect(!needles.contains { "masked \(key.prefix(3))…\(key.suffix(4))".contains($0) })
    }

    /// Every regular file under `root`, hidden ones included.
    static func allFiles(under root: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    /// The key, every 16-character piece of it, and its base64 encodings at the three byte alignments.
    static func needles(for key: String) -> [String] {
        let characters = Array(key)
        var needles = [key]
        for start in 0...(characters.count - 16) { needles.append(String(characters[start..<start + 16])) }
        for offset in 0..<3 {
            let encoded = (Data(repeating: 0x20, count: offset) + Data(key.utf8)).base64EncodedString()
            // Drop the characters that mix in the padding bytes or the end: what remains only depends on the key.
            let stable = encoded.dropFirst(offset == 0 ? 0 : 4).dropLast(4)
            if stable.count >= 16 { needles.append(String(stable)) }
        }
        return needles
    }
}
