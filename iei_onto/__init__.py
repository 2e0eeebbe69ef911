"""IEI: a knowledge graph of the integration of production and education (产教融合).

>>> import iei_onto as iei
>>> kg = iei.load("examples/demo")                      # doctest: +SKIP
>>> for c in kg.classify(): print(c.partnership, c.mode)  # doctest: +SKIP
"""

from .errors import IEIError, InputError, ReasonerError, StoreError
from .kg import KnowledgeGraph
from .loading import load
from .store import DiskStore, EndpointStore, MemoryStore, open_store
from .validation import Problem, ValidationReport

__version__ = "0.1.0"

__all__ = [
    "DiskStore",
    "EndpointStore",
    "IEIError",
    "InputError",
    "KnowledgeGraph",
    "MemoryStore",
    "Problem",
    "ReasonerError",
    "StoreError",
    "ValidationReport",
    "__version__",
    "load",
    "open_store",
]
