"""Writes a reproducible mixed text corpus for the token-counting benchmark (bench/tokenize.sh):
English prose, source code, CJK, emoji (with skin tones, ZWJ families, flags), numbers and
whitespace runs, about --megabytes MB of UTF-8, one document per line-separated block."""
import argparse, random

WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up other "
         "about out many then them these so some her would make like him into time has look two more write go see "
         "number no way could people my than first water been call who oil its now find long down day did get come "
         "made may part Clippy sarcastic factual chatbot Paris France capital obviously wonderful shocking HTTPServer "
         "don't can't it's we'll they've I'm you'd McDonald's naïve café résumé Ελληνικά Привет").split()
CODE = [
    "def tokenize(text: str) -> list[int]:\n    return [ord(c) for c in text if c.isalnum()]\n",
    "for (int i = 0; i < n; ++i) {\n\tsum += a[i] * b[i];\n}\n",
    "let tokens = text.split(separator: \" \").map { $0.lowercased() }\n",
    "SELECT id, name, COUNT(*) FROM users WHERE age > 30 GROUP BY id HAVING COUNT(*) > 1;\n",
    "    if err != nil {\n        return fmt.Errorf(\"read %s: %w\", path, err)\n    }\n",
    "const x = await fetch(`https://api.example.com/v1/items?id=${id}&limit=100`);\n",
    "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }\n",
]
CJK = ["日本語のテキストです。", "中文文本，包括标点符号！", "한국어 텍스트입니다.", "漢字かなカナ混じり",
       "機械学習モデルの微調整", "今天天气很好，我们去公园散步吧。", "데이터 세트를 검증합니다"]
EMOJI = ["👋🏽", "🌍", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🙂", "1️⃣", "🚀🔥", "🤖", "🎉🎉🎉"]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 24))]
    for _ in range(rng.randint(0, 2)):
        words.insert(rng.randrange(len(words) + 1), str(rng.randint(0, 10 ** rng.randint(1, 12))))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(CJK))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(EMOJI))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", "!", "?", "...", ":", ""])


def block(rng):
    kind = rng.random()
    if kind < 0.55:
        return " ".join(sentence(rng) for _ in range(rng.randint(1, 8)))
    if kind < 0.75:
        return "".join(rng.choice(CODE) for _ in range(rng.randint(1, 4)))
    if kind < 0.85:
        return "".join(rng.choice(CJK) for _ in range(rng.randint(2, 10)))
    if kind < 0.9:
        return " ".join(rng.choice(EMOJI) for _ in range(rng.randint(2, 12)))
    if kind < 0.95:
        return " ".join(f"{rng.uniform(-1e6, 1e6):.{rng.randint(0, 6)}f}" for _ in range(rng.randint(3, 20)))
    return (" " * rng.randint(2, 60)) + rng.choice(["\t\t", "\n\n\n", "\r\n", "  \n "]) + sentence(rng) + " " * rng.randint(0, 9)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--megabytes", type=float, default=4)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    limit = int(args.megabytes * 1_000_000)
    written = 0
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        while written < limit:
            text = block(rng) + "\n"
            f.write(text)
            written += len(text.encode("utf-8"))


if __name__ == "__main__":
    main()
