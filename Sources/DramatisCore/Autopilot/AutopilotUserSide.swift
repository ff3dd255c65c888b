/// Who writes the user turns of an autopilot run.
public enum AutopilotUserSide: Sendable {
    /// A user-simulator persona writes every user turn (origin `simulated`), `turns` of them per conversation.
    case simulator(UserSimulator, turns: Int)
    /// A prompt list: one conversation per script, its prompts sent in order (origin `listed`).
    case prompts([PromptScript])
}
