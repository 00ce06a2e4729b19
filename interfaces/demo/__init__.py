"""The demo project that `cogov demo` and `cogov serve --demo` record."""

from cogov.interfaces.demo.chapters import run_demo
from cogov.interfaces.demo.story import (
    DemoClock,
    DemoResult,
    DemoToken,
    StageHolding,
    demo_tokens,
    holdings_by_stage,
)

__all__ = [
    "DemoClock",
    "DemoResult",
    "DemoToken",
    "StageHolding",
    "demo_tokens",
    "holdings_by_stage",
    "run_demo",
]
