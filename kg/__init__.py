"""kg: a knowledge graph of methods, datasets, metrics, tasks, code and results from paper abstracts."""
from __future__ import annotations

__version__ = "0.1.0"
