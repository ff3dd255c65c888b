import Foundation

/// The files that tell Axolotl and LLaMA-Factory how to read an export, written next to it.
public enum TrainerConfigFiles {
    /// Axolotl's `datasets:` entry (and `test_datasets:` for a validation file) for `chat_template` data whose
    /// per-message `weight` (0/1) decides what is trained (`message_field_training: weight`).
    public static func axolotlYAML(train: String, validation: String?) -> String {
        func entry(_ path: String) -> String {
            """
              - path: \(YAMLScalarWriter.quoted(path))
                ds_type: json
                type: chat_template
                field_messages: messages
                message_property_mappings:
                  role: role
                  content: content
                message_field_training: weight

            """
        }
        var text = """
            # Axolotl dataset entry written by `dramatis export --format axolotl`; paste it into your config.
            # Each assistant message carries "weight": 1 (train on it) or 0 (context only); message_field_training
            # makes Axolotl use it, so only the replies marked good are learned.
            datasets:

            """
        text += entry(train)
        if let validation { text += "test_datasets:\n" + entry(validation) }
        return text
    }

    /// LLaMA-Factory's `dataset_info.json` with one entry per file (name → file), merged into `existing` (the
    /// file's current bytes, if any; other entries are kept). Keys are sorted so the output is stable.
    public static func llamaFactoryDatasetInfo(format: ExportFormat, entries: [(name: String, file: String)], existing: Data?) throws -> Data {
        var info: [String: Any] = [:]
        if let existing, !existing.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: existing) as? [String: Any] else {
                throw TrainerConfigError("dataset_info.json is not a JSON object; move it away or fix it")
            }
            info = object
        }
        var columns: [String: Any] = ["messages": "conversations", "system": "system"]
        var extra: [String: Any] = [:]
        switch format {
        case .llamafactoryDPO:
            columns["chosen"] = "chosen"
            columns["rejected"] = "rejected"
            extra["ranking"] = true
        case .llamafactoryKTO:
            columns["kto_tag"] = "kto_tag"
        default:
            break
        }
        for entry in entries {
            var value: [String: Any] = [
                "file_name": entry.file,
                "formatting": "sharegpt",
                "columns": columns,
                "tags": ["role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt", "system_tag": "system"],
            ]
            value.merge(extra) { $1 }
            info[entry.name] = value
        }
        var data = try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }
}

/// A trainer configuration file that cannot be written as asked.
public struct TrainerConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
