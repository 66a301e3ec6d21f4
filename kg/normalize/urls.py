"""Find URLs in text and normalise them; code-host URLs become ``https://host/owner/repo``."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["CODE_HOSTS", "find_urls", "normalize_url"]

CODE_HOSTS: tuple[str, ...] = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")

# A URL starts with a scheme, or is a bare code-host address ("github.com/owner/repo") that is
# not the tail of a longer word or address.
# PDF-to-text often breaks a host after its dot ("https://github. com/owner/repo"): a dot, one
# space and a top-level domain before "/" stay in the URL (and the space goes when normalised).
_BROKEN_HOST = r"\.\s(?=(?-i:com|org|io|co|net)/)"
_URL = re.compile(
    r"https?://(?:" + _BROKEN_HOST + r"|[^\s<>\"'\[\]{}|\\^`])+"
    r"|(?<![\w.@/-])(?:www\.)?(?:" + "|".join(re.escape(h) for h in CODE_HOSTS) + r")/[^\s<>\"'\[\]{}|\\^`]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"`*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
# First path segments that are site pages, not owners.
_NOT_OWNERS = {
    "github.com": {"about", "collections", "explore", "features", "login", "marketplace", "orgs",
                   "pricing", "settings", "site", "sponsors", "topics", "trending"},
    "gitlab.com": {"explore", "help", "users"},
    "bitbucket.org": {"account", "product"},
    "huggingface.co": {"blog", "docs", "join", "learn", "login", "models", "organizations",
                       "papers", "posts", "pricing", "settings", "spaces", "tasks"},
}
# Path segments after which a code-host path leaves the repository (files, branches, issues).
_REPO_END = {"-", "tree", "blob", "raw", "issues", "pulls", "releases", "wiki", "src", "resolve"}


def strip_trailing(raw: str) -> str:
    """Remove sentence punctuation and unbalanced closing brackets from the end of ``raw``.

    >>> strip_trailing("https://github.com/a/b).")
    'https://github.com/a/b'
    """
    # Closing brackets each kind has beyond its opening ones, counted once (linear time).
    unbalanced = {closer: raw.count(closer) - raw.count(opener) for closer, opener in _CLOSERS.items()}
    end = len(raw)
    while end:
        last = raw[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in _CLOSERS and unbalanced[last] > 0:
            unbalanced[last] -= 1
            end -= 1
        else:
            break
    return raw[:end]


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """Every URL in ``text`` as ``(start, end, text as written)``, trailing punctuation removed.

    >>> find_urls("Code: github.com/a/b.")
    [(6, 20, 'github.com/a/b')]
    """
    found = []
    for match in _URL.finditer(text):
        written = strip_trailing(match.group())
        if written.split("://", 1)[-1]:
            found.append((match.start(), match.start() + len(written), written))
    return found


def normalize_url(raw: str) -> tuple[str, bool]:
    """The normalised form of ``raw`` and whether it names a code repository.

    >>> normalize_url("https://www.GitHub.com/Owner/Repo.git/tree/main#readme")
    ('https://github.com/Owner/Repo', True)
    >>> normalize_url("https://div-lab.github.io/dendromap/.")
    ('https://div-lab.github.io/dendromap/', False)
    >>> normalize_url("https://github. com/cardiffnlp/timelms")
    ('https://github.com/cardiffnlp/timelms', True)
    """
    written = re.sub(_BROKEN_HOST, ".", strip_trailing(raw.strip()))
    if "://" not in written:
        written = "https://" + written
    parts = urlsplit(written)
    host = parts.netloc.lower()
    scheme = parts.scheme.lower()
    repo_host = host.removeprefix("www.")
    if repo_host in CODE_HOSTS:
        repository = _repository_path(repo_host, parts.path)
        if repository is not None:
            return f"https://{repo_host}/{repository}", True
    rest = written[len(parts.scheme) + 3 + len(parts.netloc):]
    return f"{scheme}://{host}{rest}", False


def _repository_path(host: str, path: str) -> str | None:
    """``owner/repo`` (``datasets/owner/name`` on huggingface.co) of a code-host path, or None."""
    segments = [s for s in path.split("/") if s]
    if host == "huggingface.co" and segments[:1] == ["datasets"]:
        prefix, segments = "datasets/", segments[1:]
    else:
        prefix = ""
    if len(segments) < 2 or segments[0].lower() in _NOT_OWNERS[host]:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not repo or repo in _REPO_END:
        return None
    return f"{prefix}{owner}/{repo}"
