"""The worker's refusals, end to end through its JSON-lines protocol (no model is loaded for these).

Run with the trainer venv: `<venv python> -m unittest discover -s Trainer/tests`.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dramatis_trainer.py")

GOOD = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Ahoy!", "weight": 1}]}


def run_worker(request) -> tuple[int, list[dict]]:
    """Exit status and events of one worker run."""
    line = request if isinstance(request, str) else json.dumps(request)
    finished = subprocess.run([sys.executable, WORKER], input=line + "\n", capture_output=True, text=True, timeout=600)
    events = [json.loads(text) for text in finished.stdout.splitlines()]
    return finished.returncode, events


class WorkerRefusalTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        root = self.folder.name
        self.converter = os.path.join(root, "converter")
        os.makedirs(self.converter)
        open(os.path.join(self.converter, "convert_lora_to_gguf.py"), "w").close()
        self.base = os.path.join(root, "base.gguf")
        open(self.base, "wb").close()
        self.train = os.path.join(root, "train.jsonl")

    def request(self, **changes) -> dict:
        """A well-formed request over the temporary files, with `changes` applied."""
        request = {"protocol": 1, "base_gguf": self.base, "base_cache_dir": os.path.join(self.folder.name, "bases"),
                   "converter_dir": self.converter, "run_dir": os.path.join(self.folder.name, "run"),
                   "sft_train": self.train, "sft_validation": None}
        request.update(changes)
        return request

    def write_train(self, *lines: str) -> None:
        with open(self.train, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    def assert_error(self, request, kind: str, fragment: str) -> dict:
        status, events = run_worker(request)
        self.assertNotEqual(status, 0)
        self.assertEqual(events[-1]["event"], "error", events)
        self.assertEqual(events[-1]["kind"], kind, events[-1])
        self.assertIn(fragment, events[-1]["message"])
        self.assertFalse(any(e["event"] == "done" for e in events))
        return events[-1]

    def test_bad_weight_names_file_line_and_field(self):
        bad = dict(GOOD, messages=GOOD["messages"][:1] + [{"role": "assistant", "content": "x", "weight": 2}])
        self.write_train(json.dumps(GOOD), json.dumps(GOOD), json.dumps(bad))
        error = self.assert_error(self.request(), "bad_input", "train.jsonl:3: messages[1].weight: expected 0 or 1")
        self.assertEqual((error["file"], error["line"]), (self.train, 3))

    def test_invalid_json_line(self):
        self.write_train(json.dumps(GOOD), "{not json")
        error = self.assert_error(self.request(), "bad_input", "train.jsonl:2: invalid JSON")
        self.assertEqual(error["line"], 2)

    def test_example_without_trained_reply(self):
        untrained = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo", "weight": 0}]}
        self.write_train(json.dumps(untrained))
        self.assert_error(self.request(), "bad_input", "train.jsonl:1: messages: no assistant message with weight 1")

    def test_dpo_without_preferences(self):
        self.write_train(json.dumps(GOOD))
        self.assert_error(self.request(method="sft+dpo"), "bad_input", "request.preference_train")

    def test_bad_request_fields(self):
        self.write_train(json.dumps(GOOD))
        self.assert_error(self.request(protocol=2), "bad_input", "request.protocol")
        self.assert_error(self.request(epochs=0), "bad_input", "request.epochs")
        self.assert_error(self.request(rank="8"), "bad_input", "request.rank")
        self.assert_error("not json", "bad_input", "request: invalid JSON")

    def test_missing_converter_is_an_environment_error(self):
        self.write_train(json.dumps(GOOD))
        self.assert_error(self.request(converter_dir=self.folder.name), "environment", "convert_lora_to_gguf.py")


if __name__ == "__main__":
    unittest.main()


class RememberedDigestTests(unittest.TestCase):
    """The base GGUF's SHA-256 is remembered by size and modification time instead of hashed on every run."""

    def setUp(self):
        sys.path.insert(0, os.path.dirname(WORKER))
        import dramatis_trainer
        self.worker = dramatis_trainer
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.file = os.path.join(self.folder.name, "base.gguf")
        self.cache = os.path.join(self.folder.name, "bases")
        with open(self.file, "wb") as handle:
            handle.write(b"weights")

    def test_a_known_stamp_uses_the_remembered_digest_and_a_changed_file_is_hashed_again(self):
        first = self.worker.remembered_sha256(self.file, self.cache)
        self.assertEqual(first, self.worker.file_sha256(self.file))
        store = os.path.join(self.cache, "digests.json")
        with open(store, encoding="utf-8") as handle:
            known = json.load(handle)
        known[os.path.abspath(self.file)]["sha256"] = "remembered"
        with open(store, "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        self.assertEqual(self.worker.remembered_sha256(self.file, self.cache), "remembered")
        with open(self.file, "ab") as handle:
            handle.write(b" and more")
        self.assertEqual(self.worker.remembered_sha256(self.file, self.cache), self.worker.file_sha256(self.file))

    def test_a_torn_store_is_ignored(self):
        os.makedirs(self.cache)
        with open(os.path.join(self.cache, "digests.json"), "w", encoding="utf-8") as handle:
            handle.write("{\"half")
        self.assertEqual(self.worker.remembered_sha256(self.file, self.cache), self.worker.file_sha256(self.file))
