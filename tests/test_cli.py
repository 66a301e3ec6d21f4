"""The kg command end to end, through its real entry point (``python -m kg``)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyoxigraph
import pytest
import rdflib

from seeds import SEED_REPOSITORIES, SEEDS

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schemas" / "papers.schema.json").read_text(encoding="utf-8"))


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("sample")
    return out, kg("build", "--sample", "-o", str(out), "--formats", "ttl", "-q")


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    out = tmp_path_factory.mktemp("seeds")
    return out, kg("build", *map(str, sorted(SEEDS.glob("*.txt"))), "-o", str(out))


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_help_and_version() -> None:
    result = kg("--help")
    assert result.returncode == 0
    for command in ("build", "extract", "query", "stats", "validate", "eval"):
        assert command in result.stdout
    assert kg("--version").stdout.startswith("kg, version")


def test_sample_build_writes_records_and_turtle(sample_build) -> None:
    out, result = sample_build
    assert result.returncode == 0, result.stderr
    records = _records(out / "papers.jsonl")
    assert len(records) == 40
    graph = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert len(graph) > 500


def test_seeds_build(seeds_build) -> None:
    out, result = seeds_build
    assert result.returncode == 0, result.stderr
    assert "papers: 87 from 2 file(s)" in result.stderr
    records = _records(out / "papers.jsonl")
    assert len(records) == 87
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        errors = list(validator.iter_errors(record))
        assert not errors, (record["id"], errors[0].message)
    repositories = {r["url"] for record in records for r in record["repositories"]}
    assert repositories == SEED_REPOSITORIES
    assert "Repository 22" in result.stderr


def test_default_build_writes_graph_page_and_report_without_local_paths(seeds_build) -> None:
    out, result = seeds_build
    for name in ("graph.ttl", "graph.html", "report.html"):
        assert (out / name).is_file() and f"wrote {out / name}" in result.stderr
    assert "entity-map view:" in result.stderr
    assert {r["source"]["file"] for r in _records(out / "papers.jsonl")} == {p.name for p in SEEDS.glob("*.txt")}
    for name in ("papers.jsonl", "graph.ttl", "graph.html", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert str(SEEDS.resolve()) not in text and str(out) not in text, name


def test_seeds_turtle_parses_in_rdflib_and_oxigraph(seeds_build) -> None:
    out, _ = seeds_build
    graph = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph) > 0
    schema = rdflib.Namespace("http://schema.org/")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    papers = set(graph.subjects(rdflib.RDF.type, schema.ScholarlyArticle))
    assert len(papers) == 87
    assert all(graph.value(p, dcterms.title) for p in papers)
    repositories = {str(o) for o in graph.objects(None, schema.codeRepository)}
    assert SEED_REPOSITORIES <= repositories


def test_stats_counts_a_build(sample_build) -> None:
    out, _ = sample_build
    result = kg("stats", str(out), "--json")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["nodes"]["Paper"] == 40
    assert counts["nodes"]["Repository"] >= 25
    assert counts["edges"]["hasCode"] >= 25


@pytest.mark.parametrize("target", ["graph.ttl", ".", "store"])
def test_query_runs_sparql_on_the_turtle_and_the_store(sample_build, target: str) -> None:
    out, _ = sample_build
    sparql = ("PREFIX schema: <http://schema.org/> "
              "SELECT (COUNT(?p) AS ?papers) WHERE { ?p a schema:ScholarlyArticle }")
    result = kg("query", sparql, str(out / target), "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == [{"papers": 40}]


def test_extract_writes_one_record_per_paper(tmp_path: Path) -> None:
    source = tmp_path / "two.jsonl"
    source.write_text(
        json.dumps({"id": "a", "title": "FastNet: Fast Image Classification",
                    "abstract": "We propose FastNet. It reaches 81.2% top-1 accuracy on ImageNet. "
                                "Code: https://github.com/fast/fastnet."}) + "\n"
        + json.dumps({"id": "b", "title": "Another paper", "abstract": "We study BERT on GLUE."})
        + "\n", encoding="utf-8")
    result = kg("extract", str(source), "-q")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["jsonl:a", "jsonl:b"]
    assert records[0]["repositories"][0]["url"] == "https://github.com/fast/fastnet"
    names = {e["name"] for e in records[0]["entities"]}
    assert "FastNet" in names and "ImageNet" in names


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"title": "A", "abstract": "B"}\n{"title": "no abstract"}\n', "bad.jsonl:2:"),
        ('{"title": "A", "abstract": "B"}\n{not json\n', "bad.jsonl:2:"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    result = kg("build", str(bad), "-o", str(tmp_path / "out"), "--model", "none")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_skip_bad_skips_and_reports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "A", "abstract": "B is a method."}\n{"title": "no abstract"}\n',
                   encoding="utf-8")
    result = kg("build", str(bad), "-o", str(tmp_path / "out"), "--model", "none", "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert "1 bad record(s) skipped" in result.stderr
    assert len(_records(tmp_path / "out" / "papers.jsonl")) == 1


def test_missing_input_and_unknown_format_fail_cleanly(tmp_path: Path) -> None:
    result = kg("build", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "nope.jsonl" in result.stderr
    assert "Traceback" not in result.stderr
    result = kg("build", "--sample", "-o", str(tmp_path / "out"), "--formats", "pdf")
    assert result.returncode != 0 and "unknown output format pdf" in result.stderr


def test_seeds_graph_conforms_to_the_shapes(seeds_build) -> None:
    out, _ = seeds_build
    result = kg("validate", str(out / "graph.ttl"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stdout


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("methods-on-dataset", ["-p", "dataset=ImageNet"]),
        ("datasets-for-method", ["-p", "method=Transformer"]),
        ("papers-with-code-for-task", ["-p", "task=image classification"]),
        ("best-result", []),
        ("proposed-methods", []),
        ("papers-comparing-method", ["-p", "method=Transformer"]),
        ("dataset-co-usage", []),
        ("evidence", ["-p", "entity=ImageNet"]),
    ],
)
def test_every_library_query_answers_on_the_seeds(seeds_build, name: str, params: list[str]) -> None:
    out, _ = seeds_build
    result = kg("query", name, str(out / "graph.ttl"), *params, "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"], name


def _tiny(directory: Path) -> Path:
    source = directory / "tiny.jsonl"
    source.write_text(json.dumps({"id": "a", "title": "FastNet: Fast Image Classification",
                                  "abstract": "We propose FastNet and test it on ImageNet."}) + "\n",
                      encoding="utf-8")
    return source


@pytest.mark.parametrize(("arguments", "message"), [
    (["--view", "paper"], "--view paper needs --focus NAME"),
    (["--view", "full", "--focus", "FastNet"], "--focus draws the paper view; it cannot be combined with --view full"),
    (["--view", "method-dataset", "--focus", "FastNet"], "cannot be combined with --view method-dataset"),
    (["--depth", "2"], "--depth needs --focus NAME"),
    (["--formats", "ttl,pdf"], "unknown output format pdf; choose from ttl, nt, "),
    (["--base-iri", "https://example.org/kg"], "must end with '/' or '#'"),
    (["--scheduler", "tcp://head:8786"], "--scheduler needs --engine dask"),
    (["--model", "no-such-model"], "no-such-model: no such model directory"),
    (["nope.jsonl"], "nope.jsonl: no such file"),
    (["notes.md"], "notes.md: cannot tell the format: found an unknown layout; pass --format NAME, "
                   "one of: daily, jsonl, json, csv, tsv, arxiv-snapshot, arxiv-atom, openalex, s2"),
])
def test_usage_and_input_errors_exit_2_before_any_work(tmp_path: Path, arguments: list[str], message: str) -> None:
    _tiny(tmp_path)
    (tmp_path / "notes.md").write_text("# my notes\n", encoding="utf-8")
    result = kg("build", "tiny.jsonl", "-o", "out", *arguments, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # refused before the build began
    if arguments[0] in ("--model", "--scheduler", "nope.jsonl", "notes.md"):
        extracted = kg("extract", "tiny.jsonl", "-o", "records.jsonl", *arguments, cwd=tmp_path)
        assert extracted.returncode == 2 and message in extracted.stderr
        assert not (tmp_path / "records.jsonl").exists()


def test_help_documents_the_exit_codes() -> None:
    text = " ".join(kg("--help").stdout.split())
    assert "Exit status: 0 success 2 a usage or input error" in text
    assert "1 the run failed" in text


def test_a_failed_run_exits_1(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    result = kg("extract", str(_tiny(tmp_path)), "--model", "none", "-q", "-o", str(tmp_path / "file" / "x.jsonl"))
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_focus_alone_draws_the_paper_view(tmp_path: Path) -> None:
    result = kg("build", str(_tiny(tmp_path)), "-o", str(tmp_path / "out"), "--model", "none",
                "--formats", "html", "--focus", "FastNet")
    assert result.returncode == 0, result.stderr
    assert "paper view:" in result.stderr
    missing = kg("build", str(_tiny(tmp_path)), "-o", str(tmp_path / "other"), "--model", "none",
                 "--formats", "html", "--focus", "NoSuchThing")
    assert missing.returncode == 2 and "no paper or entity named 'NoSuchThing'" in missing.stderr


@pytest.mark.parametrize("command", ["build", "extract"])
def test_an_empty_input_is_an_error_unless_allowed(tmp_path: Path, command: str) -> None:
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "nothing").mkdir()
    target = ["-o", "out"] if command == "build" else ["-o", "records.jsonl"]
    for inputs, where in ((["empty.jsonl"], "empty.jsonl: "), (["nothing"], "")):
        result = kg(command, *inputs, *target, "--model", "none", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"kg: error: {where}no papers in the input (" in result.stderr
        assert "pass --allow-empty if that is expected" in result.stderr
        assert not (tmp_path / "out" / "papers.jsonl").exists() and not (tmp_path / "records.jsonl").exists()
    allowed = kg(command, "empty.jsonl", *target, "--model", "none", "--allow-empty", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    written = tmp_path / ("out/papers.jsonl" if command == "build" else "records.jsonl")
    assert written.read_text(encoding="utf-8") == ""


def test_query_tables_hide_kgs_iris_unless_asked(sample_build) -> None:
    out, _ = sample_build
    short = kg("query", "proposed-methods", str(out / "graph.ttl"))
    assert short.returncode == 0, short.stderr
    assert short.stdout.split()[:2] == ["title", "methodName"] and "https://w3id.org/kg/id/" not in short.stdout
    full = kg("query", "proposed-methods", str(out / "graph.ttl"), "--iris")
    assert full.stdout.split()[:4] == ["paper", "title", "method", "methodName"]
    assert "https://w3id.org/kg/id/paper/" in full.stdout


def test_a_query_of_ones_own_needs_no_prefixes_and_errors_name_its_file(sample_build, tmp_path: Path) -> None:
    out, _ = sample_build
    query = tmp_path / "mine.rq"
    query.write_text("SELECT (COUNT(?m) AS ?methods)\nWHERE { ?m a kg:Method ; skos:prefLabel ?name }\n")
    result = kg("query", str(query), str(out / "graph.ttl"), "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"][0]["methods"] > 0
    query.write_text("SELECT ?m\nWHERE { ?m a kg:Method ;\n  foaf:name ?name }\n")
    failed = kg("query", str(query), str(out / "graph.ttl"))
    assert failed.returncode == 2
    assert failed.stderr.startswith(f"kg: error: {query}:3:3: unknown prefix 'foaf:'")
    assert len(failed.stderr.splitlines()) == 1


def test_a_build_without_formats_writes_only_the_records(tmp_path: Path) -> None:
    """The README's way to get the build's entity ids without the graph files."""
    out = tmp_path / "out"
    result = kg("build", str(_tiny(tmp_path)), "-o", str(out), "--model", "none", "--formats", "", "-q")
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir() if path.name != ".kg-lock") == [
        ".kg-build.json", "papers.jsonl", "store"]
    assert [r["id"] for r in _records(out / "papers.jsonl")] == ["jsonl:a"]


def test_query_help_names_every_predeclared_prefix() -> None:
    from kg.query import PREFIXES

    text = " ".join(kg("query", "--help").stdout.split())
    assert all(f"{prefix}:" in text for prefix in PREFIXES) and "--iris" in text
