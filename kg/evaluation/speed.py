"""Speed and memory benchmark of the shipped NER on pseudo-abstracts built from the corpora."""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import spacy

from kg.evaluation.corpora import Sentence, load
from kg.evaluation.runner import load_model
from kg.extract import extract, load_pipeline
from kg.build import extract_lines
from kg.records import Paper

PACKAGE_MODEL = Path(__file__).resolve().parents[1] / "models" / "kg_ner"
ABSTRACT_WORDS = 180
SOURCES = (("scierc", "train"), ("scierc", "dev"), ("scierc", "test"), ("tdmsci", "train"),
           ("tdmsci", "test"), ("scirex", "dev"), ("scirex", "train"))


def group_sentences(sentences: Iterable[Sentence], words: int = ABSTRACT_WORDS) -> Iterator[str]:
    """Join consecutive sentences into texts of at least ``words`` tokens (one sentence more)."""
    current: list[str] = []
    for sentence in sentences:
        if len(current) >= words:
            yield " ".join(current)
            current = []
        current.extend(sentence.words)
    if current:
        yield " ".join(current)


def pseudo_abstracts(data_dir: str | Path, count: int) -> list[str]:
    """``count`` abstract-length texts from the sentences of SciERC, TDMSci and SciREX."""
    sentences = (s for corpus, split in SOURCES for s in load(data_dir, corpus, split))
    return list(islice(group_sentences(sentences), count))


def throughput(process: Callable[[list[str]], Any], texts: list[str]) -> dict[str, float]:
    """Texts per CPU-second (per core, robust to other load) and per wall-clock second."""
    wall, cpu = time.perf_counter(), time.process_time()
    process(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"texts": len(texts), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "per_cpu_s": round(len(texts) / cpu, 1), "per_wall_s": round(len(texts) / wall, 1)}


def _exhaust(docs: Iterable[Any]) -> None:
    for _ in docs:
        pass


def load_cost(model_path: str | Path) -> dict[str, float]:
    """Wall and CPU seconds of ``spacy.load`` (after ``import spacy``) in a fresh interpreter,
    and that interpreter's peak RSS in MB.

    The peak is the process's VmHWM: ``ru_maxrss`` would carry over the parent's peak.
    """
    code = (
        "import json,time,spacy;t=time.perf_counter();c=time.process_time();spacy.load(%r);"
        "t=time.perf_counter()-t;c=time.process_time()-c;"
        "hwm=[l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
        "print(json.dumps([t,c,int(hwm)/1024]))"
    ) % str(model_path)
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout
    seconds, cpu_seconds, rss = json.loads(output.splitlines()[-1])
    return {"load_s": round(seconds, 2), "load_cpu_s": round(cpu_seconds, 2),
            "rss_mb": round(rss, 1)}


def bench(model_path: str | Path, data_dir: str | Path, count: int) -> dict[str, Any]:
    """Rates of the tokenizer floor, the model alone (``nlp.pipe``), what ``kg extract`` does
    (``kg.build.extract_lines``) and the extraction layer alone (``kg.extract.extract``)."""
    texts = pseudo_abstracts(data_dir, count)
    blank = spacy.blank("en")
    nlp = load_model(model_path)
    results: dict[str, Any] = {
        "model": str(model_path),
        "words_per_text": round(sum(len(t.split()) for t in texts) / len(texts), 1),
        "tokenizer": throughput(lambda batch: _exhaust(blank.pipe(batch)), texts),
        "ner": throughput(lambda batch: _exhaust(nlp.pipe(batch, batch_size=256)), texts),
        "rss_after_ner_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    papers = [Paper(id=f"bench:{i}", title="", abstract=t) for i, t in enumerate(texts)]
    pipeline = load_pipeline(model=model_path)  # loaded once, outside the timings (cached)
    # What `kg extract` does per paper: extraction, normalisation and the JSON record line.
    results["kg_extract"] = throughput(
        lambda _: _exhaust(extract_lines(papers, model=model_path)), texts)
    # The extraction layer alone (mentions, before normalisation).
    results["mentions_only"] = throughput(lambda _: _exhaust(extract(papers, nlp=pipeline)), texts)
    results.update(load_cost(model_path))
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark as JSON (and write it with ``--json PATH``)."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--model", type=Path, default=PACKAGE_MODEL)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = bench(args.model, args.data, args.count)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
