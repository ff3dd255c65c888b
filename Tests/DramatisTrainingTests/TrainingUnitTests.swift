import DramatisCore
import DramatisTestSupport
import DramatisTraining
import Foundation
import Testing

/// The pure parts of training: hashing, the seeded split, evaluation prompts, the protocol's JSON both ways, run folders.
@Suite struct TrainingUnitTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hexDigest(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    private func dataset(_ count: Int) throws -> TrainingDataset {
        let directory = try TemporaryDirectory()
        let file = directory.path("sft.jsonl")
        try Data(TrainingExamples.catchPhrase("Zorblax!", count: count).map { $0 + "\n" }.joined().utf8).write(to: file)
        let tokenizer = try BPETokenizer.load(encoding: .o200kBase, directory: AppPaths.fromEnvironment().tokenizerDirectory)
        return try TrainingDataset.load(file, tokenizer: tokenizer)
    }

    @Test func theSplitDependsOnlyOnTheSeedAndNeverOverlaps() throws {
        let examples = try dataset(16)
        let first = examples.split(validationFraction: 0.1, seed: 42), again = examples.split(validationFraction: 0.1, seed: 42)
        #expect(first.heldOut == again.heldOut)
        #expect(first.heldOut.count == 2)
        #expect(first.train.count == 14)
        #expect(Set(first.train.map(\.line)).isDisjoint(with: first.heldOut.map(\.line)))
        let seeds = (1...20).map { examples.split(validationFraction: 0.1, seed: UInt64($0)).heldOut.map(\.line) }
        #expect(Set(seeds).count > 5, "different seeds hold out different examples")
        #expect(examples.split(validationFraction: 0, seed: 1).heldOut.isEmpty)
        #expect(examples.contentHash.count == 64)
    }

    @Test func tooFewExamplesAreRefused() throws {
        #expect(throws: TrainingDatasetError.self) { try dataset(9) }
        do {
            _ = try dataset(9)
        } catch let error as TrainingDatasetError {
            #expect(error.description.contains("has 9 examples; training needs at least 10: mark 1 more good reply"))
        }
    }

    @Test func theEvaluationPromptEndsBeforeTheLastTrainedReply() {
        let object: [String: Any] = ["messages": [
            ["role": "system", "content": "S"], ["role": "user", "content": "U1"],
            ["role": "assistant", "content": "A1", "weight": 1], ["role": "user", "content": "U2"],
            ["role": "assistant", "content": "A2", "weight": 0],
        ]]
        let text = String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let prompt = TrainingDataset.Example(line: 1, text: text).evaluationPrompt()
        #expect(prompt?.reference == "A1")
        #expect(prompt?.messages == [ChatMessage.system("S"), ChatMessage.user("U1")])
    }

    @Test func workerEventsDecodeAsTheProtocolWritesThem() throws {
        let hello = TrainingEvent.decode(line: Data(#"{"event":"hello","protocol":1,"device":"cpu","threads":2,"versions":{"torch":"2.13.0","trl":null}}"#.utf8))
        #expect(hello == .hello(protocolVersion: 1, device: "cpu", threads: 2, versions: ["torch": "2.13.0"]))
        let progress = TrainingEvent.decode(line: Data(#"{"event":"progress","stage":"train_sft","step":5,"total_steps":16,"epoch":0.31,"loss":2.31,"trained_tokens":1234,"tokens_per_second":180.5,"eta_seconds":12.0}"#.utf8))
        #expect(progress == .progress(.init(stage: "train_sft", step: 5, totalSteps: 16, epoch: 0.31, loss: 2.31, trainedTokens: 1234,
                                            tokensPerSecond: 180.5, etaSeconds: 12)))
        let error = TrainingEvent.decode(line: Data(#"{"event":"error","kind":"bad_input","message":"train.jsonl:7: bad","file":"f","line":7}"#.utf8))
        #expect(error == .error(kind: "bad_input", message: "train.jsonl:7: bad", file: "f", line: 7))
        guard case .done(let done)? = TrainingEvent.decode(line: Data(#"{"event":"done","adapter_gguf":"adapter.gguf","adapter_dir":"adapter","train_examples":14,"trained_tokens":2210,"steps":16,"loss_curve":[{"step":1,"loss":3.1}],"validation_loss_before":2.91,"validation_loss_after":1.12,"peak_rss_bytes":2100000000,"seconds":{"total":27.0}}"#.utf8)) else {
            Issue.record("done did not decode")
            return
        }
        #expect(done.adapterGGUF == "adapter.gguf")
        #expect(done.validationLossAfter == 1.12)
        #expect(done.lossCurve?.first?.loss == 3.1)
        #expect(TrainingEvent.decode(line: Data("not json".utf8)) == nil)
        #expect(TrainingEvent.decode(line: Data(#"{"event":"unknown"}"#.utf8)) == nil)
    }

    @Test func theRequestCarriesEveryProtocolField() throws {
        let request = TrainingRequest(baseGGUF: "/b.gguf", baseCacheDirectory: "/c", converterDirectory: "/v", runDirectory: "/r",
                                      sftTrain: "/r/t.jsonl", sftValidation: nil, preferenceTrain: nil, method: "sft", epochs: 1,
                                      learningRate: 0.0005, dpoLearningRate: 0.00005, dpoBeta: 0.1, rank: 16, alpha: 32, seed: 42,
                                      maxSequenceLength: 1024, threads: 0)
        let object = try #require(try JSONSerialization.jsonObject(with: request.jsonLine()) as? [String: Any])
        let expected = ["protocol", "base_gguf", "base_cache_dir", "converter_dir", "run_dir", "sft_train", "sft_validation",
                        "preference_train", "method", "epochs", "learning_rate", "dpo_learning_rate", "dpo_beta", "rank", "alpha",
                        "seed", "max_seq_len", "threads"]
        #expect(Set(object.keys) == Set(expected))
        #expect(object["protocol"] as? Int == 1)
        #expect(object["sft_validation"] is NSNull)
    }

    @Test func aKilledRunsHiddenFolderIsRemovedAndNeverListed() throws {
        let directory = try TemporaryDirectory()
        let runs = TrainingRuns(datasetRoot: directory.url, personaID: "p")
        try FileManager.default.createDirectory(at: runs.directory.appendingPathComponent(".20260101-000000.tmp-999999/data"),
                                                withIntermediateDirectories: true)
        let live = try runs.makeTemporaryFolder(for: "20260101-000001")
        #expect(!FileManager.default.fileExists(atPath: runs.directory.appendingPathComponent(".20260101-000000.tmp-999999").path))
        #expect(FileManager.default.fileExists(atPath: live.path), "this process's own folder stays")
        #expect(runs.list().isEmpty)
        #expect(throws: TrainingRunsError.self) { try runs.resolve("latest") }
    }
}
