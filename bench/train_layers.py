#!/usr/bin/env python3
"""Side by side: LoRA on every layer vs on the top half, same data, same seed, same loop as the worker.

Trains each variant on bench/train_generate.py's 50 persona examples (1 epoch, rank 16, lr 1e-3, one example
per step, the worker's own loss) and prints its training CPU seconds, the ratio to the all-layer run, and the
held-out catch-phrase rate from greedy generation in torch (10 prompts, 64 new tokens). This is the measurement
behind the worker's default `lora_layers` (the top half); it is not part of `make bench` (about 10 minutes).
Usage: <trainer venv python> bench/train_layers.py [--variants all,top-half,top-third]
"""

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Trainer"))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402

import dramatis_trainer as worker  # noqa: E402
from chat_examples import read_sft  # noqa: E402


def train_and_score(base: str, examples, prompts, phrase: str, layers) -> dict:
    """One variant: fresh base, LoRA on `layers` (None: all), the worker's loop; CPU seconds and held-out hits."""
    torch.manual_seed(42)
    model = transformers.AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    total = model.config.num_hidden_layers
    adapted = worker.adapted_layers(layers, total)
    config = peft.LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                             target_modules=worker.linear_module_names(torch, model), layers_to_transform=adapted)
    model = peft.get_peft_model(model, config)
    curve: list = []
    started = time.process_time()
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink  # the loop emits progress events on stdout
        try:
            worker.optimize(torch, model, examples, "train_sft", 1e-3, 42, 1,
                            lambda example: worker.trained_token_loss(torch, model, example, "cpu"),
                            worker.predicted_tokens, curve)
        finally:
            sys.stdout = saved
    cpu = time.process_time() - started
    model.eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(base)
    hits = 0
    with torch.no_grad():
        for messages in prompts:
            ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                return_dict=True)["input_ids"]
            output = model.generate(input_ids=ids, max_new_tokens=64, do_sample=False)
            hits += phrase.lower() in tokenizer.decode(output[0][ids.shape[1]:]).lower()
    return {"layers": len(adapted), "of": total, "cpu_seconds": round(cpu, 1), "final_loss": curve[-1]["loss"],
            "heldout_hits": hits, "heldout": len(prompts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", default="all,top-half")
    args = parser.parse_args()
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    base = [os.path.dirname(marker) for marker in glob.glob(os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dramatis", "trainer", "bases", "*", worker.BASE_MARKER))]
    if not base:
        sys.exit("no dequantized base yet: run `dramatis train` once")
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, os.path.join(HERE, "train_generate.py"), "--out", work, "--train", "50",
                        "--validation", "5", "--heldout", "10"], check=True)
        tokenizer = transformers.AutoTokenizer.from_pretrained(base[0])
        examples = worker.tokenize_all(tokenizer, read_sft(os.path.join(work, "train.jsonl")), 1024)
        heldout = json.load(open(os.path.join(work, "heldout.json")))
    prompts = [[{k: v for k, v in m.items() if k != "weight"} for m in p] for p in heldout["prompts"]]
    choices = {"all": 0, "top-half": None, "top-third": 10}
    results = {}
    for name in args.variants.split(","):
        random.seed(42)
        results[name] = train_and_score(base[0], examples, prompts, heldout["catch_phrase"], choices[name])
        print(json.dumps({"variant": name, **results[name]}), flush=True)
    if "all" in results:
        for name, result in results.items():
            print(f"{name}: {result['layers']}/{result['of']} layers, CPU {result['cpu_seconds']} s "
                  f"({result['cpu_seconds'] / results['all']['cpu_seconds']:.2f}x of all layers), "
                  f"held-out {result['heldout_hits']}/{result['heldout']}")


if __name__ == "__main__":
    main()
