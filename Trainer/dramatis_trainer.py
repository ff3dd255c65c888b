#!/usr/bin/env python3
"""Dramatis' trainer worker: one JSON request on stdin, JSON-lines events on stdout (see PROTOCOL.md).

Trains a LoRA adapter (PEFT) on the local model's own weights, read by transformers from the GGUF the
engine serves, then converts it to a GGUF adapter with llama.cpp's convert_lora_to_gguf.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import random
import resource
import runpy
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from chat_examples import BadInput, Message, read_preferences, read_sft  # noqa: E402
from loss_mask import IGNORE, TokenizedExample, tokenize_example  # noqa: E402

PROTOCOL = 1
BASE_MARKER = "dramatis-base.json"
ADAPTER_DIR = "adapter"
ADAPTER_GGUF = "adapter.gguf"


class TrainingDiverged(Exception):
    """The loss stopped being a finite number."""


class EnvironmentProblem(Exception):
    """A package or the converter is missing or broken."""


def emit(event: str, **fields) -> None:
    """One event line on stdout, flushed at once."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def log(text: str) -> None:
    """A free-text line for the run's log (stderr)."""
    print(text, file=sys.stderr, flush=True)


def peak_rss_bytes() -> int:
    """The larger peak resident set of this process and its finished children."""
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * scale


# --- request ------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    """The validated request (PROTOCOL.md); optional fields carry the tuned defaults."""

    base_gguf: str
    base_cache_dir: str
    converter_dir: str
    run_dir: str
    sft_train: str
    sft_validation: str | None
    preference_train: str | None
    method: str
    epochs: int
    learning_rate: float
    dpo_learning_rate: float
    dpo_beta: float
    rank: int
    alpha: float
    seed: int
    max_seq_len: int
    threads: int
    lora_layers: int | None  # the top this-many layers get LoRA; 0: all; None: the top half



DEFAULTS = {
    "sft_validation": None,
    "preference_train": None,
    "method": "sft",
    "epochs": 1,
    "learning_rate": 1e-3,
    "dpo_learning_rate": 5e-5,
    "dpo_beta": 0.1,
    "rank": 16,
    "alpha": 32,
    "seed": 42,
    "max_seq_len": 1024,
    "threads": 0,
    "lora_layers": None,
}


def parse_request(line: str) -> Request:
    """The request object, or BadInput naming the field that is wrong."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadInput(f"request: invalid JSON: {error.msg}") from None
    if not isinstance(raw, dict):
        raise BadInput("request: expected a JSON object")
    if raw.get("protocol") != PROTOCOL:
        raise BadInput(f"request.protocol: expected {PROTOCOL}, got {json.dumps(raw.get('protocol'))}")
    values = {**DEFAULTS, **{key: value for key, value in raw.items() if value is not None}}

    def path(field: str, optional: bool = False):
        value = values.get(field)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value:
            raise BadInput(f"request.{field}: expected a path")
        return value

    def number(field: str, kind, minimum):
        value = values.get(field)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not float(value).is_integer()):
            raise BadInput(f"request.{field}: expected {'an integer' if kind is int else 'a number'}")
        if value < minimum or (kind is float and not math.isfinite(value)):
            raise BadInput(f"request.{field}: must be at least {minimum}")
        return kind(value)

    request = Request(
        base_gguf=path("base_gguf"),
        base_cache_dir=path("base_cache_dir"),
        converter_dir=path("converter_dir"),
        run_dir=path("run_dir"),
        sft_train=path("sft_train"),
        sft_validation=path("sft_validation", optional=True),
        preference_train=path("preference_train", optional=True),
        method=values.get("method"),
        epochs=number("epochs", int, 1),
        learning_rate=number("learning_rate", float, 1e-12),
        dpo_learning_rate=number("dpo_learning_rate", float, 1e-12),
        dpo_beta=number("dpo_beta", float, 1e-6),
        rank=number("rank", int, 1),
        alpha=number("alpha", float, 1e-6),
        seed=number("seed", int, 0),
        max_seq_len=number("max_seq_len", int, 16),
        threads=number("threads", int, 0),
        lora_layers=None if values.get("lora_layers") is None else number("lora_layers", int, 0),
    )
    if request.method not in ("sft", "sft+dpo"):
        raise BadInput(f"request.method: expected \"sft\" or \"sft+dpo\", got {json.dumps(request.method)}")
    if request.method == "sft+dpo" and request.preference_train is None:
        raise BadInput("request.preference_train: required with method \"sft+dpo\"")
    if not os.path.isfile(request.base_gguf):
        raise BadInput(f"request.base_gguf: no such file: {request.base_gguf}", file=request.base_gguf)
    if not os.path.isfile(os.path.join(request.converter_dir, "convert_lora_to_gguf.py")):
        raise EnvironmentProblem(f"the LoRA converter is missing: no convert_lora_to_gguf.py in {request.converter_dir} (run Trainer/setup-venv.sh)")
    return request


# --- environment --------------------------------------------------------------

def import_libraries():
    """torch, transformers and peft, or EnvironmentProblem naming what is missing."""
    try:
        import torch
        import transformers
        import peft
        import gguf
    except ImportError as error:
        raise EnvironmentProblem(f"a trainer package is missing ({error}); run Trainer/setup-venv.sh") from None
    return torch, transformers, peft, gguf


def choose_device(torch) -> str:
    """A CUDA or Apple GPU when there is one, else the CPU."""
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def available_cores() -> int:
    """Cores this process may run on (all of them by default)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- base model ---------------------------------------------------------------

def file_sha256(path: str) -> str:
    """Hex SHA-256 of a file, read in 4 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(4 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def remembered_sha256(path: str, cache_dir: str) -> str:
    """The file's SHA-256, hashed again only when its size or modification time changed since the last run.

    Remembered in `cache_dir/digests.json` by absolute path; written atomically (a torn file is just ignored).
    """
    status = os.stat(path)
    key = os.path.abspath(path)
    stamp = [status.st_size, status.st_mtime_ns]
    store = os.path.join(cache_dir, "digests.json")
    try:
        with open(store, encoding="utf-8") as handle:
            known = json.load(handle)
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    entry = known.get(key)
    if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("sha256"), str):
        return entry["sha256"]
    digest = file_sha256(path)
    known[key] = {"stamp": stamp, "sha256": digest}
    os.makedirs(cache_dir, exist_ok=True)
    temporary = f"{store}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(known, handle)
    os.replace(temporary, store)
    return digest


def cached_base_dir(request: Request, transformers, torch) -> str:
    """The dequantized base (safetensors, tokenizer, config) for the GGUF, built on first use.

    Keyed by the GGUF's SHA-256: the same file is dequantized once. Built in a temporary folder with a
    marker written last and renamed into place, so a killed run never leaves a cache entry that looks whole.
    """
    digest = remembered_sha256(request.base_gguf, request.base_cache_dir)
    stem = os.path.basename(request.base_gguf).removesuffix(".gguf")
    target = os.path.join(request.base_cache_dir, f"{stem}-{digest[:16]}")
    if os.path.isfile(os.path.join(target, BASE_MARKER)):
        return target
    emit("stage", stage="load_base", message="dequantizing the base model (first run only)")
    os.makedirs(request.base_cache_dir, exist_ok=True)
    remove_abandoned_temporaries(request.base_cache_dir)
    temporary = os.path.join(request.base_cache_dir, f".tmp-{os.getpid()}-{os.path.basename(target)}")
    shutil.rmtree(temporary, ignore_errors=True)
    folder, name = os.path.split(os.path.abspath(request.base_gguf))
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
    # convert_lora_to_gguf.py refuses a base whose config still carries the GGUF loader's quantization
    # info or lacks `architectures`; the saved weights are plain float32 either way.
    for holder in (model.config, model):
        for attribute in ("quantization_config", "hf_quantizer"):
            if hasattr(holder, attribute):
                try:
                    delattr(holder, attribute)
                except AttributeError:
                    setattr(holder, attribute, None)
    if not model.config.architectures:
        model.config.architectures = [type(model).__name__]
    model.save_pretrained(temporary, safe_serialization=True)
    tokenizer.save_pretrained(temporary)
    with open(os.path.join(temporary, BASE_MARKER), "w", encoding="utf-8") as handle:
        json.dump({"gguf": os.path.abspath(request.base_gguf), "sha256": digest}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    del model
    try:
        os.rename(temporary, target)
    except OSError:
        # Another run finished the same base first; theirs is as good as ours.
        shutil.rmtree(temporary, ignore_errors=True)
        if not os.path.isfile(os.path.join(target, BASE_MARKER)):
            raise
    return target


def remove_abandoned_temporaries(folder: str) -> None:
    """Delete `.tmp-<pid>-…` folders of base-cache builds whose process is gone."""
    for entry in os.listdir(folder):
        if not entry.startswith(".tmp-"):
            continue
        pid_text = entry[len(".tmp-"):].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid():
            try:
                os.kill(int(pid_text), 0)
            except ProcessLookupError:
                shutil.rmtree(os.path.join(folder, entry), ignore_errors=True)
            except PermissionError:
                pass


# --- training -----------------------------------------------------------------

def tokenize_all(tokenizer, examples: list[list[Message]], max_seq_len: int) -> list[TokenizedExample]:
    """Tokenized examples that still hold a trained token after cutting to max_seq_len."""
    result = []
    for messages in examples:
        tokenized = tokenize_example(tokenizer, messages, max_seq_len)
        # The first token has no prediction (labels shift by one), so it needs a trained token after it.
        if predicted_tokens(tokenized):
            result.append(tokenized)
    return result


def adapted_layers(requested: int | None, model_layers: int) -> list[int]:
    """The indices of the layers that get LoRA: the top `requested` (0: all; None: the top half, rounded up).

    Only the top layers, because the backward pass then stops at the lowest adapted layer: on the benchmark's 50
    persona examples the top 15 of SmolLM2-135M's 30 layers took 0.59x the CPU seconds of all 30 (bench/train_layers.py:
    86.1 s -> 51.0 s on two threads) and gave the same held-out result (10/10 replies in the trained style).
    """
    if requested is None:
        count = (model_layers + 1) // 2
    elif requested == 0:
        count = model_layers
    else:
        count = min(requested, model_layers)
    return list(range(model_layers - count, model_layers))


def linear_module_names(torch, model) -> list[str]:
    """The names of the transformer blocks' linear layers (PEFT's "all-linear", which cannot be combined with a
    layer selection): every nn.Linear but the output head."""
    output = model.get_output_embeddings()
    return sorted({name.rsplit(".", 1)[-1] for name, module in model.named_modules()
                   if isinstance(module, torch.nn.Linear) and module is not output})


def trained_token_loss(torch, model, example: TokenizedExample, device: str, reduction: str = "mean"):
    """Cross-entropy of the example's trained tokens; logits only where a trained token is predicted.

    `logits_to_keep` with the positions skips the output head (49k-word vocabulary) and its softmax at
    the untrained positions, most of an example (system prompt, few-shot examples, greeting, user turns).
    """
    targets = example.labels[1:]  # position p predicts token p+1
    positions = [p for p, label in enumerate(targets) if label != IGNORE]
    ids = torch.tensor([example.input_ids], device=device)
    logits = model(input_ids=ids, logits_to_keep=torch.tensor(positions, device=device)).logits[0]
    wanted = torch.tensor([targets[p] for p in positions], device=device)
    return torch.nn.functional.cross_entropy(logits.float(), wanted, reduction=reduction)


def predicted_tokens(example: TokenizedExample) -> int:
    """How many trained tokens have a position predicting them (all but a trained first token)."""
    return sum(1 for label in example.labels[1:] if label != IGNORE)


def validation_loss(torch, model, examples: list[TokenizedExample], device: str) -> tuple[float, int]:
    """Token-weighted mean loss over the examples' trained tokens, and how many tokens that is."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for example in examples:
            total += float(trained_token_loss(torch, model, example, device, reduction="sum"))
            count += predicted_tokens(example)
    return (total / count if count else float("nan")), count


class ProgressMeter:
    """Step timing for `progress` events: trained tokens per second and the ETA."""

    def __init__(self, stage: str, total_steps: int, steps_per_epoch: int):
        self.stage, self.total_steps, self.steps_per_epoch = stage, total_steps, steps_per_epoch
        self.started = time.monotonic()
        self.trained_tokens = 0

    def step(self, step: int, loss: float, tokens: int) -> None:
        """Record one finished step and emit its event."""
        self.trained_tokens += tokens
        elapsed = time.monotonic() - self.started
        emit("progress", stage=self.stage, step=step, total_steps=self.total_steps,
             epoch=round(step / self.steps_per_epoch, 4), loss=round(loss, 5), trained_tokens=self.trained_tokens,
             tokens_per_second=round(self.trained_tokens / elapsed, 2) if elapsed > 0 else None,
             eta_seconds=round(elapsed / step * (self.total_steps - step), 2))


def optimize(torch, model, items: list, stage: str, learning_rate: float, seed: int, epochs: int, loss_of, tokens_of,
             loss_curve: list, first_step: int = 0) -> tuple[int, int]:
    """The loop SFT and DPO share: AdamW on the adapter, one item per step in a seeded order, gradient norm
    clipped at 1, a `progress` event and a loss-curve point per step. Returns (steps, trained tokens)."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.0)
    order = list(range(len(items)))
    shuffler = random.Random(seed)
    meter = ProgressMeter(stage, len(items) * epochs, len(items))
    model.train()
    step = 0
    for _ in range(epochs):
        shuffler.shuffle(order)
        for index in order:
            loss = loss_of(items[index])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            value = loss.item()
            if not math.isfinite(value):  # JSON has no NaN; and nothing useful comes of a diverged run
                raise TrainingDiverged(f"{stage}: the loss became {value} at step {step}; try a lower learning rate")
            loss_curve.append({"step": first_step + step, "loss": round(value, 5), "stage": stage})
            meter.step(step, value, tokens_of(items[index]))
    return step, meter.trained_tokens


def train_sft(torch, model, examples, request: Request, device: str, loss_curve: list) -> tuple[int, int]:
    """Next-token loss on the masked labels. Returns (steps, tokens)."""
    return optimize(torch, model, examples, "train_sft", request.learning_rate, request.seed, request.epochs,
                    lambda example: trained_token_loss(torch, model, example, device), predicted_tokens, loss_curve)


def sequence_logprob(torch, model, example: TokenizedExample, device: str):
    """Sum of log-probabilities of the example's trained tokens under the model."""
    return -trained_token_loss(torch, model, example, device, reduction="sum")


def train_dpo(torch, model, pairs, request: Request, device: str, loss_curve: list, first_step: int) -> tuple[int, int]:
    """Sigmoid DPO (Rafailov et al. 2023) on the preference pairs, after SFT. Returns (steps, tokens).

    Written by hand rather than with TRL's DPOTrainer: the pairs go through the same chat-template mask
    as SFT, and the reference is the policy as SFT left it (the DPO paper's pi_ref = pi_SFT), whose
    log-probabilities are computed once up front instead of keeping a second model or toggling the adapter.
    """
    model.eval()
    with torch.no_grad():
        references = [(float(sequence_logprob(torch, model, chosen, device)),
                       float(sequence_logprob(torch, model, rejected, device))) for chosen, rejected in pairs]

    def loss_of(item):
        (chosen, rejected), (reference_chosen, reference_rejected) = item
        margin = ((sequence_logprob(torch, model, chosen, device) - reference_chosen)
                  - (sequence_logprob(torch, model, rejected, device) - reference_rejected))
        return -torch.nn.functional.logsigmoid(request.dpo_beta * margin)

    return optimize(torch, model, list(zip(pairs, references)), "train_dpo", request.dpo_learning_rate,
                    request.seed + 1, request.epochs, loss_of,
                    lambda item: predicted_tokens(item[0][0]) + predicted_tokens(item[0][1]), loss_curve, first_step)


# --- conversion ---------------------------------------------------------------

def convert_adapter(request: Request, base_dir: str, adapter_dir: str, outfile: str) -> None:
    """Run llama.cpp's convert_lora_to_gguf.py on the saved PEFT adapter, in this process.

    In-process because a child interpreter spent ~5 s importing torch and transformers again (they are loaded
    here already); the converter finds its own gguf-py and `conversion` package first on sys.path
    (`use_converter_packages`). Its stdout is our event channel, so anything it prints goes to the log (stderr).
    """
    converter = os.path.join(request.converter_dir, "convert_lora_to_gguf.py")
    arguments = ["--base", base_dir, "--outtype", "f32", "--outfile", outfile, adapter_dir]
    log("converting: convert_lora_to_gguf.py " + " ".join(arguments))
    saved_argv = sys.argv
    sys.argv = [converter, *arguments]
    try:
        with contextlib.redirect_stdout(sys.stderr):
            runpy.run_path(converter, run_name="__main__")
    except SystemExit as stop:
        if stop.code not in (None, 0):
            raise RuntimeError(f"convert_lora_to_gguf.py failed with status {stop.code} (see the run's train.log)") from None
    finally:
        sys.argv = saved_argv
    if not os.path.isfile(outfile):
        raise RuntimeError(f"convert_lora_to_gguf.py wrote no {os.path.basename(outfile)} (see the run's train.log)")


def use_converter_packages(converter_dir: str) -> None:
    """Put the engine archive's gguf-py and converter folder first on sys.path, before anything imports `gguf`.

    The converter is written against the gguf-py vendored next to it (same source tree as the engine), so that copy
    wins over the venv's `gguf` package for transformers' GGUF reader too.
    """
    for folder in (converter_dir, os.path.join(converter_dir, "gguf-py")):
        if folder not in sys.path:
            sys.path.insert(0, folder)


# --- main ---------------------------------------------------------------------

def on_stop_signal(signum, frame):
    """Stop at once: exit without unwinding (no event: the stop was asked for).

    os._exit skips the interpreter's teardown of torch's threads and the model, which took most of a minute
    on busy cores. Nothing needs cleaning: the run folder is the caller's temporary one, and an unfinished
    base-cache folder is named by our pid and removed by the next run.
    """
    log(f"stopped by signal {signum}")
    os._exit(128 + signum)


@dataclass(frozen=True)
class Inputs:
    """The parsed data files of a request."""

    train: list[list[Message]]
    validation: list[list[Message]]
    preferences: list


def read_inputs(request: Request) -> Inputs:
    """Every input file parsed and checked (BadInput with file:line), before any heavy import."""
    return Inputs(train=read_sft(request.sft_train),
                  validation=read_sft(request.sft_validation) if request.sft_validation else [],
                  preferences=read_preferences(request.preference_train) if request.method == "sft+dpo" else [])


def run(request: Request, inputs: Inputs, started: float, torch, transformers, peft, gguf) -> None:
    """The whole run: load, tokenize, validate, train, save, convert, `done`."""
    threads = request.threads or available_cores()
    torch.set_num_threads(threads)
    device = choose_device(torch)
    emit("hello", protocol=PROTOCOL, device=device, threads=torch.get_num_threads(), versions={
        "python": ".".join(map(str, sys.version_info[:3])), "torch": torch.__version__,
        "transformers": transformers.__version__, "peft": peft.__version__, "trl": None,
        "gguf": vendored_gguf_version(request.converter_dir) or getattr(gguf, "__version__", None)})

    random.seed(request.seed)
    torch.manual_seed(request.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)

    emit("stage", stage="load_base", message="loading the base model")
    base_dir = cached_base_dir(request, transformers, torch)
    tokenizer = transformers.AutoTokenizer.from_pretrained(base_dir)
    model = transformers.AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).to(device)
    load_seconds = time.monotonic() - started

    emit("stage", stage="tokenize", message="applying the chat template and the loss mask")
    train = tokenize_all(tokenizer, inputs.train, request.max_seq_len)
    if not train:
        raise BadInput(f"{request.sft_train}: no example has a trained token within max_seq_len", file=request.sft_train)
    validation = tokenize_all(tokenizer, inputs.validation, request.max_seq_len)
    pairs = []
    for pair in inputs.preferences:
        chosen = tokenize_example(tokenizer, pair.prompt + [pair.chosen], request.max_seq_len)
        rejected = tokenize_example(tokenizer, pair.prompt + [pair.rejected], request.max_seq_len)
        if predicted_tokens(chosen) and predicted_tokens(rejected):
            pairs.append((chosen, rejected))
    log(f"{len(train)} training examples ({sum(e.trained_tokens for e in train)} trained of "
        f"{sum(len(e.input_ids) for e in train)} tokens), {len(validation)} validation, {len(pairs)} preference pairs")

    torch.manual_seed(request.seed)
    model_layers = model.config.num_hidden_layers
    adapted = adapted_layers(request.lora_layers, model_layers)
    log(f"LoRA rank {request.rank} on the top {len(adapted)} of {model_layers} layers")
    lora = peft.LoraConfig(r=request.rank, lora_alpha=request.alpha, lora_dropout=0.0, bias="none",
                           target_modules=linear_module_names(torch, model), layers_to_transform=adapted,
                           task_type="CAUSAL_LM")
    model = peft.get_peft_model(model, lora)

    before = after = None
    if validation:
        emit("stage", stage="validate_before", message=f"validation loss on {len(validation)} held-out examples")
        before, tokens = validation_loss(torch, model, validation, device)
        emit("validation", when="before", loss=round(before, 5), tokens=tokens)

    training_started = time.monotonic()
    loss_curve: list[dict] = []
    emit("stage", stage="train_sft", message=f"{len(train)} examples x {request.epochs} epochs")
    steps, trained_tokens = train_sft(torch, model, train, request, device, loss_curve)
    if pairs:
        emit("stage", stage="train_dpo", message=f"{len(pairs)} preference pairs x {request.epochs} epochs")
        dpo_steps, dpo_tokens = train_dpo(torch, model, pairs, request, device, loss_curve, steps)
        steps, trained_tokens = steps + dpo_steps, trained_tokens + dpo_tokens
    train_seconds = time.monotonic() - training_started

    if validation:
        emit("stage", stage="validate_after", message=f"validation loss on {len(validation)} held-out examples")
        after, tokens = validation_loss(torch, model, validation, device)
        emit("validation", when="after", loss=round(after, 5), tokens=tokens)

    convert_started = time.monotonic()
    emit("stage", stage="save", message="saving the LoRA adapter")
    os.makedirs(request.run_dir, exist_ok=True)
    adapter_dir = os.path.join(request.run_dir, ADAPTER_DIR)
    shutil.rmtree(adapter_dir, ignore_errors=True)
    model.save_pretrained(adapter_dir)
    emit("stage", stage="convert", message="converting the adapter to GGUF")
    outfile = os.path.join(request.run_dir, ADAPTER_GGUF)
    temporary = outfile + ".tmp"
    convert_adapter(request, base_dir, adapter_dir, temporary)
    os.replace(temporary, outfile)
    convert_seconds = time.monotonic() - convert_started

    emit("done", adapter_gguf=ADAPTER_GGUF, adapter_dir=ADAPTER_DIR, train_examples=len(train),
         trained_tokens=trained_tokens, steps=steps, loss_curve=loss_curve,
         validation_loss_before=None if before is None else round(before, 5),
         validation_loss_after=None if after is None else round(after, 5),
         lora_layers=len(adapted), model_layers=model_layers,
         peak_rss_bytes=peak_rss_bytes(), seconds={
             "load": round(load_seconds, 2), "train": round(train_seconds, 2),
             "convert": round(convert_seconds, 2), "total": round(time.monotonic() - started, 2)})


def vendored_gguf_version(converter_dir: str) -> str | None:
    """The version in the converter's own gguf-py/pyproject.toml (the gguf package in use), or None."""
    try:
        with open(os.path.join(converter_dir, "gguf-py", "pyproject.toml"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("version"):
                    return line.split("=", 1)[1].strip().strip('"') + " (gguf-py of the engine's source archive)"
    except OSError:
        pass
    return None


def openmp_wait_policy() -> str:
    """ACTIVE (spinning) OpenMP threads on idle cores, PASSIVE when the cores are already busy.

    Measured on 2 cores, 50 examples: 68 s to the adapter with spinning threads on an idle machine against 127 s
    with sleeping ones; but with the cores shared (the chat's engine, a build) one training step took ~150 s
    spinning against ~8 s sleeping. The 1-minute load average at start decides.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:
        return "PASSIVE"
    return "ACTIVE" if load < 0.5 * (os.cpu_count() or 1) else "PASSIVE"


def main() -> int:
    """Read the request, run, and map every failure to an `error` event; exit status 0 only after `done`."""
    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGINT, on_stop_signal)  # Ctrl-C in the terminal reaches the worker's process group too
    # CUDA's deterministic matrix products need this before the first CUDA call.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    # Read by torch's OpenMP runtime when it loads, so set before the import (an explicit setting wins).
    os.environ.setdefault("OMP_WAIT_POLICY", openmp_wait_policy())
    try:
        started = time.monotonic()
        request = parse_request(sys.stdin.readline())
        use_converter_packages(request.converter_dir)
        # Bad input is reported at once, not after the seconds torch takes to import.
        inputs = read_inputs(request)
        torch, transformers, peft, gguf = import_libraries()
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()  # tqdm bars would fill the run's log with carriage returns
        run(request, inputs, started, torch, transformers, peft, gguf)
        return 0
    except BadInput as error:
        fields = {k: v for k, v in (("file", error.file), ("line", error.line)) if v is not None}
        emit("error", kind="bad_input", message=str(error), **fields)
    except EnvironmentProblem as error:
        emit("error", kind="environment", message=str(error))
    except MemoryError:
        emit("error", kind="out_of_memory", message="out of memory")
    except Exception as error:  # noqa: BLE001 — every failure becomes an event Swift can show
        traceback.print_exc()
        if type(error).__name__ == "OutOfMemoryError":  # torch.OutOfMemoryError (GPU)
            emit("error", kind="out_of_memory", message=str(error).splitlines()[0] if str(error) else "out of memory")
        else:
            emit("error", kind="internal", message=f"{type(error).__name__}: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
