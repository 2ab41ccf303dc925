#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po file from a JSON object {msgid: msgstr} (the .po stays the one source).

Usage: python scripts/fill_po.py gongzhi/locale/zh_Hans/LC_MESSAGES/django.po < translations.json
Prints the msgids still untranslated. Handles single-line and multi-line msgid/msgstr; plural entries get the
same text in msgstr[0] (Chinese has one plural form).
"""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def main(path):
    mapping = json.load(sys.stdin)
    blocks = open(path, encoding="utf-8").read().split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        try:
            i = next(k for k, ln in enumerate(lines) if ln.startswith("msgid "))
        except StopIteration:
            out.append(block)
            continue
        j = i + 1
        while j < len(lines) and lines[j].startswith('"'):
            j += 1
        msgid = unquote([lines[i][6:]] + lines[i + 1 : j])
        if not msgid:
            out.append(block)
            continue
        k = next((n for n, ln in enumerate(lines) if re.match(r"msgstr(\[0\])? ", ln)), None)
        if k is None:
            out.append(block)
            continue
        m = k + 1
        while m < len(lines) and lines[m].startswith('"'):
            m += 1
        current = unquote([lines[k].split(" ", 1)[1]] + lines[k + 1 : m])
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        if (not current or fuzzy) and msgid in mapping:
            key = lines[k].split(" ", 1)[0]
            lines[k:m] = [f"{key} {quote(mapping[msgid])}"]
            lines = [ln.replace(", fuzzy", "") if ln.startswith("#,") else ln for ln in lines]
            lines = [ln for ln in lines if ln.strip() not in ("#", "#,") and not ln.startswith("#| ")]
        elif not current or fuzzy:
            missing.append(msgid)
        out.append("\n".join(lines))
    open(path, "w", encoding="utf-8").write("\n\n".join(out))
    for msgid in missing:
        print(msgid)


if __name__ == "__main__":
    main(sys.argv[1])
