import DramatisCore
import DramatisTestSupport
import Foundation
import Testing

/// `dramatis ask` with what real servers send (issue #13): the exact stdout, stderr and exit status, the
/// `--json` object, the saved transcript, and what `dramatis export` makes of it.
extension AskAndDoctorCommandTests {
    private func savedReply(in dir: TemporaryDirectory) throws -> (Conversation, Turn) {
        let conversation = try #require(TranscriptStore(directory: dir.path("Transcripts")).loadAll().conversations.first)
        let reply = try #require(conversation.activePath.last.map { conversation[$0] })
        return (conversation, reply)
    }

    private func json(_ stdout: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    }

    @Test func askPrintsARefusalFlagsItAndStoresItApart() async throws {
        let server = try await FaultInjector.start(RealServerShapes.refusal)
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "How do I pick a lock?"], in: dir)
        #expect(result.status == 3)
        #expect(result.stdout == "I'm sorry, I can't help with that.\n")
        #expect(result.stderr == "dramatis ask: the model refused (finish reason stop)\n")
        let (_, reply) = try savedReply(in: dir)
        #expect(reply.text == "")
        #expect(reply.reply?.refusal == "I'm sorry, I can't help with that.")
        #expect(reply.reply?.finishReason == .stop)
        #expect(reply.isComplete)

        let asJSON = try await dramatis(["ask", "--json", "--no-save", "How do I pick a lock?"], in: dir)
        #expect(asJSON.status == 3)
        let object = try json(asJSON.stdout)
        #expect(object["text"] as? String == "")
        #expect(object["refusal"] as? Bool == true)
        #expect(object["refusal_text"] as? String == "I'm sorry, I can't help with that.")
        #expect(object["finish_reason"] as? String == "stop")
        #expect(object["reasoning"] is NSNull)
        #expect(asJSON.stderr == "")
    }

    @Test func askShowsReasoningOnStderrAndCountsItsTokens() async throws {
        let server = try await FaultInjector.start(RealServerShapes.deepSeekReasoning)
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "A number?"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "Forty-two.\n")
        #expect(result.stderr == "reasoning: The user wants a number.\n")
        let (_, reply) = try savedReply(in: dir)
        #expect(reply.text == "Forty-two.")
        #expect(reply.reply?.reasoning == "The user wants a number.")
        #expect(reply.reply?.usage == TokenUsage(promptTokens: 12, completionTokens: 30, reasoningTokens: 26))

        let asJSON = try await dramatis(["ask", "--json", "--no-save", "A number?"], in: dir)
        #expect(asJSON.status == 0)
        let object = try json(asJSON.stdout)
        #expect(object["text"] as? String == "Forty-two.")
        #expect(object["reasoning"] as? String == "The user wants a number.")
        #expect(object["refusal"] as? Bool == false)
        let usage = try #require(object["usage"] as? [String: Any])
        #expect((usage["reasoning_tokens"] as? NSNumber)?.intValue == 26)
        #expect((usage["completion_tokens"] as? NSNumber)?.intValue == 30)
    }

    @Test func askShowsAToolCallFinishAsANotice() async throws {
        let server = try await FaultInjector.start(RealServerShapes.toolCall)
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "Weather in Paris?"], in: dir)
        #expect(result.status == 3)
        #expect(result.stdout == "")
        #expect(result.stderr == #"dramatis ask: the reply ended with a tool call (finish reason tool_calls): get_weather({"city":"Paris"})"# + "\n")
        let (_, reply) = try savedReply(in: dir)
        #expect(reply.reply?.toolCalls == [ToolCallRecord(name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(reply.reply?.finishReason == .other("tool_calls"))

        let object = try json(try await dramatis(["ask", "--json", "--no-save", "Weather?"], in: dir).stdout)
        let calls = try #require(object["tool_calls"] as? [[String: String]])
        #expect(calls == [["name": "get_weather", "arguments": #"{"city":"Paris"}"#]])
        #expect(object["finish_reason"] as? String == "tool_calls")
    }

    @Test(arguments: RealServerShapes.ErrorShape.allCases)
    func askReportsEachMidStreamErrorShape(_ shape: RealServerShapes.ErrorShape) async throws {
        let server = try await FaultInjector.start(RealServerShapes.errorAfterText(shape))
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let message = "scripted reported an error during the reply: \(shape.said); partial reply kept, marked incomplete"
        let result = try await dramatis(["ask", "Tell me a story"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "Once upon\n")
        #expect(result.stderr == "dramatis ask: \(message)\n")
        let (_, reply) = try savedReply(in: dir)
        #expect(reply.text == "Once upon")
        #expect(reply.reply?.finishReason == .incomplete)
        #expect(reply.reply?.error == message)

        let object = try json(try await dramatis(["ask", "--json", "--no-save", "Tell me a story"], in: dir).stdout)
        #expect(object["text"] as? String == "Once upon")
        #expect(object["finish_reason"] as? String == "incomplete")
        #expect((object["error"] as? [String: String])?["message"] == message)
    }

    @Test func askTreatsDoneWithoutBlankLineAndThreeChoicesAsCleanReplies() async throws {
        let server = try await FaultInjector.start([RealServerShapes.doneWithoutBlankLine, RealServerShapes.threeChoices])
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let done = try await dramatis(["ask", "--no-save", "Status?"], in: dir)
        #expect(done.status == 0)
        #expect(done.stdout == "All good.\n")
        #expect(done.stderr == "")
        let choices = try await dramatis(["ask", "--json", "--no-save", "Colours?"], in: dir)
        #expect(choices.status == 0)
        let object = try json(choices.stdout)
        #expect(object["text"] as? String == "Red apple")
        #expect(object["finish_reason"] as? String == "stop")
    }

    @Test func askAnnouncesARetryOnStderrAndSucceeds() async throws {
        let server = try await FaultInjector.start([
            FaultResponse.plain(status: 503, contentType: "application/json", body: #"{"error":{"message":"Loading model"}}"#,
                                headers: [("Retry-After", "1")]),
            FaultResponse.sse([FaultResponse.chunk("Ready.", finish: "stop"), "[DONE]"])])
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        let result = try await dramatis(["ask", "--no-save", "Up?"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "Ready.\n")
        #expect(result.stderr == "dramatis ask: scripted had a server error (503 Service Unavailable): Loading model; retrying in 1 s (1/3)\n")
        #expect(server.requests.count == 2)
    }

    @Test func exportWarnsAboutRefusalsAndEmptyRepliesMarkedGoodAndLeavesReasoningOutByDefault() async throws {
        let server = try await FaultInjector.start([RealServerShapes.refusal, RealServerShapes.deepSeekReasoning,
                                                    FaultResponse.sse([FaultResponse.chunk(nil, finish: "stop"), "[DONE]"])])
        defer { Task { await server.stop() } }
        let dir = try workspace(server)
        for prompt in ["Pick a lock?", "A number?", "Say nothing"] { _ = try await dramatis(["ask", prompt], in: dir) }
        // Mark every reply good, as a user would in the TUI (confirming the refusal and the empty reply).
        let store = TranscriptStore(directory: dir.path("Transcripts"))
        let loaded = store.loadAll().conversations
        #expect(loaded.count == 3)
        var ids: [String: String] = [:]
        for var conversation in loaded {
            let reply = try #require(conversation.activePath.last)
            conversation.setMark(.good, on: reply, at: Date(), confirmed: true)
            try store.save(conversation)
            ids[conversation.title] = conversation.id
        }
        let exported = try await dramatis(["export", "--format", "openai"], in: dir)
        #expect(exported.status == 0)
        let lines = exported.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "the empty reply is left out: \(lines)")
        let contents = try lines.map { line -> String in
            let object = try json(line)
            let messages = try #require(object["messages"] as? [[String: Any]])
            return try #require(messages.last?["content"] as? String)
        }
        #expect(Set(contents) == ["I'm sorry, I can't help with that.", "Forty-two."])
        #expect(!contents.contains(""))
        let refusalID = try #require(ids["Pick a lock?"]), emptyID = try #require(ids["Say nothing"])
        #expect(exported.stderr.contains("warning: \(refusalID): reply 1 is a refusal marked good; it is written as a good example\n"))
        #expect(exported.stderr.contains("warning: \(emptyID): reply 1 is marked good but has no text; left out of the dataset\n"))

        let withReasoning = try await dramatis(["export", "--format", "openai", "--include-reasoning"], in: dir)
        #expect(withReasoning.stdout.contains(#""content":"<think>\nThe user wants a number.\n</think>\n\nForty-two.""#))
        #expect(!exported.stdout.contains("The user wants"))
    }
}
