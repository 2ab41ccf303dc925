"""Apps meet only through public names: no module uses another app's underscore names (helpers, private
classes), so each app can change its insides without breaking the others."""

import ast
from pathlib import Path

import gongzhi

ROOT = Path(gongzhi.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_app_uses_another_apps_private_names():
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        others = set()  # local names bound to another app's modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongzhi."):
                if node.module.split(".")[1] != app:
                    found += [f"{path}:{node.lineno} {a.name}" for a in node.names if _private(a.name)]
                    others |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                others |= {a.asname or a.name for a in node.names
                           if a.name.startswith("gongzhi.") and a.name.split(".")[1] != app}
        found += [f"{path}:{node.lineno} {node.value.id}.{node.attr}" for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id in others and _private(node.attr)]
    assert not found, found
