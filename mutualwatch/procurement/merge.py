"""A fast compiled-release merge that gives exactly ocdsmerge's result on ordinary data.

ocdsmerge flattens every release into a dict of JSON paths, updates one flat dict, and builds the
compiled release back from it. That is general, and it costs most of an ingest's time. Here the
releases are merged straight into nested objects, walking the merge rules as a tree alongside.

Where ocdsmerge's flattening gives results that depend on its internals, this merge does not try
to copy them: it raises ``NeedsReferenceMerge`` and the caller hands that ocid to ocdsmerge.
Those cases are rare in published data:

- a path holding a value in one release and an object or array of objects in another;
- an array of objects in which an object has no ``id`` (ocdsmerge keeps every such object);
- an ``id`` that is neither a string nor an integer, or ids equal as text but not as values
  (``1`` and ``"1"``);
- two objects with the same ``id`` in one array (ocdsmerge warns about those).

A test compares this merge with ocdsmerge on the merge fixtures and on random releases.
"""

from collections.abc import Iterable
from typing import Any

OMIT = "omitWhenMerged"
WHOLE_LIST = "wholeListMerge"

# One level of the merge rules: each key's rule (or None) and the rules below it.
RuleTree = dict[str, tuple[str | None, "RuleTree"]]
EMPTY_TREE: RuleTree = {}
NO_RULE: tuple[None, RuleTree] = (None, EMPTY_TREE)


class NeedsReferenceMerge(Exception):
    """These releases are merged by ocdsmerge, whose result this merge does not reproduce."""


class _Merge:
    """One compiled release being built. Objects are plain dicts; the arrays of objects it builds
    are plain lists, indexed (by ``id``, in ``arrays``) so later releases find their objects."""

    __slots__ = ("arrays",)

    def __init__(self) -> None:
        # id() of each list this merge built -> its objects by id as text, and the raw ids
        self.arrays: dict[int, tuple[dict[str, dict[str, Any]], dict[str, Any]]] = {}

    def set_value(self, target: dict[str, Any], key: str, value: Any) -> None:
        if key in target:
            existing = target[key]
            if type(existing) is dict or (type(existing) is list and id(existing) in self.arrays):
                raise NeedsReferenceMerge(f"{key} is a value here and an object elsewhere")
        if value is None:
            target.pop(key, None)  # null removes a value
        else:
            target[key] = value

    def merge_object(self, target: dict[str, Any], source: dict[str, Any], rules: RuleTree) -> bool:
        """Merge source into target; whether source set anything (a null counts)."""
        touched = False
        for key, value in source.items():
            rule, below = rules.get(key, NO_RULE)
            if rule is not None:
                touched = self.apply_rule(target, key, value, rule) or touched
                continue
            kind = type(value)
            if kind is dict:
                if not value:
                    continue  # an empty object changes nothing
                if key in target:
                    child = target[key]
                    if type(child) is not dict:
                        raise NeedsReferenceMerge(f"{key} is an object here and not elsewhere")
                    touched = self.merge_object(child, value, below) or touched
                else:
                    child = {}
                    if self.fill_object(child, value, below):
                        target[key] = child
                        touched = True
            elif kind is list:
                if not value:
                    continue  # an empty array changes nothing
                for item in value:
                    if type(item) is not dict:
                        self.set_value(target, key, value)  # not all objects: a value
                        break
                else:
                    if key in target:
                        self.merge_array(target, key, value, below)
                    else:
                        self.fill_array(target, key, value, below)
                touched = True
            else:
                if key in target:  # set_value, inlined: this is the merge's busiest line
                    existing = target[key]
                    if type(existing) is dict or (
                        type(existing) is list and id(existing) in self.arrays
                    ):
                        raise NeedsReferenceMerge(f"{key} is a value here and an object elsewhere")
                if value is None:
                    target.pop(key, None)
                else:
                    target[key] = value
                touched = True
        return touched

    def apply_rule(self, target: dict[str, Any], key: str, value: Any, rule: str) -> bool:
        """A key with a merge rule: omitted, or its value set whole; whether it set anything."""
        if rule == OMIT:
            return False
        if rule == WHOLE_LIST and type(value) is dict:
            raise NeedsReferenceMerge(f"{key} is an object where an array belongs")
        self.set_value(target, key, value)
        return True

    def fill_object(self, target: dict[str, Any], source: dict[str, Any], rules: RuleTree) -> bool:
        """merge_object into an object this merge has just made, holding nothing yet or only
        the ``id`` that source also has: no key of source is there to conflict with, so none
        is looked up. Most of a merge is this: the first release of an ocid, and the awards and
        contracts that later ones add."""
        touched = False
        for key, value in source.items():
            rule, below = rules.get(key, NO_RULE)
            if rule is not None:
                touched = self.apply_rule(target, key, value, rule) or touched
                continue
            kind = type(value)
            if kind is dict:
                if not value:
                    continue
                child: dict[str, Any] = {}
                if self.fill_object(child, value, below):
                    target[key] = child
                    touched = True
            elif kind is list:
                if not value:
                    continue
                for item in value:
                    if type(item) is not dict:
                        target[key] = value
                        break
                else:
                    self.fill_array(target, key, value, below)
                touched = True
            else:
                if value is not None:
                    target[key] = value
                touched = True
        return touched

    def fill_array(
        self, target: dict[str, Any], key: str, items: list[dict[str, Any]], rules: RuleTree
    ) -> None:
        """merge_array into an array that is not there yet."""
        array: list[dict[str, Any]] = []
        target[key] = array
        by_id: dict[str, dict[str, Any]] = {}
        raw_ids: dict[str, Any] = {}
        self.arrays[id(array)] = (by_id, raw_ids)
        for item in items:
            text = _id_text(item)
            if text in by_id:
                raise NeedsReferenceMerge("two objects in one array share an id")
            self.fill_object(self._new_node(item, text, by_id, raw_ids, array), item, rules)

    def merge_array(
        self, target: dict[str, Any], key: str, items: list[dict[str, Any]], rules: RuleTree
    ) -> None:
        array = target[key]
        index = self.arrays.get(id(array)) if type(array) is list else None
        if index is None:
            raise NeedsReferenceMerge(f"{key} is an array of objects here and not elsewhere")
        by_id, raw_ids = index
        seen: set[str] = set()
        for item in items:
            text = _id_text(item)
            if text in seen:
                raise NeedsReferenceMerge("two objects in one array share an id")
            seen.add(text)
            node = by_id.get(text)
            if node is None:
                self.fill_object(self._new_node(item, text, by_id, raw_ids, array), item, rules)
            else:
                if type(raw_ids[text]) is not type(item["id"]):
                    raise NeedsReferenceMerge("ids equal as text but not as values")
                self.merge_object(node, item, rules)

    @staticmethod
    def _new_node(
        item: dict[str, Any],
        text: str,
        by_id: dict[str, dict[str, Any]],
        raw_ids: dict[str, Any],
        array: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """The array's new object for item, under its id as text (which none there has)."""
        raw = item["id"]
        node = by_id[text] = {"id": raw}
        raw_ids[text] = raw
        array.append(node)
        return node


def _id_text(item: dict[str, Any]) -> str:
    """An array object's id as text, the key it is merged by."""
    if "id" not in item:
        raise NeedsReferenceMerge("an object in an array has no id")
    raw = item["id"]
    if type(raw) is str:
        return raw
    if type(raw) is not int:
        raise NeedsReferenceMerge("an id is neither a string nor an integer")
    return str(raw)


def rule_tree(merge_rules: dict[tuple[str, ...], str]) -> RuleTree:
    """ocdsmerge's merge rules (paths to rules) as a tree the merge walks alongside the data."""
    tree: RuleTree = {}
    for path, rule in sorted(merge_rules.items()):
        level = tree
        for key in path[:-1]:
            if key not in level:
                level[key] = (None, {})
            level = level[key][1]
        existing = level.get(path[-1])
        level[path[-1]] = (rule, existing[1] if existing else {})
    return tree


def merge_compiled(releases: Iterable[dict[str, Any]], rules: RuleTree) -> dict[str, Any]:
    """The compiled release of releases already in merge order (by date, stable).

    The same JSON as ocdsmerge's, though an object's keys may come in another order.
    """
    merge = _Merge()
    merged: dict[str, Any] = {"tag": ["compiled"]}
    for release in releases:
        ocid, date = release.get("ocid"), release.get("date")
        merge.set_value(merged, "id", f"{ocid}-{date}")
        merge.set_value(merged, "date", date)
        merge.set_value(merged, "ocid", ocid)
        if "tag" in release:  # ocdsmerge drops every release's tag before merging
            release = {key: value for key, value in release.items() if key != "tag"}
        merge.merge_object(merged, release, rules)
    return merged
