"""Writes a reproducible synthetic chat fine-tuning JSONL file of about --megabytes MB:
multi-turn conversations mixing English, code, CJK, emoji, numbers and whitespace runs,
with a few weight-0 assistant messages (as Dramatis exports marked-bad replies)."""
import argparse, json, random

WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up other "
         "about out many then them these so some her would make like him into time has look two more write go see "
         "number no way could people my than first water been call who oil its now find long down day did get come "
         "made may part Clippy sarcastic factual chatbot Paris France capital obviously wonderful shocking HTTPServer "
         "don't can't it's we'll they've I'm you'd").split()
CODE = ["def f(x):\n    return x * 2\n", "for (int i = 0; i < n; ++i) {\n\tsum += a[i];\n}\n",
        "let tokens = text.split(separator: \" \")\n", "SELECT id, name FROM users WHERE age > 30;\n",
        "    if err != nil {\n        return err\n    }\n"]
CJK = ["日本語のテキストです。", "中文文本，包括标点符号！", "한국어 텍스트입니다.", "漢字かなカナ混じり"]
EMOJI = ["👋🏽", "🌍", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🙂", "1️⃣"]

def sentence(rng):
    n = rng.randint(5, 30)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(0, 10**rng.randint(1, 9))))
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), rng.choice(CJK))
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), rng.choice(EMOJI))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", "!", "?", "...", ""])

def paragraph(rng):
    parts = [sentence(rng) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.15:
        parts.append("\n```\n" + rng.choice(CODE) + "```\n")
    if rng.random() < 0.05:
        parts.append(" " * rng.randint(2, 40) + "\n\n")
    return " ".join(parts)

def example(rng):
    messages = []
    if rng.random() < 0.8:
        messages.append({"role": "system", "content": "Clippy is a factual chatbot that is also sarcastic."})
    for _ in range(rng.randint(1, 4)):
        messages.append({"role": "user", "content": paragraph(rng)})
        reply = {"role": "assistant", "content": paragraph(rng)}
        if rng.random() < 0.2:
            reply["weight"] = rng.choice([0, 1])
        messages.append(reply)
    messages[-1].pop("weight", None)
    return {"messages": messages}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--megabytes", type=float, default=100)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    limit = int(args.megabytes * 1_000_000)
    written = 0
    with open(args.output, "w", encoding="utf-8") as f:
        while written < limit:
            line = json.dumps(example(rng), ensure_ascii=rng.random() < 0.5) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))

if __name__ == "__main__":
    main()
