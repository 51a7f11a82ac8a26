"""Runnable reference back ends for 交易, 税务 and 登记 (demo and tests); see ``sync/openapi.yaml``."""

from sync.backends.script import DepartmentScript, Outcome
from sync.backends.server import DEFAULT_ENROLMENT_TOKEN, ReferenceBackends, serve
from sync.backends.store import Delivery

__all__ = ["DEFAULT_ENROLMENT_TOKEN", "Delivery", "DepartmentScript", "Outcome", "ReferenceBackends", "serve"]
