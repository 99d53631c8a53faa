"""The pure core: plain data in, plain data out; no I/O, no framework imports."""

from app.engine.assess import assess
from app.engine.prepared import Prepared, prepare
from app.engine.types import Assessment, Case

__all__ = ["Assessment", "Case", "Prepared", "assess", "prepare"]
