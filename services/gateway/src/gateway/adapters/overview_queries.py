"""The partner's customer list on the read model: filters, search, sort, paging (O2, O3, P8).

Every sort has an index (shop_id, sort column, customer_id). A page first picks only its keys
with OFFSET/LIMIT from that index (an index-only scan: no table row is read for the rows
skipped), then fetches those rows and their group names: a deferred join.
"""

import asyncio
from dataclasses import dataclass, fields
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import UnaryExpression

from gateway.adapters.tables import customer_overview as overview
from gateway.adapters.tables import overview_groups
from gateway.adapters.tables import overview_shop_totals as shop_totals

SortKey = Literal["customer_number", "company", "name", "orders", "order_revenue"]
Direction = Literal["asc", "desc"]

SORT_COLUMNS: dict[str, str] = {
    "customer_number": "customer_number",
    "company": "company",
    "name": "sort_name",
    "orders": "orders_count",
    "order_revenue": "order_revenue_net",
}
SEARCH_MIN_CHARS = 2
"""Shorter text would match nearly everyone (a single digit still finds that number)."""
TRIGRAM_MIN_CHARS = 3
FORWARD_PAGE_OFFSET = 10_000
"""Pages starting before this row are read forward while the total is counted alongside."""
LARGEST_NUMBER = 2**31 - 1
"""Customer numbers are integers; longer digit strings are only searched as text."""

PAGE_ROW = overview.alias("row")
GROUP = overview_groups.alias("grp")
"""Made once: an alias copies every column, which a request need not pay for."""


@dataclass(frozen=True)
class OverviewFilters:
    """Which of a shop's customers to show; None means 'any'."""

    shop_id: UUID
    search: str | None = None
    group_id: UUID | None = None
    tax_exempt: bool | None = None
    newsletter: bool | None = None
    verified: bool | None = None
    denied: bool | None = None
    b2b: bool | None = None
    special_condition: bool | None = None
    orders_min: int | None = None
    orders_max: int | None = None
    unpaid: bool | None = None
    """True: has open invoices (the red '(N unpaid)'); False: has none."""

    @property
    def unfiltered(self) -> bool:
        """All the shop's customers: the pager's total is kept, not counted."""
        return all(
            getattr(self, name.name) is None for name in fields(self) if name.name != "shop_id"
        )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(filters: OverviewFilters) -> list[ColumnElement[bool]]:
    c = overview.c
    found: list[ColumnElement[bool]] = [c.shop_id == filters.shop_id]
    flags = {
        "tax_exempt": filters.tax_exempt,
        "newsletter": filters.newsletter,
        "email_verified": filters.verified,
        "denied": filters.denied,
        "b2b": filters.b2b,
        "special_condition": filters.special_condition,
    }
    found += [c[name].is_(value) for name, value in flags.items() if value is not None]
    if filters.group_id is not None:
        found.append(c.group_id == filters.group_id)
    if filters.orders_min is not None:
        found.append(c.orders_count >= filters.orders_min)
    if filters.orders_max is not None:
        found.append(c.orders_count <= filters.orders_max)
    if filters.unpaid is not None:
        # A literal 0, as in the partial index's predicate, so the planner may prove it applies.
        zero: ColumnElement[int] = literal_column("0")
        found.append(c.unpaid_invoices > zero if filters.unpaid else c.unpaid_invoices == zero)
    if filters.search:
        found.append(search_condition(filters.search, c))
    return found


def is_number(text: str) -> bool:
    return text.isascii() and text.isdecimal()


def _contains(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    if len(word) >= TRIGRAM_MIN_CHARS:
        # search_text is lower-cased and trigram-indexed: '%word%' is served by the GIN index.
        return column.ilike(f"%{escape_like(word)}%", escape="\\")
    # No trigram in one or two characters: the GIN index would return every row to recheck.
    return func.strpos(column, word) > 0


def search_condition(search: str, c: ReadOnlyColumnCollection[str, Any]) -> ColumnElement[bool]:
    """Every word must appear (in any order: 'lovelace ada' finds Ada Lovelace); a number
    also finds that exact customer number, and a single digit only that number."""
    term = search.lower()
    matches = and_(*(_contains(c.search_text, word) for word in term.split()))
    if not is_number(term) or int(term) > LARGEST_NUMBER:
        return matches
    number: ColumnElement[bool] = c.customer_number == int(term)
    return number if len(term) < SEARCH_MIN_CHARS else or_(number, matches)


def ordering(
    sort: SortKey, direction: Direction, table: FromClause = overview, *, reverse: bool = False
) -> list[Any]:
    """ORDER BY matching the sort's index; customers without company come last either way.

    ``reverse`` is the exact opposite order (the same index read backwards).
    """
    column = table.c[SORT_COLUMNS[sort]]
    ascending = (direction == "asc") != reverse
    keys: list[UnaryExpression[Any]] = (
        [column.asc(), table.c.customer_id.asc()]
        if ascending
        else [column.desc(), table.c.customer_id.desc()]
    )
    if sort == "company":
        keys[0] = keys[0].nulls_first() if reverse else keys[0].nulls_last()
    if sort == "customer_number":
        keys = keys[:1]  # unique within the shop
    return keys


def _page_key(sort: SortKey) -> str:
    """What the page's index holds besides the sort column: the number index has no id."""
    return "customer_number" if sort == "customer_number" else "customer_id"


def _rows_of(
    page: FromClause, key: str, filters: OverviewFilters, sort: SortKey, direction: Direction
) -> Select[Any]:
    """The deferred join: the page's rows by key, with their group names, in the page's order."""
    row, group = PAGE_ROW, GROUP
    return (
        select(row, group.c.name.label("group_name"), *page.c[1:])
        .join(page, and_(row.c[key] == page.c[key], row.c.shop_id == filters.shop_id))
        .outerjoin(
            group, and_(group.c.group_id == row.c.group_id, group.c.shop_id == row.c.shop_id)
        )
        .order_by(*ordering(sort, direction, row))
    )


def page_statement(
    filters: OverviewFilters,
    sort: SortKey,
    direction: Direction,
    *,
    offset: int,
    limit: int,
    total: int | None = None,
) -> Select[Any]:
    """One page; when the total is known, a page nearer the end is read from the end, so the
    deepest page skips at most half the shop's index entries."""
    reverse = False
    if total is not None and offset > total - offset - limit:
        reverse = True
        offset, limit = max(total - offset - limit, 0), max(min(limit, total - offset), 0)
    key = _page_key(sort)
    page = (
        select(overview.c[key])
        .where(*conditions(filters))
        .order_by(*ordering(sort, direction, reverse=reverse))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    return _rows_of(page, key, filters, sort, direction)


def search_page_statement(
    filters: OverviewFilters, sort: SortKey, direction: Direction, *, offset: int, limit: int
) -> Select[Any]:
    """One page of a search, each row with the ``total`` of matches.

    The matches are gathered first (trigram index) and then sorted: otherwise the planner may
    walk the sort's index hoping to meet matches early, which is slow when they sit together
    in that order (searching a name while sorting by name).
    """
    key = _page_key(sort)
    sort_column = SORT_COLUMNS[sort]
    matches = (
        select(*(overview.c[name] for name in dict.fromkeys((key, sort_column, "customer_id"))))
        .where(*conditions(filters))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    page = (
        select(matches.c[key], func.count().over().label("total"))
        .order_by(*ordering(sort, direction, matches))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    return _rows_of(page, key, filters, sort, direction)


def count_statement(filters: OverviewFilters) -> Select[Any]:
    return select(func.count()).select_from(overview).where(*conditions(filters))


@dataclass(frozen=True)
class OverviewPage:
    rows: list[Row[Any]]
    total: int


async def shop_total(session: AsyncSession, shop_id: UUID) -> int:
    """All the shop's customers, as the overview's writes keep the number (one key read)."""
    found = await session.scalar(
        select(shop_totals.c.customers).where(shop_totals.c.shop_id == shop_id)
    )
    return found or 0


async def _count(sessions: async_sessionmaker[AsyncSession], filters: OverviewFilters) -> int:
    async with sessions() as session:
        return await session.scalar(count_statement(filters)) or 0


async def read_page(
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    filters: OverviewFilters,
    sort: SortKey,
    direction: Direction,
    *,
    page: int,
    size: int,
) -> OverviewPage:
    """A page and the number of matching customers, in as little time as the query allows.

    A search counts its matches in the same statement. Otherwise the count (a scan of the
    shop's index entries, the larger cost) runs on a second connection while a shallow page is
    read; a deep page waits for the count, to be read from whichever end is nearer.
    """
    offset = (page - 1) * size
    if filters.search:
        statement = search_page_statement(filters, sort, direction, offset=offset, limit=size)
        rows = list((await session.execute(statement)).all())
        if rows:
            return OverviewPage(rows, rows[0].total)
        return OverviewPage([], await session.scalar(count_statement(filters)) or 0)
    if filters.unfiltered:
        total = await shop_total(session, filters.shop_id)
        if offset >= total:
            return OverviewPage([], total)
        statement = page_statement(filters, sort, direction, offset=offset, limit=size, total=total)
        return OverviewPage(list((await session.execute(statement)).all()), total)
    if offset < FORWARD_PAGE_OFFSET:
        statement = page_statement(filters, sort, direction, offset=offset, limit=size)
        async with asyncio.TaskGroup() as tasks:
            counting = tasks.create_task(_count(sessions, filters))
            rows = list((await session.execute(statement)).all())
        return OverviewPage(rows, counting.result())
    total = await session.scalar(count_statement(filters)) or 0
    if offset >= total:
        return OverviewPage([], total)
    statement = page_statement(filters, sort, direction, offset=offset, limit=size, total=total)
    return OverviewPage(list((await session.execute(statement)).all()), total)


def export_statement(filters: OverviewFilters, sort: SortKey, direction: Direction) -> Select[Any]:
    """Every matching customer with the export's column names (see domain.customer_export)."""
    c, group = overview.c, GROUP
    return (
        select(
            c.customer_number,
            c.first_name,
            c.last_name,
            c.email,
            c.email_verified,
            c.company,
            c.vat_number,
            c.registration_number,
            c.phone,
            c.language,
            c.newsletter,
            c.tax_exempt,
            group.c.name.label("group"),
            c.denied,
            c.registered_at,
            c.profile_changed_at,
            c.orders_count.label("orders"),
            c.order_revenue_net,
        )
        .outerjoin(group, and_(group.c.group_id == c.group_id, group.c.shop_id == c.shop_id))
        .where(*conditions(filters))
        .order_by(*ordering(sort, direction))
    )
