"""Prints, as JSON, the accessibility tree that the app exposes over AT-SPI (what Orca reads):
each node's role, name, states and value, for tests/e2e/atspi.test.mjs. Debian's python3-pyatspi.
"""
import json
import sys

import pyatspi

APP = sys.argv[1] if len(sys.argv) > 1 else "pypi-recovery-desktop"
KEPT_STATES = {
    pyatspi.STATE_SELECTED: "selected",
    pyatspi.STATE_CHECKED: "checked",
    pyatspi.STATE_FOCUSED: "focused",
    pyatspi.STATE_FOCUSABLE: "focusable",
    pyatspi.STATE_SHOWING: "showing",
    pyatspi.STATE_ENABLED: "enabled",
}


def node(acc, depth):
    states = acc.getState()
    entry = {
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "states": [name for state, name in KEPT_STATES.items() if states.contains(state)],
        "depth": depth,
    }
    try:
        value = acc.queryValue()
        entry["value"] = {"now": value.currentValue, "min": value.minimumValue, "max": value.maximumValue}
    except NotImplementedError:
        pass
    attributes = dict(a.split(":", 1) for a in acc.getAttributes() if ":" in a)
    for kept in ("valuetext", "current"):
        if kept in attributes:
            entry[kept] = attributes[kept]
    return entry


def walk(acc, depth, out):
    if acc is None or depth > 60 or len(out) > 5000:
        return
    try:
        out.append(node(acc, depth))
        children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    except Exception:  # a node that went away while we read it
        return
    for child in children:
        walk(child, depth + 1, out)


desktop = pyatspi.Registry.getDesktop(0)
apps = [a for a in desktop if a is not None and a.name == APP]
if not apps:
    sys.exit(f"{APP} is not on the accessibility bus; seen: {[a.name for a in desktop if a is not None]}")
nodes = []
walk(apps[0], 0, nodes)
json.dump(nodes, sys.stdout)
