/// The commented starting point written by `dramatis personas new`.
public enum PersonaTemplate {
    /// A valid persona file named `name`, with every setting shown and explained.
    public static func text(name: String) -> String {
        """
        ---
        # A Dramatis persona. Settings go between the two '---' lines; the system prompt is everything after.
        # Only `name` is required. {{char}} expands to the name and {{user}} to user_name, in the prompt,
        # the greeting and the examples. Check the file with: dramatis personas lint
        name: \(YAMLScalarWriter.quoted(name))
        description: One line that says what this persona is for (shown by `dramatis personas list`).
        # backend: local            # a backend from dramatis.yaml (default: the default backend)
        # model: gpt-4o-mini        # overrides the backend's model
        # adapter: latest           # local model: a training run of this persona (dramatis train list) or latest
        temperature: 0.7            # 0 to 2; lower is more predictable
        # top_p: 1                  # 0 to 1
        max_tokens: 300             # a positive whole number
        # stop: ["\\nUser:"]         # text or a list of texts that end a reply
        # seed: 42                  # fixed seed for repeatable replies (where the backend supports it)
        # user_name: User           # what {{user}} expands to
        # greeting: Hello {{user}}! # the first assistant message, shown and recorded as such
        # alternate_greetings: ["Hi again, {{user}}."]
        # tags: [example]
        # train_few_shot: false     # leave the few-shot examples out of the training data (default: true)
        # train_greeting: false     # leave the greeting out of the training data (default: true)
        # train_on: last            # train only an example's last good reply (default: all good replies)
        # role: assistant           # assistant (default), user-simulator (plays the user in autopilot) or judge
        examples:                   # few-shot pairs sent before the conversation
          - user: A typical question.
            assistant: The ideal answer, in {{char}}'s voice.
        ---
        You are {{char}}.

        Describe who {{char}} is, how {{char}} answers, and what {{char}} must never do.
        Short, concrete rules and one to three examples work best, especially with small models.

        """
    }
}
