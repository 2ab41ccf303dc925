"""Hot-issue miner (热点问题, ``hot_issue``): group a period's messages into issues and rank them by heat.

Grouping. Each message gets a *place key*: the most specific place name found in its title, else its body
(residential compounds, schools, hospitals, markets, villages ... ending in 小区 / 学校 / 村 / 医院 ...; then
roads and streets ending in 路 / 街 / 大道; administrative prefixes such as "A市A5区" are kept for display
only). Messages are blocked by place key; inside a block they are linked when the cosine similarity of their
character-bigram TF-IDF vectors (place names removed, so that the *problem* is compared) exceeds
``threshold``, and an issue is a connected component of that graph. Messages without a place form one
more block (a group of people with the same problem, e.g. the victims of one lending platform), compared in
row chunks with a stricter ``threshold_no_place``. Blocking keeps the work near-linear in the number of
messages: no dense n × n matrix is built.

Heat index of an issue (all logs natural):

    heat = ln(1 + n) + ln(1 + u) + 0.5 · ln(1 + likes + against) + 0.5 · recency + 0.5 · growth

* n: messages, u: distinct submitters (n when the submitter is unknown);
* likes, against: sums of the messages' like and against votes (both show public attention);
* recency = exp(−days from the issue's last message to the period end / 30), in 0..1;
* growth = max(0, ln((1 + m_recent) / (1 + m_before))), with m_recent the issue's messages in the 30 days
  before the period end and m_before those in the 30 days before that.

The period end defaults to the latest message time.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import normalize

POI_SUFFIXES = (
    "小区|花园|家园|公寓|大厦|广场|新城|新村|山庄|华府|名苑|雅苑|苑|公馆|社区|学校|小学|中学|大学|学院|幼儿园|"
    "医院|卫生院|市场|公园|车站|高铁站|村|工业园|产业园|商城|中心"
)
ROAD_SUFFIXES = "路|街|大道|巷"
_NAME = r"[\u4e00-\u9fa5A-Za-z0-9]"
POI_RE = re.compile(rf"{_NAME}{{1,12}}?(?:{POI_SUFFIXES})")
ROAD_RE = re.compile(rf"{_NAME}{{1,8}}?(?:{ROAD_SUFFIXES})")
ADMIN_RE = re.compile(r"(?:[A-Z]\d*|[\u4e00-\u9fa5]{2,3})(?:省|市|区|县)")
_ADMIN_PREFIX = re.compile(r"^.*?(?:[A-Z]\d*(?:省|市|区|县))+")
_LEADING_ROAD_RE = re.compile(rf"^{_NAME}{{1,6}}?(?:路|大道)")
_SPLIT_RE = re.compile(
    r"[^\u4e00-\u9fa5A-Za-z0-9]+|(?:[A-Z]\d*(?:省|市|区|县))+|反映|关于|投诉|举报|咨询|建议|请问|希望|要求|附近|旁边|"
    r"街道|门口|对面|周边|位于|我们|居民|业主|一个|这个|那个|[在于到是的和与及对了把被从近靠给向让这那我你他她它个号栋不能没要会临沿]"
)
# words that say nothing about the problem
_FILLER_RE = re.compile(r"问题|反映|投诉|关于|请问|咨询|希望|建议|请求|尽快|处理|相关部门|领导|您好|尊敬的|谢谢|业主|居民|小区")
GENERIC_PLACES = {"小区", "社区", "学校", "医院", "市场", "公园", "村", "路", "街", "中心", "广场", "大学", "中学",
                  "小学", "幼儿园", "学院", "马路", "道路", "街道", "本村", "我村", "该小区", "本小区", "我小区"}


@dataclass
class Message:
    id: object
    text: str
    time: datetime | None = None
    title: str = ""
    user: str | None = None
    likes: int = 0
    against: int = 0


@dataclass
class HotIssue:
    rank: int
    heat: float
    title: str
    place: str
    start: datetime | None
    end: datetime | None
    count: int
    users: int
    likes: int
    against: int
    message_ids: list = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["start"] = self.start.isoformat(sep=" ") if self.start else None
        d["end"] = self.end.isoformat(sep=" ") if self.end else None
        return d


_TIME_RE = re.compile(r"(\d{4})\D(\d{1,2})\D(\d{1,2})(?:\D+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")


def parse_time(value) -> datetime | None:
    """datetime from a datetime or strings like "2019/2/28 11:25:05", "2019-02-28" (None if unreadable)."""
    if isinstance(value, datetime):
        return value
    m = _TIME_RE.search(str(value or ""))
    if not m:
        return None
    try:
        return datetime(*(int(g) if g else 0 for g in m.groups()))
    except ValueError:
        return None


def extract_places(text: str) -> list[str]:
    """Place names in a text, most specific kind first (compounds, schools, ... then roads).

    The text is cut at punctuation, administrative units ("A市", "A5区") and words that cannot be part of a
    name ("反映", "关于", "在", "的" ...); in each piece the shortest names ending in a place suffix are taken.
    """
    pieces = [p for p in _SPLIT_RE.split(text or "") if len(p) >= 3]
    out: list[str] = []
    for rx in (POI_RE, ROAD_RE):
        for piece in pieces:
            for m in rx.finditer(piece):
                name = m.group(0)
                if rx is POI_RE:  # "劳动东路魅力之城小区" -> "魅力之城小区"
                    rest = _LEADING_ROAD_RE.sub("", name)
                    name = rest if len(rest) >= 4 else name
                if len(name) < 3 or name in GENERIC_PLACES or name in out:
                    continue
                if not any(name.startswith(o) for o in out):  # "X小区临街" is X小区
                    out.append(name)
    return out


def _admin(text: str) -> str:
    m = re.search(r"(?:[A-Z]\d*(?:省|市|区|县))+", text or "")
    return m.group(0) if m else ""


def heat_index(n: int, users: int, likes: int, against: int, days_since_last: float, recent: int, before: int):
    recency = math.exp(-max(days_since_last, 0.0) / 30.0)
    growth = max(0.0, math.log((1 + recent) / (1 + before)))
    return (math.log1p(n) + math.log1p(users) + 0.5 * math.log1p(max(likes, 0) + max(against, 0))
            + 0.5 * recency + 0.5 * growth)


def _components(X: sp.csr_matrix, threshold: float, chunk: int = 2000) -> np.ndarray:
    """Connected components of the graph 'cosine > threshold' (rows of X are L2-normalised)."""
    n = X.shape[0]
    if n == 1:
        return np.zeros(1, np.int64)
    rows, cols = [], []
    for i in range(0, n, chunk):
        S = (X[i : i + chunk] @ X.T).tocoo()
        keep = S.data > threshold
        rows.append(S.row[keep] + i)
        cols.append(S.col[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    graph = sp.csr_matrix((np.ones(len(r), np.int8), (r, c)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def mine_hot_issues(
    messages: Iterable[Message],
    top: int | None = 5,
    *,
    threshold: float = 0.25,
    threshold_no_place: float = 0.3,
    period_end: datetime | None = None,
    min_count: int = 1,
    progress: Callable[[str], None] | None = None,
) -> list[HotIssue]:
    """Group messages into issues and return them ranked by heat (the ``top`` hottest, or all)."""
    say = progress or (lambda _m: None)
    msgs: Sequence[Message] = list(messages)
    if not msgs:
        return []
    say(f"extracting places from {len(msgs)} messages")
    found = [(extract_places(m.title), extract_places(m.text[:300])) for m in msgs]
    freq = Counter(p for title_places, body_places in found for p in set(title_places + body_places))
    keys, displays, problems = [], [], []
    for m, (title_places, body_places) in zip(msgs, found, strict=True):
        # the title's place mentioned by most messages (noise is rare), else the body's
        places = title_places + body_places
        best = max(title_places or body_places, key=lambda p: freq[p], default="")
        key = best if freq[best] > 1 or title_places else ""
        keys.append(key)
        displays.append((_admin(m.title) or _admin(m.text[:300])) + key if key else "")
        problem = f"{m.title} {m.text[:400]}"
        for p in places:
            problem = problem.replace(p, " ")
        problems.append(normalize(_FILLER_RE.sub(" ", ADMIN_RE.sub(" ", problem))))
    say("vectorising")
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2, max_df=0.5,
                          dtype=np.float32)
    try:
        X = vec.fit_transform(problems).tocsr()
    except ValueError:  # too few messages for min_df / max_df
        X = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), dtype=np.float32).fit_transform(
            [p or "-" for p in problems]).tocsr()
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        blocks[k].append(i)
    say(f"clustering {len(blocks)} place blocks")
    label = np.empty(len(msgs), np.int64)
    next_label = 0
    for k, idx in blocks.items():
        if len(idx) == 1:
            label[idx[0]] = next_label
            next_label += 1
            continue
        comp = _components(X[idx], threshold if k else threshold_no_place)
        label[idx] = comp + next_label
        next_label += int(comp.max()) + 1
    times = [parse_time(m.time) for m in msgs]
    known = [t for t in times if t]
    end = period_end or (max(known) if known else None)
    members: dict[int, list[int]] = defaultdict(list)
    for i, lab in enumerate(label):
        members[int(lab)].append(i)
    say(f"scoring {len(members)} issues")
    issues = []
    for idx in members.values():
        if len(idx) < min_count:
            continue
        ts = [times[i] for i in idx if times[i]]
        users = {msgs[i].user for i in idx if msgs[i].user}
        n_users = len(users) + sum(1 for i in idx if not msgs[i].user)
        likes = sum(int(msgs[i].likes or 0) for i in idx)
        against = sum(int(msgs[i].against or 0) for i in idx)
        if end and ts:
            last = max(ts)
            days = (end - last).total_seconds() / 86400
            recent = sum(1 for t in ts if end - timedelta(days=30) < t <= end)
            before = sum(1 for t in ts if end - timedelta(days=60) < t <= end - timedelta(days=30))
        else:
            days, recent, before = 0.0, 0, 0
        heat = heat_index(len(idx), n_users, likes, against, days, recent, before)
        issues.append((heat, idx, ts, n_users, likes, against))
    issues.sort(key=lambda t: (-t[0], -len(t[1])))
    out = []
    for rank, (heat, idx, ts, n_users, likes, against) in enumerate(issues[:top] if top else issues, start=1):
        out.append(HotIssue(
            rank=rank, heat=round(heat, 4), title=_representative(msgs, idx, X), place=_common(displays, idx),
            start=min(ts) if ts else None, end=max(ts) if ts else None, count=len(idx), users=n_users,
            likes=likes, against=against, message_ids=[msgs[i].id for i in idx],
        ))
    return out


def _common(values: list[str], idx: list[int]) -> str:
    counts = Counter(values[i] for i in idx if values[i])
    return counts.most_common(1)[0][0] if counts else ""


def _representative(msgs: Sequence[Message], idx: list[int], X: sp.csr_matrix) -> str:
    """Title of the message closest to the issue's centroid (the start of its text when it has no title)."""
    if len(idx) > 1:
        sub = X[idx]
        centroid = np.asarray(sub.mean(axis=0)).ravel()
        best = idx[int(np.argmax(sub @ centroid))]
    else:
        best = idx[0]
    m = msgs[best]
    return (m.title or re.sub(r"\s+", " ", m.text)[:40]).strip()
