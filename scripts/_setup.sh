# Sourced by scripts/demo and scripts/test: make .venv (if none) and install kg into it.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating virtual environment .venv" >&2
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.kg-installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    echo "setup: installing kg and its test dependencies into .venv" >&2
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    rm -f .venv/.kg-installed-*
    touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
