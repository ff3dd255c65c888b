"""Reference validator in Python: the OpenAI cookbook data-prep notebook's checks and token
statistics for chat JSONL, counting with tiktoken. Used side by side with `dramatis validate`
in bench/validate.sh. Prints a JSON summary comparable to `dramatis validate --json` stats."""
import json, sys
from collections import defaultdict
import tiktoken

def main(path, encoding_name="o200k_base", limit=65536):
    encoding = tiktoken.get_encoding(encoding_name)
    format_errors = defaultdict(int)
    n_messages, convo_lens, assistant_lens = [], [], []
    n_missing_system = n_missing_user = 0
    examples = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            examples += 1
            try:
                ex = json.loads(line)
            except ValueError:
                format_errors["invalid_json"] += 1
                continue
            # --- the notebook's format checks ---
            if not isinstance(ex, dict):
                format_errors["data_type"] += 1
                continue
            messages = ex.get("messages", None)
            if not messages:
                format_errors["missing_messages_list"] += 1
                continue
            for message in messages:
                if "role" not in message or "content" not in message:
                    format_errors["message_missing_key"] += 1
                if any(k not in ("role", "content", "name", "function_call", "weight") for k in message):
                    format_errors["message_unrecognized_key"] += 1
                if message.get("role", None) not in ("system", "user", "assistant", "function"):
                    format_errors["unrecognized_role"] += 1
                content = message.get("content", None)
                function_call = message.get("function_call", None)
                if (not content and not function_call) or not isinstance(content, str):
                    format_errors["missing_content"] += 1
            if not any(message.get("role", None) == "assistant" for message in messages):
                format_errors["example_missing_assistant_message"] += 1
            # --- the notebook's token counting (string values only; weight is not text) ---
            if not any(m.get("role") == "system" for m in messages):
                n_missing_system += 1
            if not any(m.get("role") == "user" for m in messages):
                n_missing_user += 1
            n_messages.append(len(messages))
            num_tokens = 0
            for message in messages:
                num_tokens += 3
                for key, value in message.items():
                    if isinstance(value, str):
                        num_tokens += len(encoding.encode(value, disallowed_special=()))
                    if key == "name":
                        num_tokens += 1
            num_tokens += 3
            convo_lens.append(num_tokens)
            assistant_lens.append(sum(len(encoding.encode(m["content"], disallowed_special=()))
                                      for m in messages if m.get("role") == "assistant" and isinstance(m.get("content"), str)))
    n_epochs = 3
    if examples * 3 < 100:
        n_epochs = min(25, 100 // examples)
    elif examples * 3 > 25000:
        n_epochs = max(1, 25000 // examples)
    billing = sum(min(limit, n) for n in convo_lens)
    print(json.dumps({
        "examples": examples,
        "format_errors": dict(format_errors),
        "missing_system": n_missing_system,
        "missing_user": n_missing_user,
        "total_tokens": sum(convo_lens),
        "assistant_tokens": sum(assistant_lens),
        "examples_over_limit": sum(n > limit for n in convo_lens),
        "epochs": n_epochs,
        "billed_tokens": n_epochs * billing,
    }))

if __name__ == "__main__":
    main(*sys.argv[1:2], *sys.argv[2:3], *[int(a) for a in sys.argv[3:4]])
