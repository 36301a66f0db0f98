"""One module per page: turns query results into what the page shows, every figure published through
pulse.disclosure. Views (views/*.py) only draw what these return, with pulse.ui.

Page modules may cache with st.cache_data and read the database through pulse.db; they never draw.
"""

from __future__ import annotations

from pulse.disclosure import Policy, forced_public
from pulse.filters import Filters


def policy_for(filters: Filters) -> Policy:
    """The disclosure policy of a view: public-safe when the link asks, or the deployment forces it."""
    return Policy(public_safe=filters.public_safe or forced_public())
