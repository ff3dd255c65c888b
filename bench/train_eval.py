#!/usr/bin/env python3
"""Held-out catch-phrase rate of the base model vs the tuned adapter, served by ONE llama-server.

Starts `llama-server -m BASE --lora ADAPTER --lora-init-without-apply` on a free loopback port and asks
every held-out prompt twice at temperature 0, seed 42: with `"lora":[{"id":0,"scale":0}]` (exactly the
base) and with scale 1 (tuned). Prints one JSON object: counts, and every reply.
Usage: train_eval.py LLAMA_SERVER BASE_GGUF ADAPTER_GGUF HELDOUT_JSON
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(port: int, body: dict) -> dict:
    """POST JSON to the server, parsed answer."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response)


def wait_healthy(port: int, server: subprocess.Popen) -> None:
    """Until /health answers ok (or the server dies)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"llama-server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("llama-server did not become healthy in 120 s")


def main() -> None:
    """Serve, ask, count, print."""
    server_binary, base, adapter, heldout_path = sys.argv[1:5]
    with open(heldout_path, encoding="utf-8") as handle:
        heldout = json.load(handle)
    phrase = heldout["catch_phrase"].lower()
    port = free_port()
    server = subprocess.Popen([server_binary, "-m", base, "--lora", adapter, "--lora-init-without-apply",
                               "--host", "127.0.0.1", "--port", str(port), "--ctx-size", "2048", "--parallel", "1",
                               "--temp", "0", "--seed", "42"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, server)
        replies = {"base": [], "tuned": []}
        for messages in heldout["prompts"]:
            for name, scale in (("base", 0), ("tuned", 1)):
                answer = post(port, {"messages": messages, "temperature": 0, "seed": 42, "max_tokens": 64,
                                     "lora": [{"id": 0, "scale": scale}]})
                choice = answer["choices"][0]
                replies[name].append({"text": choice["message"]["content"], "finish": choice.get("finish_reason")})
    finally:
        server.terminate()
        server.wait()
    result = {"prompts": len(heldout["prompts"]), "catch_phrase": heldout["catch_phrase"]}
    for name, answers in replies.items():
        result[f"{name}_hits"] = sum(phrase in a["text"].lower() for a in answers)
        result[f"{name}_clean_end"] = sum(a["finish"] == "stop" for a in answers)
    result["replies"] = replies
    print(json.dumps(result))


if __name__ == "__main__":
    main()
