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
class counts, in exact integers; the shares are exact fractions. How they are counted
depends on how many distinct conditions there are besides the overall one:

- up to two (`_pair_count`): one sum over the class holding both perspectives, whose terms
  past the point where every later condition is met at once are summed in closed form, so
  only a band near the thresholds is summed term by term;
- three or more (`_classes_dp`): a dynamic programme over the classes whose states are how
  many holders of each perspective the coalition has so far, capped at that perspective's
  need (more never matters), and whose values are the counts by coalition size, packed as
  one integer (one run of bits per size) so that a whole distribution moves in one integer
  operation. A perspective leaves the state once its last class is counted. A_c comes from
  the same programme read backwards (`_retreat`): what each state is worth, by size, in
  winning sets completed by the classes still to count, met (`_dot`) with the states
  before c counted forwards, one member of c forced in. The classes are taken in the order
  whose bound on the work is least (`_plan`), and a game whose bound exceeds `WORK_LIMIT` is
  refused (`VotingPowerOutOfReach`): the states number up to the product of the needs, so a
  thousand electors spread over every combination of three perspectives would take tens of
  gigabytes.

Under consent and consensus a coalition wins only when it is everyone, so each elector holds
an equal veto: 1/n each (or nothing for anyone when a required perspective has no holder).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from fractions import Fraction
from functools import cache, lru_cache, partial
from operator import add, mul

from cogov.domain.language import DecisionRule

Kind = frozenset[str]  # the required perspectives an elector holds
Counts = dict[tuple[int, ...], int]  # capped holders per perspective -> packed counts by size


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
    if need_total is None:
        return nothing
    # perspectives held by exactly the same electors set the same condition: keep one
    conditions: dict[frozenset[tuple[str, ...]], str] = {}
    for perspective in required:
        holding = frozenset(kind for kind, _ in signature if perspective in kind)
        conditions.setdefault(holding, perspective)
    need: dict[str, int] = {}
    for holding, perspective in conditions.items():
        least = fewest_consents(rule, threshold, sum(n for k, n in signature if k in holding))
        if least is None:
            return nothing  # a required perspective nobody holds: no coalition ever wins
        need[perspective] = least
    if rule in (DecisionRule.CONSENT, DecisionRule.CONSENSUS):
        return {kind: Fraction(1, size) for kind, _ in signature}  # only everyone wins
    sizes: dict[Kind, int] = {}
    for kind, n in signature:
        key = frozenset(kind) & frozenset(need)
        sizes[key] = sizes.get(key, 0) + n
    if len(need) <= 2:
        winning, holding_one = _pair_swings(sizes, need_total, need)
    else:
        winning, holding_one = _classes_dp(sizes, need_total, need)
    swings = {
        kind: 2 * holding_one[frozenset(kind) & frozenset(need)] - winning for kind, _ in signature
    }
    total = sum(swings[kind] * n for kind, n in signature)
    if total == 0:
        return nothing
    return {kind: Fraction(swings[kind], total) for kind, _ in signature}


# --- up to two perspectives --------------------------------------------------------------


def _pair_swings(
    sizes: Mapping[Kind, int], need_total: int, need: Mapping[str, int]
) -> tuple[int, dict[Kind, int]]:
    """W and A_c (see the module's docstring) when at most two perspectives are required:
    each is one `_pair_count`, A_c over the others of one member of c with that member's
    consent counted in."""
    names = sorted(need)
    bands: dict[tuple[int, int], _Band] = {}  # rows shared by counts over the same groups

    def holds(kind: Kind) -> tuple[bool, bool]:  # (p, q) in kind; a missing one nobody holds
        return len(names) > 0 and names[0] in kind, len(names) > 1 and names[1] in kind

    def count(minus: Kind | None, total: int, need_p: int, need_q: int) -> int:
        by_holding = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
        for kind, n in sizes.items():
            by_holding[holds(kind)] += n - (kind == minus)
        both, only_p, only_q, free = by_holding.values()
        if (only_q, free) not in bands:
            bands[only_q, free] = _Band(only_q, free)
        return _pair_count(both, only_p, only_q, free, total, need_p, need_q, bands[only_q, free])

    need_p, need_q = (need[names[0]] if names else 0), (need[names[1]] if names[1:] else 0)
    winning = count(None, need_total, need_p, need_q)
    holding_one: dict[Kind, int] = {}
    for kind, n in sizes.items():
        if n:
            in_p, in_q = holds(kind)
            holding_one[kind] = count(kind, need_total - 1, need_p - in_p, need_q - in_q)
    return winning, holding_one


def _pair_count(
    both: int,
    only_p: int,
    only_q: int,
    free: int,
    need_total: int,
    need_p: int,
    need_q: int,
    rows: _Band | None = None,
) -> int:
    """How many sets of electors (`both` holding perspectives p and q, `only_p` p alone,
    `only_q` q alone, `free` neither) hold at least `need_total` in all, `need_p` holders of
    p and `need_q` of q.

    With k of `both` and i of `only_p` chosen, the rest is V(b, t - i) = #{j >= b of
    `only_q`, any of `free`: j + f >= t - i} (`_Rows`), which is a plain product once
    t - i <= b (every such j meets the total already): so only i up to t - b - 1 are summed
    one by one, a band that grows by one as k does, and V's row for k + 1 is made from the
    row for k by one multiply-add per value (`_Band`, which `rows` shares between counts
    over the same `only_q` and `free`)."""
    binom_both, binom_p, tail_p = _row(both), _row(only_p), _tail(only_p)
    band = _Band(only_q, free) if rows is None else rows
    everyone_q_free = band.saturated  # everyone_q_free(b): j >= b of `only_q`, any free set
    lowest = max(0, need_p - only_p, need_q - only_q)  # fewer of `both` cannot make up
    result = 0
    for k in range(lowest, both + 1):
        a, b, t = max(need_p - k, 0), max(need_q - k, 0), need_total - k
        # i >= t - b: every q-set from b on meets the total, with any free set
        count = tail_p(max(a, t - b)) * everyone_q_free(b)
        low, high = max(a, t - only_q - free), min(only_p, t - b - 1)  # V is 0 below `low`
        if low <= high:
            top = t - low  # V(b, s) is wanted for s from t - high to `top`
            values = band.row(b, top)[t - high - b - 1 : top - b]
            count += sum(map(mul, binom_p[low : high + 1], reversed(values)))
        result += binom_both[k] * count
    return result


class _Band:
    """Rows V(b, s) = #{j >= b of `n` electors, any of `free` others: j + f >= s} for s
    from b + 1 up (see `_pair_count`), kept so that counts over the same two groups share
    them: row b - 1 is made from row b by one multiply-add per value,
    V(b - 1, s) = V(b, s) + C(n, b - 1) * tail(s - b + 1)."""

    def __init__(self, n: int, free: int) -> None:
        self.n, self.free = n, free
        self.binomials, self.tail, self.every = _row(n), _tail(n), 1 << free
        tail_free = _tail(free)
        # tail_free(m) for m >= 0, as far as any row reaches (0 from free + 1 on)
        self.tails = [tail_free(m) for m in range(free + 1)] + [0] * (2 * n + free + 3)
        self.rows: dict[int, list[int]] = {}  # b -> V(b, s) for s from b + 1 to self.top[b]

    def saturated(self, b: int) -> int:
        """V(b, s) for s <= b: any j from b on, with any free set."""
        return self.tail(b) * self.every

    def row(self, b: int, top: int) -> list[int]:
        """V(b, s) for s from b + 1 to at least `top`."""
        rows = self.rows
        made = rows.get(b)
        if made is not None and b + len(made) >= top:
            return made
        above = next((y for y in range(b + 1, b + 9) if y in rows), None)
        if above is None or above + len(rows[above]) < top:
            rows[b] = _first_row(self.binomials, self.free, b, top)
            return rows[b]
        row, tails = rows[above], self.tails
        for y in range(above, b, -1):
            c = self.binomials[y - 1]
            first = self.saturated(y) + c * tails[1]
            row = [first, *map(add, row, map(c.__mul__, tails[2 : len(row) + 2]))]
            rows[y - 1] = row
        return row


def _first_row(binomials: Sequence[int], free: int, b: int, top: int) -> list[int]:
    """V(b, s) for s from b + 1 to `top` (see `_pair_count`), made at once: term by term
    while the row is short, as it is where it is first asked for in the usual games, and
    otherwise by `_Rows` (one product of packed integers)."""
    n, tail_free = len(binomials) - 1, _tail(free)
    if top - b > 48:
        return _Rows(n, tail_free, b + 1, top).get(b)
    every, tail = 1 << free, _tail(n)
    return [
        # from s on, members meet the total with any free set; those below need some
        tail(s) * every
        + sum(binomials[j] * tail_free(s - j) for j in range(max(b, s - free), min(s, n + 1)))
        for s in range(b + 1, top + 1)
    ]


# --- three perspectives or more ------------------------------------------------------------


def _classes_dp(
    sizes: Mapping[Kind, int], need_total: int, need: Mapping[str, int]
) -> tuple[int, dict[Kind, int]]:
    """W and A_c (see the module's docstring) for any number of required perspectives."""
    order = sorted(need)
    target = tuple(need[p] for p in order)
    free = sizes.get(frozenset(), 0)
    electors = sum(sizes.values())
    width = 8 * (electors // 8 + 1)  # bits per size: more than any count needs
    steps, work = _plan({k: n for k, n in sizes.items() if k and n}, order, target, width)
    if work > WORK_LIMIT:
        raise VotingPowerOutOfReach(electors, len(need), len(steps) + bool(free))
    tail_free = _tail(free)
    states: Counts = {(0,) * len(order): 1}
    before: list[Counts] = []
    for positions, n, retiring in steps:
        before.append(states)
        states = _advance(states, positions, _row(n), retiring, target, width)
    complete = states.get(target, 0)
    winning = _at_least(complete, width, need_total, tail_free)
    # backward: what each state is worth, by size, in winning sets made with the classes
    # still to count; A_c meets it with the states before c, one member of c forced in
    worth: Counts = {target: _pack([tail_free(need_total - w) for w in range(electors + 1)], width)}
    holding_one: dict[Kind, int] = {}
    reached = [0]
    for _, n, _ in steps:
        reached.append(reached[-1] + n)
    for i in range(len(steps) - 1, -1, -1):
        positions, n, retiring = steps[i]
        forced = (0, *_row(n - 1))  # C(n - 1, j - 1): j of the n, one given member among them
        lanes = reached[i] + 1  # sizes the states before this class can hold
        rows = (forced, _row(n)) if i else (forced,)  # the first class's worth is not needed
        with_one, *earlier = _retreat(
            before[i], worth, positions, rows, retiring, target, width, lanes
        )
        worth = earlier[0] if earlier else worth
        holding_one[frozenset(order[x] for x in positions)] = sum(
            _dot(before[i][state], value, width) for state, value in with_one.items()
        )
    if free:
        one_free = _tail(free - 1)  # sets of the free holding a given one: one fewer to find
        holding_one[frozenset()] = _at_least(complete, width, need_total - 1, one_free)
    return winning, holding_one


# Above this bound on the bit operations the programme would take (`_plan`) it is not run:
# on a small machine's core that is about two to four seconds and a few hundred megabytes.
WORK_LIMIT = 4 * 10**11

Step = tuple[tuple[int, ...], int, tuple[int, ...]]  # positions, members, positions leaving


class VotingPowerOutOfReach(ValueError):
    """Counting this game exactly would take more work than `WORK_LIMIT` allows."""

    def __init__(self, electors: int, perspectives: int, classes: int) -> None:
        super().__init__(
            f"exact voting power for {electors} electors holding {perspectives} required "
            f"perspectives in {classes} combinations is beyond what is computed"
        )
        self.electors, self.perspectives, self.classes = electors, perspectives, classes


def _plan(
    sizes: Mapping[Kind, int], order: Sequence[str], target: Sequence[int], width: int
) -> tuple[list[Step], int]:
    """The order the programme counts the classes in, with an upper bound on the bits it
    moves (counting forward, then back with and without one member of each class forced in).

    The states after a set of classes are counted are bounded by the product, over the
    perspectives still open (held by a class counted and by one not yet), of one plus the
    holders counted so far capped at the need, and by the product over the classes counted
    of one plus their size; each holds a run of bits per size reached. Of every order, the
    one whose bound is least is taken (up to eight classes; past that, at each step the class
    that is cheapest next)."""
    kinds = sorted(sizes, key=lambda k: (-len(k), sorted(k)))
    position = {p: x for x, p in enumerate(order)}
    members = [sizes[k] for k in kinds]
    held = [frozenset(position[p] for p in k) for k in kinds]
    everyone = (1 << len(kinds)) - 1
    holders_of = [sum(1 << i for i, h in enumerate(held) if x in h) for x in range(len(order))]

    @cache
    def states(done: int) -> int:
        by_classes, by_needs = 1, 1
        for i in range(len(kinds)):
            if done >> i & 1:
                by_classes *= members[i] + 1
        for x, holding in enumerate(holders_of):
            if done & holding and (everyone & ~done) & holding:  # open
                reached = sum(members[i] for i in range(len(kinds)) if (done & holding) >> i & 1)
                by_needs *= min(target[x], reached) + 1
        return min(by_classes, by_needs)

    def cost(done: int, i: int) -> int:
        after = done | 1 << i
        closing = all(not (everyone & ~after) & holders_of[x] for x in held[i])
        reached = sum(members[c] for c in range(len(kinds)) if after >> c & 1)
        lane = (reached + 1) * width  # bits in one state's counts by size
        # a multiply-add per state and j below where the class's perspectives are met, and
        # a long product per state landing where they are (about lane * terms ** 0.585 bit
        # operations, as CPython multiplies long integers)
        terms = (members[i] + 1) * width
        return states(done) * (1 if closing else members[i] + 1) * lane + states(after) * int(
            lane * terms**0.585
        )

    if len(kinds) <= 8:
        best: dict[int, tuple[int, list[int]]] = {0: (0, [])}
        for done in sorted(range(everyone + 1), key=int.bit_count):
            if done not in best:
                continue
            spent, path = best[done]
            for i in range(len(kinds)):
                if not done >> i & 1:
                    total = spent + cost(done, i)
                    after = done | 1 << i
                    if after not in best or total < best[after][0]:
                        best[after] = (total, [*path, i])
        chosen = best[everyone][1]
    else:
        chosen, done = [], 0
        while done != everyone:
            i = min((c for c in range(len(kinds)) if not done >> c & 1), key=partial(cost, done))
            chosen.append(i)
            done |= 1 << i
    steps: list[Step] = []
    costs: list[int] = []
    done = 0
    for i in chosen:
        costs.append(cost(done, i))
        done |= 1 << i
        leaving = tuple(sorted(x for x in held[i] if not (everyone & ~done) & holders_of[x]))
        steps.append((tuple(sorted(held[i])), members[i], leaving))
    return steps, 3 * sum(costs)  # forward, and back twice (with one member forced in, and not)


def _advance(
    states: Counts,
    positions: tuple[int, ...],
    coefficients: Sequence[int],
    leaving: tuple[int, ...],
    target: tuple[int, ...],
    width: int,
) -> Counts:
    """The states after counting one class, j of whose members join in coefficients[j]
    ways: j raises the holders of each of its perspectives by j (capped at the need) and
    the size by j (a shift by j runs of bits). A state that cannot meet a perspective
    leaving here is dropped, and from the j at which all the class's perspectives are met
    on, every j lands in one state.

    Those last are gathered by the state they land in and the j they start from (`met`):
    with P_m the sum of the states starting from m, what lands is the sum over m of P_m
    times T_m = sum of coefficients[j] z^j for j >= m; taking the m in order, the running
    sum of P times the coefficients between one m and the next, and one product with T at
    the last m, so that a state landing from many starting points costs one long product,
    not one each."""
    result: Counts = {}
    landing: dict[tuple[int, ...], dict[int, int]] = {}  # state -> met -> P_met
    last = len(coefficients) - 1
    for state, packed in states.items():
        start = max([0] + [target[x] - state[x] for x in leaving])
        met = max([start] + [target[x] - state[x] for x in positions])
        for j in range(start, min(met, last + 1)):
            if coefficients[j]:
                moved = list(state)
                for x in positions:
                    moved[x] = min(state[x] + j, target[x])
                key = tuple(moved)
                result[key] = result.get(key, 0) + ((packed * coefficients[j]) << (j * width))
        if met <= last:
            moved = list(state)
            for x in positions:
                moved[x] = target[x]
            starts = landing.setdefault(tuple(moved), {})
            starts[met] = starts.get(met, 0) + packed
    for key, starts in landing.items():
        mets = sorted(starts)
        running = added = 0
        for m, following in zip(mets, [*mets[1:], None], strict=True):
            running += starts[m]
            if following is None:
                added += running * (_pack(coefficients[m:], width) << (m * width))
            else:
                for j in range(m, following):
                    if coefficients[j]:
                        added += (running * coefficients[j]) << (j * width)
        result[key] = result.get(key, 0) + added
    return result


def _retreat(
    states: Iterable[tuple[int, ...]],
    worth: Counts,
    positions: tuple[int, ...],
    rows: Sequence[Sequence[int]],
    leaving: tuple[int, ...],
    target: tuple[int, ...],
    width: int,
    lanes: int,
) -> list[Counts]:
    """`_advance` read backwards, for each row of coefficients (of the same length): for
    each of `states`, by size w (up to `lanes` sizes), the sum over j of coefficients[j]
    times what the state j of the class lead to is worth at size w + j (a shift down by j
    runs of bits, shared by the rows). From the j at which the class's perspectives are all
    met on, every j leads to one state, whose worth is read down by each such j: that sum,
    T_m for j from m on, is made for the largest m any state needs (term by term when few
    sizes are wanted, else by one long product) and from there down by T_m = T_(m+1) +
    coefficients[m] (worth >> m)."""
    last = len(rows[0]) - 1
    keep = (1 << (lanes * width)) - 1
    reach = (1 << ((lanes + last) * width)) - 1  # the sizes any j reads worth at
    worth = {key: value & reach for key, value in worth.items()}
    tails: dict[tuple[int, ...], set[int]] = {}  # met state -> the m its states start from
    starts: dict[tuple[int, ...], tuple[int, int]] = {}
    for state in states:
        start = max([0] + [target[x] - state[x] for x in leaving])
        met = max([start] + [target[x] - state[x] for x in positions])
        starts[state] = (start, met)
        if met <= last:
            moved = list(state)
            for x in positions:
                moved[x] = target[x]
            key = tuple(moved)
            if key in worth:
                tails.setdefault(key, set()).add(met)
    made: dict[tuple[tuple[int, ...], int], list[int]] = {}
    for key, needed in tails.items():
        value, low, high = worth[key], min(needed), max(needed)
        terms = last - high + 1
        if terms * lanes < (lanes + terms) * (terms * width // 30) ** 0.585:
            # few sizes wanted: term by term, each cut to them, beats one long product
            running = [0] * len(rows)
            for j in range(high, last + 1):
                shifted = (value >> (j * width)) & keep
                for r, row in enumerate(rows):
                    running[r] += shifted * row[j]
        else:
            running = [
                (value * _pack(reversed(row[high:]), width)) >> (last * width) for row in rows
            ]
        made[key, high] = list(running)
        for m in range(high - 1, low - 1, -1):
            shifted = value >> (m * width)
            for r, row in enumerate(rows):
                running[r] += shifted * row[m]
            if m in needed:
                made[key, m] = list(running)
    results: list[Counts] = [{} for _ in rows]
    for state, (start, met) in starts.items():
        totals = [0] * len(rows)
        for j in range(start, min(met, last + 1)):
            moved = list(state)
            for x in positions:
                moved[x] = min(state[x] + j, target[x])
            found = worth.get(tuple(moved))
            if found:
                shifted = found >> (j * width)
                for r, row in enumerate(rows):
                    totals[r] += shifted * row[j]
        if met <= last:
            moved = list(state)
            for x in positions:
                moved[x] = target[x]
            for r, tail in enumerate(made.get((tuple(moved), met), ())):
                totals[r] += tail
        for result, total in zip(results, totals, strict=True):
            if total:
                result[state] = total & keep
    return results


def _dot(first: int, second: int, width: int) -> int:
    """Sum over sizes of the product of two packed counts at that size."""
    size = width // 8
    a = first.to_bytes((first.bit_length() + width - 1) // width * size, "little")
    b = second.to_bytes((second.bit_length() + width - 1) // width * size, "little")
    return sum(
        int.from_bytes(a[i : i + size], "little") * int.from_bytes(b[i : i + size], "little")
        for i in range(0, min(len(a), len(b)), size)
    )


def _pack(values: Iterable[int], width: int) -> int:
    """The values as one integer, the i-th in bits i * width to (i + 1) * width."""
    size = width // 8
    return int.from_bytes(b"".join(v.to_bytes(size, "little") for v in values), "little")


def _at_least(packed: int, width: int, need_total: int, tail: _Tail) -> int:
    """Sum over sizes w of (the packed count at w) * tail(need_total - w): the sets that,
    with the rest (counted by `tail`) joining, hold at least `need_total` in all."""
    size = width // 8
    data = packed.to_bytes((packed.bit_length() + width - 1) // width * size, "little")
    counts = [int.from_bytes(data[i : i + size], "little") for i in range(0, len(data), size)]
    return sum(c * tail(need_total - w) for w, c in enumerate(counts) if c)


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
        row = _row(n)
        for k in range(n, -1, -1):
            sums[k] = sums[k + 1] + row[k]
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
    """C(n, k) for k from 0 to n, each from the one before (cheaper than each afresh)."""
    row = [1]
    for k in range(n):
        row.append(row[-1] * (n - k) // (k + 1))
    return tuple(row)
