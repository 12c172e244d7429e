"""Stage 1 — the indicator catalogue (指标体系): what is assessed and how.

Takes a commented TOML file (the default ``catalog.toml`` beside this module, or a county's
own copy written by ``dangjian catalog --out FILE``) and gives a validated :class:`Catalog`:
groups and indicators (unit, direction, level, aggregation, target, goalposts, weights,
aliases), townships, villages and secretaries, grade bands, the 倒排 share and the 述职评议
scheme. :func:`load_catalog` checks every key and raises :class:`CatalogError` with one
Chinese message naming the key (and the indicator id).

Modules: :mod:`.loader` (the :class:`Catalog` and loading), one builder per section —
:mod:`.indicators`, :mod:`.units`, :mod:`.rules`, :mod:`.review` — :mod:`.tables`, the tidy
tables every later stage reads and writes, and :mod:`.clerk_rules`, the rules a clerk follows
per indicator (unit, best end of an ordinal, where it applies, what a blank costs). A new indicator is a new entry in ``catalog.toml``.
The optional sections: :mod:`.assessment` (the county's own 考核细则: rubric, 加分, 扣分, 一票否决,
annual grades with quotas and gates, 结果运用), :mod:`.notice` (the 通报's paperwork) and
:mod:`.paperwork` (the template's deadline and contact).
"""

from ._checks import CatalogError
from .clerk_rules import clerk_rules
from .indicators import header_label
from .loader import Catalog, default_catalog_text, load_catalog
from .review import ReviewScheme

__all__ = ["Catalog", "CatalogError", "ReviewScheme", "load_catalog", "default_catalog_text", "header_label",
           "clerk_rules"]
