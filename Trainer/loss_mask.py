"""The per-message loss mask: which tokens of a chat example count in the training loss.

Written by hand on purpose: transformers' and TRL's collators can mask "everything but the assistant
turns" (or the completion only), but not a per-message `weight`, where one assistant reply of a
conversation is trained and the few-shot examples, the greeting and the unmarked replies around it are
context only. So the example is rendered with the model's own chat template, tokenized with character
offsets, and a token is trained when it overlaps the content of an assistant message with weight 1, plus
the token that ends that turn (the model must learn to stop). Every other label is -100.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_examples import Message

IGNORE = -100


@dataclass(frozen=True)
class TokenizedExample:
    """Token ids and their labels (the id where trained, IGNORE elsewhere)."""

    input_ids: list[int]
    labels: list[int]

    @property
    def trained_tokens(self) -> int:
        """How many tokens count in the loss."""
        return sum(1 for label in self.labels if label != IGNORE)


def render(tokenizer, messages: list[Message], add_generation_prompt: bool = False) -> str:
    """The chat template's text for `messages`."""
    return tokenizer.apply_chat_template(
        [{"role": m.role, "content": m.content} for m in messages],
        tokenize=False,
        add_generation_prompt=add_generation_prompt,
    )


def content_spans(tokenizer, messages: list[Message], text: str) -> list[tuple[int, int]]:
    """Character span of each message's content in `text` (the template's rendering of `messages`).

    Preferred: the rendering of the messages before it plus the assistant header is a prefix of `text`
    and the content follows verbatim. Otherwise (templates that inject a default system prompt before a
    leading greeting, for example) the content is searched for after the previous message's content.
    """
    spans = []
    cursor = 0
    for index, message in enumerate(messages):
        start = -1
        if index > 0:
            prefix = render(tokenizer, messages[:index], add_generation_prompt=message.role == "assistant")
            if message.role == "assistant" and text.startswith(prefix) and text.startswith(message.content, len(prefix)):
                start = len(prefix)
        if start < 0:
            start = text.find(message.content, cursor)
        if start < 0:
            raise ValueError(f"the chat template does not render message {index}'s content verbatim")
        end = start + len(message.content)
        spans.append((start, end))
        cursor = end
    return spans


def tokenize_example(tokenizer, messages: list[Message], max_seq_len: int) -> TokenizedExample:
    """Token ids and masked labels of one example, cut to `max_seq_len` tokens."""
    text = render(tokenizer, messages)
    spans = content_spans(tokenizer, messages, text)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids = list(encoded["input_ids"])
    offsets = list(encoded["offset_mapping"])
    labels = [IGNORE] * len(ids)
    for message, (start, end) in zip(messages, spans):
        if message.role != "assistant" or message.weight != 1:
            continue
        end_of_turn = None
        for position, (token_start, token_end) in enumerate(offsets):
            if token_start < end and token_end > start:
                labels[position] = ids[position]
            elif token_start >= end and token_end > token_start:
                end_of_turn = position
                break
        if end_of_turn is not None:
            labels[end_of_turn] = ids[end_of_turn]
    return TokenizedExample(ids[:max_seq_len], labels[:max_seq_len])
