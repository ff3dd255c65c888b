/// Who said a message in a chat-completions conversation.
public enum ChatRole: String, Codable, Sendable, Hashable, CaseIterable {
    case system
    case user
    case assistant
}
