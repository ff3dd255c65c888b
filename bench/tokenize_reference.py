"""tiktoken side of bench/tokenize.sh: reads a UTF-8 corpus, then times encoding it with
tiktoken's o200k_base (encode_ordinary, one call per line-separated document, single thread).
Prints one JSON line: tokens, bytes, documents, seconds (encoding only; loading excluded)."""
import json, sys, time
import tiktoken


def main(path, encoding_name="o200k_base"):
    encoding = tiktoken.get_encoding(encoding_name)
    with open(path, "rb") as f:
        data = f.read()
    # Documents end at "\n" and keep it, the same split `dramatis debug count-tokens` uses.
    parts = data.split(b"\n")
    documents = [part.decode("utf-8") + "\n" for part in parts[:-1]] + ([parts[-1].decode("utf-8")] if parts[-1] else [])
    encoding.encode_ordinary("warm up")
    start = time.perf_counter()
    tokens = 0
    for document in documents:
        tokens += len(encoding.encode_ordinary(document))
    seconds = time.perf_counter() - start
    print(json.dumps({"tokens": tokens, "bytes": len(data), "documents": len(documents), "seconds": seconds}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
