"""Reading Dramatis' exported chat JSONL (SFT examples and preference rows) with file:line errors."""

from __future__ import annotations

import json
from dataclasses import dataclass

ROLES = ("system", "user", "assistant")


class BadInput(Exception):
    """An input file line the worker cannot use; carries the file and line for the `error` event."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.file = file
        self.line = line


@dataclass(frozen=True)
class Message:
    """One chat message; `weight` is 1 when its tokens count in the loss (assistant messages only)."""

    role: str
    content: str
    weight: int


@dataclass(frozen=True)
class PreferencePair:
    """One DPO row: the conversation so far, and the chosen and rejected assistant replies."""

    prompt: list[Message]
    chosen: Message
    rejected: Message


def _parse_message(raw: object, where: str, default_weight: int) -> Message:
    """One message object; assistant messages without `weight` get `default_weight`, others weight 0."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object")
    role = raw.get("role")
    if role not in ROLES:
        raise ValueError(f"{where}.role: expected one of {', '.join(ROLES)}, got {json.dumps(role)}")
    content = raw.get("content")
    if not isinstance(content, str):
        raise ValueError(f"{where}.content: expected a string")
    weight = raw.get("weight", default_weight if role == "assistant" else 0)
    # bool is a subclass of int in Python; true/false are not the 0/1 the format promises.
    if isinstance(weight, bool) or weight not in (0, 1):
        raise ValueError(f"{where}.weight: expected 0 or 1")
    if role != "assistant" and weight == 1:
        raise ValueError(f"{where}.weight: only assistant messages can be trained")
    return Message(role, content, int(weight))


def _parse_messages(raw: object, field: str, default_weight: int) -> list[Message]:
    """A non-empty list of messages under `field`."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{field}: expected a non-empty list of messages")
    return [_parse_message(m, f"{field}[{i}]", default_weight) for i, m in enumerate(raw)]


def _json_lines(path: str):
    """(line number, parsed object) for every non-blank line of `path`, BadInput on unreadable JSON."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"{path}: cannot read: {error.strerror}", file=path) from error
    with handle:
        try:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    raise BadInput(f"{path}:{number}: invalid JSON: {error.msg}", file=path, line=number) from None
                if not isinstance(value, dict):
                    raise BadInput(f"{path}:{number}: expected a JSON object", file=path, line=number)
                yield number, value
        except UnicodeDecodeError:
            raise BadInput(f"{path}: not UTF-8 text", file=path) from None


def read_sft(path: str) -> list[list[Message]]:
    """Every example of an SFT file (`{"messages":[…]}` per line)."""
    examples = []
    for number, row in _json_lines(path):
        try:
            messages = _parse_messages(row.get("messages"), "messages", default_weight=1)
        except ValueError as error:
            raise BadInput(f"{path}:{number}: {error}", file=path, line=number) from None
        if not any(m.weight == 1 for m in messages):
            raise BadInput(f"{path}:{number}: messages: no assistant message with weight 1", file=path, line=number)
        examples.append(messages)
    if not examples:
        raise BadInput(f"{path}: no examples", file=path)
    return examples


def read_preferences(path: str) -> list[PreferencePair]:
    """Every row of a TRL preference file (`prompt`, `chosen`, `rejected`)."""
    pairs = []
    for number, row in _json_lines(path):
        try:
            prompt = _parse_messages(row.get("prompt"), "prompt", default_weight=0)
            replies = []
            for field in ("chosen", "rejected"):
                reply = _parse_messages(row.get(field), field, default_weight=1)
                if len(reply) != 1 or reply[0].role != "assistant":
                    raise ValueError(f"{field}: expected exactly one assistant message")
                replies.append(Message("assistant", reply[0].content, 1))
        except ValueError as error:
            raise BadInput(f"{path}:{number}: {error}", file=path, line=number) from None
        # The prompt's own replies are context only: the pair compares the two final replies.
        prompt = [Message(m.role, m.content, 0) for m in prompt]
        pairs.append(PreferencePair(prompt, replies[0], replies[1]))
    if not pairs:
        raise BadInput(f"{path}: no preference rows", file=path)
    return pairs
