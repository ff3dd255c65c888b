"""Generates Tests/DramatisCoreTests/Fixtures/tokenizer/corpus.json: texts with the token ids
tiktoken gives for o200k_base and cl100k_base. Run with tiktoken installed and
TIKTOKEN_CACHE_DIR pointing at the vocabularies (see bench/validate.sh)."""
import json, random, sys
import tiktoken

named = {
    "english": "Clippy is a factual chatbot that is also sarcastic. The quick brown fox jumps over the lazy dog!",
    "contractions": "don't DON'T Don'T I'm you're we've they'll she'd it's IT'S We'Re y'all 'tis o'clock rock'n'roll can't've",
    "contraction_edges": "x'ſ it'ſ DON'ſ don'K 's 'S 'll 'LL 're 'Ve 'd 'M ''s '''",
    "mixed_case": "HTTPServer XMLHttpRequest iPhone eBay camelCaseWord PascalCase SCREAMING_SNAKE McDonald's ÉCOLE École",
    "numbers": "1 12 123 1234 12345 3.14159 1,000,000 2026-11-22 0x1F 1e10 ١٢٣٤٥ ½ ² Ⅻ ①②③④",
    "code": "def main(argv: list[str]) -> int:\n    for i in range(10):\n        print(f\"{i:>4}\")  # comment\n    return 0\n\nif __name__ == '__main__':\n\tsys.exit(main(sys.argv))\n",
    "swift": "public func encode(_ text: String) -> [Int] {\r\n    var tokens: [Int] = []\r\n    return tokens.map { $0 &+ 1 } // done\r\n}\r\n",
    "json": "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"weight\":1}",
    "paths_urls": "https://example.com/a/b?c=d&e=f //comment /usr/local/bin/ C:\\Windows\\system32 a//b///c\n/\n",
    "cjk": "日本語のテキストです。中文文本，包括标点符号！한국어 텍스트입니다. 漢字かなカナ混じり",
    "emoji": "Hello 👋🏽 world 🌍! Family: 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 keycap 1️⃣ ❤️ 🙂🙃",
    "whitespace_runs": "a" + " " * 40 + "b\n\n\n\n  c\t\t\t d   \r\n\r\n   e" + " " * 17 + "\n" + " " * 9,
    "trailing_space": "end with spaces   ",
    "only_whitespace": " \n \t  \n\n  ",
    "leading_newlines": "\n\n\nStart after newlines",
    "unicode_spaces": "a\u00a0b\u2003c\u3000d\u2028e\u0085f\u200bg\u1680h \u202f i\u205fj",
    "combining": "Cafe\u0301 re\u0301sume\u0301 n\u0303 \u0301alone e\u0300\u0301\u0302 Z\u0351\u0352\u0353algo",
    "arabic_hindi_thai": "مرحبا بالعالم नमस्ते दुनिया สวัสดีชาวโลก שלום עולם",
    "greek_cyrillic": "Ελληνικά ΚΕΦΑΛΑΙΑ Привет МИР ǅemal ǈubljana ǋ titlecase",
    "symbols": "!!! ??? ... --- *** ### @@@ $$$ %%% ^^^ &&& ((( ))) [[[ ]]] {{{ }}} <<< >>> ~~~ ``` ''' \"\"\" ;;; ::: ,,, |||",
    "punct_newlines": "Hello!\n\nWorld?\r\n\r\nYes...\n--\n",
    "very_long_word": "Pneumonoultramicroscopicsilicovolcanoconiosis " + "supercalifragilisticexpialidocious" * 8,
    "long_repeat": "a" * 500 + " " + "ab" * 300 + " " + "x" * 1000,
    "long_digits": "1234567890" * 30,
    "long_punct": "=" * 300 + "\n" + "-." * 150,
    "special_token_text": "<|endoftext|> <|endofprompt|> <|fim_prefix|>",
    "controls": "a\u0001b\u0007c\u001bd\u007f\u0000e\u000bf\u000cg",
    "fullwidth": "ＡＢＣ ａｂｃ １２３ ！？",
    "math": "∀x∈ℝ: x² ≥ 0 ∑ᵢ aᵢ ∫₀^∞ e^{-x} dx = 1 ≠ ≈ ∞",
    "supplementary": "𝐀𝐁𝐂 𝒜𝒷𝒸 𓀀𓀁 𠀀𠀁𠀂 𝟘𝟙𝟚 🀄",
    "sarcastic_clippy": "Oh, wonderful, another question about Paris. It's the capital of France — shocking, I know.",
    "empty": "",
}

# Deterministic random strings over a pool covering every class the split patterns look at.
pool = list("aAzZ eE sStTmMdDlLrRvV'’0189 \t\n\r/.,!?-_()[]{}\"\\#@$%^&*+=<>|~`") + [
    "\u00a0", "\u3000", "\u2028", "é", "É", "ß", "ǅ", "ʰ", "ー", "中", "日", "한", "\u0301", "\u0903", "\u20dd",
    "١", "½", "Ⅻ", "😀", "👍🏽", "ſ", "K", "\u200d", "\ufeff", "\u0085", "ǈ", "ı", "İ",
]
rng = random.Random(20261122)
randoms = []
for i in range(400):
    n = rng.randint(1, 40)
    randoms.append("".join(rng.choice(pool) for _ in range(n)))

o200k = tiktoken.get_encoding("o200k_base")
cl100k = tiktoken.get_encoding("cl100k_base")
cases = []
for name, text in list(named.items()) + [(f"random_{i:03d}", t) for i, t in enumerate(randoms)]:
    cases.append({
        "name": name,
        "text": text,
        "o200k_base": o200k.encode_ordinary(text),
        "cl100k_base": cl100k.encode_ordinary(text),
    })
json.dump({"generator": f"tiktoken {tiktoken.__version__} encode_ordinary", "cases": cases},
          sys.stdout, ensure_ascii=True, indent=0)
