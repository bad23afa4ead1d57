"""Checks on a scenario's changes taken together, in the order they take effect.

A change may not act on a facility that an earlier change has closed (closing it
again, merging into it, resizing it ...: the model would record it as applied with
no effect), and a merge or co-location may not name one facility as both source and
target (the facility would close).
"""

from __future__ import annotations

from collections.abc import Sequence

from scenarios.changes.operations import Close, CoLocate, Merge, NetworkChange, Relocate

__all__ = ["closed_by", "sequence_problems"]


def closed_by(change: NetworkChange) -> tuple[str, ...]:
    """Facilities the change takes out of the network for good.

    Examples
    --------
    >>> closed_by(Merge(decided="2025-01", facility="A", into="B"))
    ('A',)
    """
    if isinstance(change, Close | Merge | Relocate):
        return (change.facility,)
    if isinstance(change, CoLocate):
        return tuple(change.facilities)
    return ()


def acted_on(change: NetworkChange) -> dict[str, tuple[str, ...]]:
    """Facilities the change needs in the network, by field name."""
    out: dict[str, tuple[str, ...]] = {}
    for name in ("facility", "into", "facilities"):
        value = getattr(change, name, None)
        if value is not None:
            out[name] = tuple(value) if isinstance(value, tuple) else (value,)
    return out


def sequence_problems(name: str, changes: Sequence[NetworkChange]) -> list[str]:
    """Problems of the changes taken in effect order (ties: file order), as messages.

    Parameters
    ----------
    name : str
        Scenario name, for the messages.
    changes : sequence of NetworkChange
        The scenario's changes in file order (change ``k`` is ``changes[k - 1]``).

    Returns
    -------
    list of str
        One message per problem, naming the scenario, the change, the field and the
        earlier change that closed the facility.
    """
    problems: list[str] = []
    closed: dict[str, tuple[int, NetworkChange]] = {}
    order = sorted(range(len(changes)), key=lambda i: (changes[i].effective, i))
    for i in order:
        change, k = changes[i], i + 1
        where = f"scenario {name!r}, change {k} ({change.op_name})"
        fields = acted_on(change)
        sources = fields.get("facility", ()) + fields.get("facilities", ())
        if "into" in fields and fields["into"][0] in sources:
            problems.append(
                f"{where}: field 'into': {fields['into'][0]!r} is also the facility merged; "
                "a facility cannot be merged or co-located into itself"
            )
        repeated = sorted({f for f in sources if sources.count(f) > 1})
        if repeated:
            problems.append(f"{where}: field 'facilities': {repeated} listed more than once")
        for field, ids in fields.items():
            for fid in ids:
                if fid in closed:
                    j, by = closed[fid]
                    problems.append(
                        f"{where}: field {field!r}: facility {fid!r} is already closed by "
                        f"change {j} ({by.op_name}, effective {by.effective}) when this change "
                        f"takes effect ({change.effective})"
                    )
        for fid in closed_by(change):
            closed.setdefault(fid, (k, change))
    return problems
