"""The ``kg`` command: a thin click shell over ``kg.build`` and the exporters.

Every ``KGError`` becomes one line on stderr and its exit code, never a traceback: 2 for
usage and input errors (click's own usage errors too), 1 for a run that failed (see
``kg.errors``).  Options and inputs are checked before any work starts.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KGError
from kg.evaluation.gold import DEFAULT_GOLD
from kg.io import FORMATS
from kg.io.hygiene import MAX_TEXT_LENGTH

# The longest text spaCy tokenises (``Language.max_length``'s default).
SPACY_MAX_LENGTH = 1_000_000



def _input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read paper files."""
    options = [
        click.argument("inputs", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--format", "input_format", type=click.Choice(FORMATS),
                     help="Input format of every INPUT (default: detected per file)."),
        click.option("--skip-bad", is_flag=True,
                     help="Skip records that cannot be read instead of stopping; report how many."),
        click.option("--sample", is_flag=True, help="Read the sample corpus bundled with kg."),
        click.option("--model", default="auto", show_default=True, metavar="PATH|auto|none",
                     callback=_model, help="Trained spaCy NER to use; 'none' runs the rule components only."),
        click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1),
                     help="Documents per spaCy batch."),
        click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
                     help="Keep only entities at least this confident (default: the "
                          "node-worthiness model's threshold, half of it for the methods a "
                          "paper proposes and the curated evaluation measures)."),
        click.option("--max-text-length", default=MAX_TEXT_LENGTH, show_default=True,
                     type=click.IntRange(1, SPACY_MAX_LENGTH), metavar="CHARS",
                     help="Cut longer titles and abstracts to this many characters (with a "
                          "warning); at most 1,000,000, spaCy's limit."),
        click.option("--allow-empty", is_flag=True,
                     help="Accept inputs that hold no paper (default: an error, exit 2)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _inputs(inputs: tuple[Path, ...], sample: bool, input_format: str | None) -> list[Path]:
    """The input paths, each checked (it exists, its format can be told) before any work."""
    from kg.io import check_inputs
    from kg.sample import SAMPLE_PATH

    paths = list(inputs) + ([SAMPLE_PATH] if sample else [])
    if not paths:
        raise click.UsageError("give INPUT files or directories, or --sample")
    check_inputs(paths, input_format)
    return paths


def _check_engine(engine: str, scheduler: str | None) -> None:
    if scheduler is not None and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")


def _check_view(ctx: click.Context, view: str, focus: str | None) -> str:
    """The HTML view to draw: ``--focus`` alone means ``--view paper``, which needs it; a
    focus with another view is refused."""
    from click.core import ParameterSource

    if focus is None:
        if view == "paper":
            raise click.UsageError("--view paper needs --focus NAME (a paper title or id, or an "
                                   "entity name or alias)")
        if ctx.get_parameter_source("depth") is not ParameterSource.DEFAULT:
            raise click.UsageError("--depth needs --focus NAME (the paper view)")
        return view
    if view != "paper" and ctx.get_parameter_source("view") is not ParameterSource.DEFAULT:
        raise click.UsageError(f"--focus draws the paper view; it cannot be combined with --view {view}")
    return "paper"


def _base_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from kg.errors import ExportError
    from kg.export.iri import check_base_iri

    try:
        return None if value is None else check_base_iri(value)
    except ExportError as error:
        raise click.BadParameter(str(error)) from None


def _model(ctx: click.Context, param: click.Parameter, value: str) -> str | Path | None:
    """``--model``: None for ``none``, ``auto``, or the path of a model directory that exists."""
    if value.lower() == "none":
        return None
    if value == "auto":
        return value
    if not Path(value).is_dir():
        raise click.BadParameter(f"{value}: no such model directory (or give auto or none)")
    return Path(value)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A papers/s progress bar on stderr (hidden when quiet or not a terminal)."""
    if quiet:
        yield None
        return
    from tqdm import tqdm

    with tqdm(unit=" papers", desc="extracting", file=sys.stderr, disable=None,
              dynamic_ncols=True, smoothing=0.1) as bar:
        yield bar.update


class _Group(click.Group):
    """Turns every KGError into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as error:
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Build a knowledge graph of methods, datasets, metrics, tasks, code and results
    from paper titles and abstracts.

    \b
    Examples:
      kg build --sample -o outputs/
      kg build ../shared/seeds/*.txt -o out --formats ttl,html
      kg query methods-on-dataset out/graph.ttl --param dataset=ImageNet

    \b
    Exit status:
      0  success
      2  a usage or input error: an option or argument that cannot be used, an input
         that is missing, unreadable, of an unknown format or empty (without
         --allow-empty), a bad query, an output directory kg may not write into
      1  the run failed: a model or resource, an output that cannot be written
         (and `kg validate`: the graph does not conform)
    Options and inputs are checked before any work starts.
    """


def _not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """The path of an ``-o`` option; an empty one (which would mean the current
    directory) is refused."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("is empty; give a path (use . for the current directory)")
    return Path(value)


def _engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options of the commands that extract: where the extraction runs."""
    options = [
        click.option("--workers", type=click.IntRange(1), default=None,
                     help="Worker processes, each loading the pipeline once (default: 1; "
                          "2 for a local Dask cluster). Output is the same for any number."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True, help="Run extraction here or on a Dask cluster."),
        click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="Dask scheduler (tcp://host:8786) for --engine dask; default: a "
                          "LocalCluster of --workers processes."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@_input_options
@_engine_options
@click.option("-o", "--out", "out_dir", type=click.Path(), default=None, callback=_not_empty,
              help="Output directory: empty, new, or an earlier kg build.")
@click.option("--force", is_flag=True,
              help="Write into an output directory that is not empty and not a kg build.")
@click.option("--update", "update_dir", type=click.Path(), default=None, callback=_not_empty,
              metavar="DIR", help="Add the papers of INPUT to the build in DIR; papers it holds "
                                  "are not extracted again.")
@click.option("--formats", default=None,
              help="Comma-separated outputs besides papers.jsonl: ttl, nt, jsonld, html, report, "
                   "gexf, graphml, neo4j, or all.  [default: ttl,html,report, or the formats of "
                   "the --update build]")
@click.option("--stream/--no-stream", default=None,
              help="Stream the outputs paper by paper (default: above 5,000 papers); the "
                   "HTML, GEXF, GraphML and Neo4j outputs then show an aggregated entity graph.")
@click.option("--rdf-store/--no-rdf-store", default=None,
              help="Load the triples into OUT/store/rdf, the Oxigraph database `kg query OUT` "
                   "reads (default: yes, or the choice of the --update build).  Its index "
                   "memory grows with the graph: skip it for corpora of millions of papers "
                   "and run `kg store OUT` later, or load graph.nt into a triple store server.")
@click.option("--base-iri", default=None, callback=_base_iri, help="Base IRI of the RDF resources.")
@click.option("--view", type=click.Choice(["entity-map", "full", "method-dataset", "paper"]),
              default="entity-map", show_default=True, help="What the HTML view shows.")
@click.option("--focus", default=None,
              help="Paper or entity the 'paper' view centres on (implies --view paper).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1),
              help="Hops around --focus.")
@click.option("--max-nodes", default=1000, show_default=True, type=click.IntRange(1),
              help="Most nodes the HTML view draws (top entities by degree; by papers when "
                   "streamed); the entity map opens with the entities in most papers and "
                   "holds 4x this many nodes on demand.")
@click.pass_context
def build(ctx: click.Context, inputs: tuple[Path, ...], input_format: str | None, skip_bad: bool,
          sample: bool, model: str | Path | None, batch_size: int, min_confidence: float | None,
          max_text_length: int, allow_empty: bool, quiet: bool, workers: int | None, engine: str,
          scheduler: str | None,
          out_dir: Path | None, force: bool, update_dir: Path | None,
          formats: str | None, stream: bool | None, rdf_store: bool | None, base_iri: str | None,
          view: str, focus: str | None, depth: int, max_nodes: int) -> None:
    """Build the graph of INPUT files into OUT: papers.jsonl plus the chosen formats.

    The build keeps its state in OUT/store/ (records, entity table and an RDF store that
    `kg query OUT/store` reads), so `--update OUT` can add papers later.  Outputs are
    written into OUT/.kg-staging/ and switched into place when all are written, so a build
    that fails or is killed leaves the earlier one whole; one build runs in OUT at a time.

    \b
    Examples:
      kg build --sample -o outputs/ --formats all
      kg build ../shared/seeds/*.txt -o out --workers 2
      kg build snapshot.jsonl.gz --format arxiv-snapshot --skip-bad -o big/ --formats nt,html
      kg build feed/ -o out --engine dask --scheduler tcp://head:8786
      kg build --update out new-papers.jsonl
    """
    from kg.export import parse_formats
    from kg.build import build as run_build

    if (out_dir is None) == (update_dir is None):
        raise click.UsageError("give either -o OUT (a new build) or --update DIR (add to one)")
    _check_engine(engine, scheduler)
    view = _check_view(ctx, view, focus)
    chosen = parse_formats(formats) if formats is not None else None
    paths = _inputs(inputs, sample, input_format)
    options: dict[str, dict[str, object]] | None = None
    if update_dir is None or formats is not None:
        rdf_options = {"base_iri": base_iri} if base_iri else {}
        options = {name: rdf_options for name in ("ttl", "nt", "jsonld")}
        options["html"] = {"view": view, "focus": focus, "depth": depth, "max_nodes": max_nodes}
    with _progress(quiet) as progress:
        summary = run_build(
            paths, out_dir or update_dir, input_format=input_format, allow_empty=allow_empty,
            skip_bad=skip_bad, formats=chosen, model=model, batch_size=batch_size,
            export_options=options, progress=progress, workers=workers, engine=engine,
            scheduler=scheduler, update=update_dir is not None, stream=stream, rdf_store=rdf_store,
            min_confidence=min_confidence, force=force, max_text_length=max_text_length,
        )
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)


@cli.command(name="store")
@click.argument("out", type=click.Path(path_type=Path))
def store_command(out: Path) -> None:
    """Load the RDF store (OUT/store/rdf) of a build made with --no-rdf-store.

    The store is loaded from the build's graph.nt (or graph.ttl), so the load can run
    after the build, when and where it suits; later `kg build --update OUT` builds load
    it again.

    \b
    Example:
      kg build big.jsonl -o out --formats nt,html --no-rdf-store
      kg store out
    """
    from kg.build import load_store

    click.echo(f"wrote {load_store(out)}", err=True)


@cli.command()
@_input_options
@_engine_options
@click.option("-o", "--out", "out_path", type=click.Path(), default=None, callback=_not_empty,
              help="Records file to write (default: standard output); replaced only when "
                   "every record is written.")
def extract(inputs: tuple[Path, ...], input_format: str | None, skip_bad: bool, sample: bool,
            model: str | Path | None, batch_size: int, min_confidence: float | None, max_text_length: int,
            allow_empty: bool, quiet: bool, workers: int | None, engine: str,
            scheduler: str | None, out_path: Path | None) -> None:
    """Extract entities, code links and results from INPUT files as JSON Lines records.

    Records come in input order whatever --workers or --engine runs them.

    \b
    Examples:
      kg extract ../shared/seeds/*.txt -o papers.jsonl
      kg extract papers.csv --model none | head -1
      kg extract big.jsonl --workers 2 -o records.jsonl
    """
    from kg.io import ReadStats, read_corpus
    from kg.build.outdir import check_output_file
    from kg.build import extract_lines
    from kg.export.records import write_lines

    stats = ReadStats()
    _check_engine(engine, scheduler)
    paths = _inputs(inputs, sample, input_format)
    if out_path is not None:
        check_output_file(out_path, paths)
    with _progress(quiet) as progress:
        papers = read_corpus(paths, input_format, skip_bad=skip_bad, stats=stats,
                             max_text_length=max_text_length, allow_empty=allow_empty)
        lines = extract_lines(papers, progress=progress, model=model, batch_size=batch_size,
                              workers=workers, engine=engine, scheduler=scheduler,
                              min_confidence=min_confidence)
        if out_path is None:
            for line in lines:
                click.echo(line)
        else:
            write_lines(lines, out_path)
    if not quiet:
        click.echo(f"papers: {stats.papers} ({stats.duplicates} duplicate(s) merged, "
                   f"{stats.skipped} bad record(s) skipped)", err=True)
        for problem in [*stats.problems, *stats.warnings]:
            click.echo(problem, err=True)
        if out_path is not None:
            click.echo(f"wrote {out_path}", err=True)


@cli.command()
@click.argument("query", required=False)
@click.argument("graph", required=False, type=click.Path(path_type=Path))
@click.option("--list", "list_queries", is_flag=True, help="List the query library.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable).")
@click.option("--output", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True)
@click.option("--iris", is_flag=True,
              help="Table output: keep the columns of kg's resource IRIs (left out by default).")
def query(query: str | None, graph: Path | None, list_queries: bool, params: tuple[str, ...],
          output: str, engine: str, iris: bool) -> None:
    """Run SPARQL QUERY (a library name, a .rq file or a query string) over GRAPH (an
    export, a build directory or its store/).

    The prefixes kg:, schema:, dcterms:, skos:, prov:, mls:, oa:, rdf:, rdfs: and xsd: are
    declared for every query.

    \b
    Examples:
      kg query --list
      kg query methods-on-dataset outputs/graph.ttl --param dataset=ImageNet
      kg query 'SELECT ?name WHERE { ?m a kg:Method ; skos:prefLabel ?name }' outputs/
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' outputs/graph.ttl --output json
    """
    from kg import query as sparql

    if list_queries:
        for info in sparql.list_queries():
            parameters = f" [{', '.join(info.parameters)}]" if info.parameters else ""
            click.echo(f"{info.name}{parameters}: {info.description}")
        return
    if query is None or graph is None:
        raise click.UsageError("give QUERY and GRAPH, or --list")
    bound: dict[str, str] = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {param!r}", param_hint="--param")
        bound[name.strip()] = value
    text, source = sparql.read_query(query)
    result = sparql.run_query(graph, text, params=bound, engine=engine, source=source)
    click.echo(sparql.format_result(result, output, iris=iris))


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--task", default=None, help="Only this task (name or alias, any case).")
@click.option("--dataset", default=None, help="Only this dataset (name or alias, any case).")
@click.option("--metric", default=None, help="Only this metric (name or alias, any case).")
@click.option("--output", type=click.Choice(["table", "csv", "json", "md"]), default="table",
              show_default=True)
def leaderboard(out: Path, task: str | None, dataset: str | None, metric: str | None,
                output: str) -> None:
    """Rank the results of a build directory or RDF file OUT per (task, dataset, metric).

    Best first by the metric's direction (lower is better for error, FID, perplexity,
    latency, parameters ...); relative claims ("+1.3%", "2.4x faster") are never ranked.

    \b
    Examples:
      kg leaderboard outputs/
      kg leaderboard outputs/graph.ttl --dataset ImageNet --metric top-1 --output md
    """
    from kg.leaderboard import format_leaderboards, leaderboards

    boards = leaderboards(out, task=task, dataset=dataset, metric=metric)
    click.echo(format_leaderboards(boards, output))


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(target: Path, as_json: bool) -> None:
    """Print counts per node and edge type of a build (a directory or its papers.jsonl).

    \b
    Examples:
      kg stats outputs/
      kg stats outputs/papers.jsonl --json
    """
    from kg.export.records import read_records
    from kg.graph import build_graph
    from kg.graph import schema
    from kg.build import graph_counts

    path = target / "papers.jsonl" if target.is_dir() else target
    nodes, edges = graph_counts(build_graph(read_records(path)))
    counts = {"nodes": {t: nodes.get(t, 0) for t in schema.NODE_TYPES},
              "edges": {r: edges.get(r, 0) for r in schema.RELATIONS}}
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    for kind, table in counts.items():
        click.echo(f"{kind}:")
        for name, count in table.items():
            click.echo(f"  {name:<15} {count:>8}")


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def validate(graph: Path) -> None:
    """Validate an RDF export against the SHACL shapes in schemas/shapes.ttl.

    \b
    Example:
      kg validate outputs/graph.ttl
    """
    from kg.validate import validate as run_validation

    report = run_validation(graph)
    for violation in report.violations:
        click.echo(violation)
    if not report.conforms:
        click.echo(f"{graph}: {len(report.violations)} violation(s)", err=True)
        sys.exit(1)
    click.echo(f"{graph}: conforms")


@cli.command(name="eval")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="4-label model to score (default: the shipped kg/models/kg_ner).")
@click.option("--scierc6", "scierc6_path", type=click.Path(path_type=Path), default=None,
              help="6-label SciERC model (scripts/train --scierc6) for the SciERC-6 row.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path),
              default=Path("../shared/data"), show_default=True,
              help="Directory of the shared annotated corpora.")
@click.option("--split", type=click.Choice(["dev", "test"]), default="test", show_default=True)
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None,
              help="Also write the scores as JSON ('-': print them instead of the table).")
@click.option("--gold", "gold_path", type=click.Path(path_type=Path), is_flag=False,
              flag_value=str(DEFAULT_GOLD), default=None, metavar="[FILE]",
              help=f"Score kg's whole extraction on guideline gold instead (default {DEFAULT_GOLD},"
                   " inputs from the -input file beside it).")
@click.option("--errors", is_flag=True, help="With --gold: list every miss and false positive.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="With --gold: the entity threshold of the extraction scored.")
def evaluate(model_path: Path | None, scierc6_path: Path | None, data_dir: Path, split: str,
             json_path: Path | None, gold_path: Path | None, errors: bool,
             min_confidence: float | None) -> None:
    """Print exact-span P/R/F1 per label of the NER on SciERC, TDMSci and SciER, or (--gold)
    what kg's graph holds scored against guideline gold.

    \b
    Examples:
      kg eval
      kg eval --split dev --json dev-scores.json
      kg eval --gold
      kg eval --gold ../shared/gold/dev-gold.jsonl --errors
    """
    from kg import evaluation
    from kg.extract.pipeline import DEFAULT_MODEL

    if gold_path is not None:
        _evaluate_gold(gold_path, model_path, json_path, errors, min_confidence)
        return

    results = evaluation.run(model_path or DEFAULT_MODEL, data_dir,
                             scierc6_model_path=scierc6_path, split=split)
    click.echo(evaluation.format_table(results))
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        click.echo(f"wrote {json_path}", err=True)


def _evaluate_gold(gold_path: Path, model_path: Path | None, json_path: Path | None,
                   errors: bool, min_confidence: float | None) -> None:
    from kg.evaluation import gold

    scores = gold.with_thresholds(
        gold.build_records(gold.gold_input_path(gold_path), model=model_path or "auto",
                           min_confidence=min_confidence),
        gold.read_gold(gold_path))
    as_json = json.dumps(scores.to_dict(), indent=2, sort_keys=True)
    if json_path is not None and str(json_path) == "-":
        click.echo(as_json)
        return
    click.echo(gold.format_gold_table(scores))
    if errors:
        click.echo("")
        click.echo(gold.format_errors(scores))
    if json_path is not None:
        json_path.write_text(as_json + "\n", encoding="utf-8")
        click.echo(f"wrote {json_path}", err=True)


def main() -> None:
    """Console-script entry point (``kg`` and ``python -m kg``)."""
    cli(prog_name="kg")
