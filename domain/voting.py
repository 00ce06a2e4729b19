"""Exact formal voting power in the key-decision game, counted by class of member.

The game (docs/rules.md, "Power"): every elector consents or objects, and a coalition wins
when the proposal would be adopted with its members consenting and everyone else objecting.
With everyone responding any quorum up to 1 is met, so what decides is the rule, met overall
and within each required perspective (concurrent approval), each with at least one holder.

Every one of those conditions reads a count of consents in a group of electors and is met
from some fewest number of consents on (`fewest_consents`): so a coalition wins exactly when
it holds at least M consents overall and at least m_p among the holders of each required
perspective p. Electors holding the same required perspectives are interchangeable, so a
coalition is described by how many of each such class it holds, and the number of
coalitions with k_c of the n_c members of each class c is the product of C(n_c, k_c).

An elector i of class c swings exactly the coalitions S of the others that win with i and
lose without: #{S : S + i wins} - #{S : S wins} = 2 A_c - W, where W counts the winning
coalitions and A_c those holding i. Both are counts of "at least so many consents" over
class counts (`_at_least`), in exact integers; the shares are exact fractions.

Under consent and consensus a coalition wins only when it is everyone, so each elector holds
an equal veto: 1/n each (or nothing for anyone when a required perspective has no holder).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from functools import cache, lru_cache
from math import comb
from operator import mul

from cogov.domain.language import DecisionRule

Kind = frozenset[str]  # the required perspectives an elector holds


def fewest_consents(rule: DecisionRule, threshold: Fraction, size: int) -> int | None:
    """The fewest consents among `size` electors, the rest objecting, that meet `rule`
    (as rules.rule_met reads it: at least one consent; consent and consensus need no
    objection, majority more consents than objections, supermajority a share of at least
    `threshold`); None when no number does."""
    if size <= 0:
        return None
    if rule in (DecisionRule.CONSENT, DecisionRule.CONSENSUS):
        return size
    if rule == DecisionRule.MAJORITY:
        return size // 2 + 1
    least = max(1, -(-threshold.numerator * size // threshold.denominator))  # ceil(t * size)
    return least if least <= size else None


def banzhaf_shares(
    rule: DecisionRule,
    threshold: Fraction,
    required_perspectives: Sequence[str],
    electorate: Mapping[str, Collection[str]],
) -> dict[str, Fraction]:
    """Each elector's normalised Banzhaf index, exactly (zero for all when no coalition wins)."""
    required = frozenset(required_perspectives)
    kinds = {member: frozenset(held) & required for member, held in electorate.items()}
    counts: dict[Kind, int] = {}
    for kind in kinds.values():
        counts[kind] = counts.get(kind, 0) + 1
    signature = tuple(sorted(((tuple(sorted(k)), n) for k, n in counts.items())))
    per_kind = _shares_by_kind(rule, threshold, tuple(sorted(required)), signature)
    return {member: per_kind[tuple(sorted(kind))] for member, kind in kinds.items()}


@lru_cache(maxsize=1024)
def _shares_by_kind(
    rule: DecisionRule,
    threshold: Fraction,
    required: tuple[str, ...],
    signature: tuple[tuple[tuple[str, ...], int], ...],
) -> dict[tuple[str, ...], Fraction]:
    """The share of one elector of each kind, given how many electors hold each kind."""
    size = sum(n for _, n in signature)
    nothing = {kind: Fraction(0) for kind, _ in signature}
    need_total = fewest_consents(rule, threshold, size)
    need: dict[str, int] = {}
    for perspective in required:
        holders = sum(n for kind, n in signature if perspective in kind)
        least = fewest_consents(rule, threshold, holders)
        if least is None:
            return nothing  # a required perspective nobody holds: no coalition ever wins
        need[perspective] = least
    if need_total is None:
        return nothing
    if rule in (DecisionRule.CONSENT, DecisionRule.CONSENSUS):
        return {kind: Fraction(1, size) for kind, _ in signature}  # only everyone wins
    sizes = {frozenset(kind): n for kind, n in signature}
    shared: dict[tuple[int, int], _Rows] = {}
    winning = _at_least(sizes, need_total, need, shared)
    swings: dict[tuple[str, ...], int] = {}
    for kind, n in signature:
        held = frozenset(kind)
        others = dict(sizes)
        others[held] = n - 1
        with_one = _at_least(
            others, need_total - 1, {p: m - (p in held) for p, m in need.items()}, shared
        )
        swings[kind] = 2 * with_one - winning
    total = sum(swings[kind] * n for kind, n in signature)
    if total == 0:
        return nothing
    return {kind: Fraction(swings[kind], total) for kind, _ in signature}


def _at_least(
    sizes: Mapping[Kind, int],
    need_total: int,
    need: Mapping[str, int],
    shared: dict[tuple[int, int], _Rows] | None = None,
) -> int:
    """How many sets of electors (n_c of each kind c given by `sizes`) hold at least
    `need_total` electors in all and at least need[p] holders of each perspective p.
    `shared` keeps the rows of the last kind for the next count over nearly the same sizes."""
    active = {p: m for p, m in need.items() if m > 0}
    merged: dict[Kind, int] = {}
    for kind, n in sizes.items():
        if n > 0:
            key = kind & frozenset(active)
            merged[key] = merged.get(key, 0) + n  # interchangeable for what is left to meet
    for p, m in active.items():
        if sum(n for kind, n in merged.items() if p in kind) < m:
            return 0
    free = merged.pop(frozenset(), 0)
    if not merged:
        return _tail(free)(need_total)
    # the kind summed last (through `_Rows`) is the largest one, preferring one that shares no
    # perspective with some other kind, so the innermost loop reads a single row
    kinds = sorted(merged, key=lambda k: (merged[k], sorted(k)))
    disjoint = [k for k in kinds if any(not (k & other) for other in kinds if other != k)]
    last = max(disjoint or kinds, key=lambda k: (merged[k], sorted(k)))
    kinds.remove(last)
    inner = [k for k in kinds if not (k & last)]
    if inner:  # the innermost enumerated kind: the largest disjoint from the last
        kinds.remove(inner[-1])
        kinds.append(inner[-1])
    enumerated = [(kind, merged[kind], _row(merged[kind])) for kind in kinds]
    most = sum(n for _, n, _ in enumerated)
    shared = {} if shared is None else shared
    rows = shared.get((merged[last], free))
    if rows is None or not rows.low <= need_total - most <= need_total <= rows.high:
        rows = _Rows(merged[last], _tail(free), need_total - most - 1, need_total)
        shared[merged[last], free] = rows
    capacity = [
        {p: sum(n for kind, n, _ in enumerated[i:] if p in kind) for p in active}
        for i in range(len(enumerated) + 1)
    ]
    rest = {p for p in active if p not in last}

    order = sorted(active)

    @cache
    def count(i: int, taken: int, holding: tuple[int, ...]) -> int:
        """Sets of the kinds from i on that complete `taken` in all and `holding` (per
        perspective, in `order`); both are kept no higher than needed, so that the many ways
        of reaching the same counts are summed once."""
        held = dict(zip(order, holding, strict=True))
        if i == len(enumerated):
            if any(held[p] < active[p] for p in rest):
                return 0
            at_least = max([0] + [active[p] - held[p] for p in last])
            return rows.get(at_least)[need_total - taken - rows.low]
        kind, n, row = enumerated[i]
        ahead = capacity[i + 1]
        # fewest of this kind that can still meet the perspectives the last kind does not hold
        low = max([0] + [active[p] - held[p] - ahead[p] for p in kind if p in rest])
        if low > n:
            return 0
        if i == len(enumerated) - 1:  # the innermost loop, over one row: the hot path
            base = need_total - taken - rows.low  # the row index for k = 0; k moves it down
            fixed = max([0] + [active[p] - held[p] for p in last if p not in kind])
            shifted = [active[p] - held[p] for p in last if p in kind]
            if not shifted:
                values = rows.get(fixed)[base - n : base - low + 1]
                return sum(map(mul, row[low:], reversed(values)))
            top = max(shifted)
            return sum(row[k] * rows.get(max(fixed, top - k))[base - k] for k in range(low, n + 1))
        result = 0
        for k in range(low, n + 1):
            result += row[k] * count(
                i + 1,
                min(taken + k, max(need_total, 0)),
                tuple(min(held[p] + k, active[p]) if p in kind else held[p] for p in order),
            )
        return result

    return count(0, 0, (0,) * len(order))


class _Rows:
    """V(y, w) for w from `low` to `high`, as rows by y: sets of `n` electors of one kind and
    any number of others (`tail` counts those) holding at least y of the kind and at least
    w in all. Row y is row y + 1 plus C(n, y) times the tail shifted by y, so each value
    costs one multiply-add; a row asked for with no row made just above it is made at once
    (`_direct`), and those below it from there, as they are asked for."""

    def __init__(self, n: int, tail: _Tail, low: int, high: int) -> None:
        self.n, self.low, self.high, self.free = n, low, high, tail.n
        self.width = high - low + 1
        self.binomials = _row(n)
        # tail(m) for m from low - n to high
        self.tails = [tail(m) for m in range(low - n, high + 1)]
        self.rows: dict[int, list[int]] = {n + 1: [0] * self.width}

    def get(self, y: int) -> list[int]:
        y = min(max(y, 0), self.n + 1)
        rows = self.rows
        if y in rows:
            return rows[y]
        above = y + 1  # the nearest row made above, if it is near
        while above not in rows and above - y < 8:
            above += 1
        if above not in rows:
            rows[y] = self._direct(y)
            return rows[y]
        width, tails = self.width, self.tails
        for k in range(above - 1, y - 1, -1):
            c, shifted = self.binomials[k], tails[self.n - k : self.n - k + width]
            rows[k] = [a + c * b for a, b in zip(rows[k + 1], shifted, strict=True)]
        return rows[y]

    def _direct(self, y: int) -> list[int]:
        """Row y made at once: the sums over k >= y of C(n, k) tail(w - k) for every w are the
        coefficients of one product of polynomials, multiplied as integers with each
        coefficient in its own run of bits (wide enough for the largest possible count)."""
        n, width, tails = self.n, self.width, self.tails
        # no coefficient of the product exceeds 2^n * 2^free (every set of electors), so none
        # spills into the next
        size = (n + self.free + 1) // 8 + 1  # bytes per coefficient
        step = 8 * size
        binomials = int.from_bytes(
            b"".join(c.to_bytes(size, "little") for c in self.binomials[y:]), "little"
        )
        packed = int.from_bytes(b"".join(t.to_bytes(size, "little") for t in tails), "little")
        # C(n, y + i) sits in slot i and tails[j] in slot j, so slot (w - low) + (n - y) of the
        # product holds row y at w
        product = (binomials * packed) >> (step * (n - y))
        data = (product & ((1 << (step * width)) - 1)).to_bytes(size * width, "little")
        return [int.from_bytes(data[i * size : (i + 1) * size], "little") for i in range(width)]


class _Tail:
    """tail(m): sets of `n` interchangeable electors holding at least m of them."""

    def __init__(self, n: int) -> None:
        self.n = n
        sums = [0] * (n + 2)
        for k in range(n, -1, -1):
            sums[k] = sums[k + 1] + comb(n, k)
        self.sums = sums

    def __call__(self, m: int) -> int:
        if m <= 0:
            return self.sums[0]
        return self.sums[m] if m <= self.n else 0


@lru_cache(maxsize=256)
def _tail(n: int) -> _Tail:
    return _Tail(n)


@lru_cache(maxsize=256)
def _row(n: int) -> tuple[int, ...]:
    return tuple(comb(n, k) for k in range(n + 1))
