/// The issue categories `dramatis validate` reports. The first seven are the OpenAI
/// data-prep notebook's error categories, with the same names.
public enum ValidationCategory: String, Sendable, CaseIterable {
    // Errors from the notebook.
    case dataType = "data_type"
    case missingMessagesList = "missing_messages_list"
    case messageMissingKey = "message_missing_key"
    case messageUnrecognizedKey = "message_unrecognized_key"
    case unrecognizedRole = "unrecognized_role"
    case missingContent = "missing_content"
    case exampleMissingAssistantMessage = "example_missing_assistant_message"
    // Further errors.
    case invalidJSON = "invalid_json"
    case invalidUTF8 = "invalid_utf8"
    case invalidWeight = "invalid_weight"
    case noTrainableAssistantMessage = "no_trainable_assistant_message"
    case tooFewExamples = "too_few_examples"
    case invalidOutput = "invalid_output"
    case invalidLabel = "invalid_label"
    case invalidPrompt = "invalid_prompt"
    case turnOrder = "turn_order"
    case fileUnreadable = "file_unreadable"
    /// The file's format is not one the `--target` service reads.
    case targetFormat = "target_format"
    // Warnings.
    case fewExamples = "few_examples"
    case duplicateExample = "duplicate_example"
    case exampleTooLong = "example_too_long"
    case missingSystemMessage = "missing_system_message"
    case missingUserMessage = "missing_user_message"
    case blankLine = "blank_line"
    case byteOrderMark = "byte_order_mark"
    case unrecognizedKey = "unrecognized_key"
    case weightIgnored = "weight_ignored"
    case identicalOutputs = "identical_outputs"
    case singleLabel = "single_label"
    // Data-quality warnings (what would hurt training).
    case nearDuplicateExample = "near_duplicate_example"
    case conflictingReplies = "conflicting_replies"
    case emptyReply = "empty_reply"
    case refusalReply = "refusal_reply"
    case cutOffReply = "cut_off_reply"
    case possibleSecret = "possible_secret"
    case personalData = "personal_data"
}
