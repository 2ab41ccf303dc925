"""The sessions and decisions of joint meetings in Excel, for the core engine (gongzhi.core.excel): one row per
session (with its agenda, attendance and decision counts) and one row per decision (with its session's 编号, its
owner unit, deadline, state and outcome), in the user's scope and with the list page's filters.

Both lists import all or nothing (a row with any error means nothing is written), through the sessions services:
- a session row with a blank 编号 plans a new session of a platform the importer manages (平台 by name); a row with
  the 编号 of a session in scope may correct its title and place while it is planned or held, and its minutes
  while it is held; its platform and time are changed on the page, never by import;
- a decision row with a blank 编号 records a decision at a held session (会议编号) the importer manages, given to a
  unit (责任单位, by name or code) the platform may give work to, with a deadline; a row with the 编号 of a
  decision in scope may correct its wording and deadline while it is open.
Columns marked read-only (counts, state, outcome…) are exported for reading and ignored on import."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count
from django.utils import timezone

from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter
from gongzhi.core.excel.books import text as cell_text
from gongzhi.joint.models import Decision, Platform, Session
from gongzhi.joint.policies import sessions as policies
from gongzhi.joint.selectors import sessions as selectors
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionState, SessionState
from gongzhi.registry.models import MemberUnit

SESSION_STATE_ZH = {"planned": "已计划", "held": "已召开", "minuted": "纪要已发布", "cancelled": "已取消"}
DECISION_STATE_ZH = {"open": "待办", "in_progress": "办理中", "done": "已完成", "cancelled": "已取消"}
READ_ONLY = "仅供查看，导入时忽略"


def session_rows(user, params):
    return selectors.filter_sessions(selectors.sessions_for(user), params).annotate(
        n_items=Count("agenda_items", distinct=True), n_present=Count("attendances", distinct=True),
        n_decisions=Count("decisions", distinct=True)).order_by("starts_at", "pk")


def decision_rows(user, params):
    return selectors.filter_decisions(selectors.decisions_for(user), params).order_by("deadline", "pk")


def _parse_time(raw) -> dt.datetime:
    """A session's time: an Excel date-time cell or text such as 2026-03-01 14:30 (local time)."""
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        raise CellError("请同时填写日期和时间，如 2026-03-01 14:30")
    else:
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s+(\d{1,2})[:：时](\d{1,2})分?(?::\d{1,2})?",
                         str(raw).strip())
        try:
            value = dt.datetime(*(int(g) for g in m.groups()))
        except (AttributeError, ValueError):
            raise CellError(f"「{raw}」不是有效时间，请写成 2026-03-01 14:30") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.replace(microsecond=0)


class _Importer(ModelImporter):
    """Shared by both lists: duplicate 编号 refused, rows collected as plans for the part's service."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.new: list[dict] = []
        self.revised: list[dict] = []
        self.unchanged = 0
        self.seen_ids: dict[int, int] = {}

    def _seen(self, rownum: int, pk: int) -> bool:
        if pk in self.seen_ids:
            self.fail(rownum, [("编号", f"与第 {self.seen_ids[pk]} 行重复")])
            return True
        self.seen_ids[pk] = rownum
        return False

    def write(self) -> None:
        self.result.created, self.result.updated, self.result.unchanged = (
            len(self.new), len(self.revised), self.unchanged)
        self.service(self.new, self.revised, actor=self.user)


class SessionImporter(_Importer):
    service = staticmethod(services.import_sessions)

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.platforms: dict[str, list[Platform]] = {}
        for p in selectors.managed_platforms(user):
            for name in {p.name, str(p)}:
                self.platforms.setdefault(name, []).append(p)
        self.visible = {s.pk: s for s in selectors.sessions_for(user)}

    def parse(self, col: Col, raw, rownum: int):
        if col.field == "starts_at":
            return _parse_time(raw)
        if col.field == "platform":
            value = cell_text(raw)
            found = self.platforms.get(value, [])
            if len(found) > 1:
                raise CellError(f"有多个名为「{value}」的平台，无法确定")
            if not found:
                raise CellError(f"找不到平台「{value}」，或不在您的管理范围内")
            return found[0]
        return super().parse(col, raw, rownum)

    def blank_value(self, col: Col):
        return None if col.field in ("id", "platform", "starts_at") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        if parsed.get("id") is not None:
            return self._existing(rownum, parsed)
        if parsed.get("platform") is None:
            errors.append(("平台", "新会议必须填写平台"))
        if parsed.get("starts_at") is None:
            errors.append(("时间", "新会议必须填写时间，如 2026-03-01 14:30"))
        if parsed.get("minutes"):
            errors.append(("会议纪要", "新会议不能填写纪要；会议召开后再填写"))
        if errors:
            return self.fail(rownum, errors)
        self.new.append({k: parsed[k] for k in ("platform", "title", "starts_at", "place")})
        return None

    def _existing(self, rownum: int, parsed: dict) -> None:
        pk = parsed["id"]
        if self._seen(rownum, pk):
            return None
        session = self.visible.get(pk)
        if session is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的会议，或不在您的查看范围内")])
        errors = []
        if "platform" in parsed and parsed["platform"] is not None and parsed["platform"].pk != session.platform_id:
            errors.append(("平台", "已有会议不能更换平台"))
        if "starts_at" in parsed and parsed["starts_at"] is not None \
                and abs((parsed["starts_at"] - session.starts_at).total_seconds()) >= 60:
            errors.append(("时间", "已有会议的时间不能通过导入修改，请在会议页面上操作"))
        if errors:
            return self.fail(rownum, errors)
        row = {"session": session, "title": parsed.get("title", session.title),
               "place": parsed.get("place", session.place),
               "minutes": (parsed["minutes"] or "") if "minutes" in parsed else session.minutes}
        details = (row["title"], row["place"]) != (session.title, session.place)
        minutes = row["minutes"] != session.minutes
        if not (details or minutes):
            self.unchanged += 1
            return None
        if not policies.manages(self.user, session.platform):
            return self.fail(rownum, [("编号", "该会议不在您的管理范围内，不能修改")])
        state = SESSION_STATE_ZH[session.state]
        if details and session.state not in services.SESSION_EDITABLE_STATES:
            errors.append(("会议名称", f"会议「{state}」，名称和地点不能再修改"))
        if minutes and session.state != SessionState.HELD:
            errors.append(("会议纪要", f"会议「{state}」，只有已召开且纪要未发布的会议可以填写纪要"))
        if errors:
            return self.fail(rownum, errors)
        self.revised.append(row)
        return None


class DecisionImporter(_Importer):
    service = staticmethod(services.import_decisions)

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.visible = {d.pk: d for d in selectors.decisions_for(user)}
        self.sessions = {s.pk: s for s in selectors.sessions_for(user)}
        self.owners: dict[int, list[MemberUnit]] = {}  # platform pk → the units its decisions may go to

    def parse(self, col: Col, raw, rownum: int):
        if col.field == "session":
            value = cell_text(raw)
            session = self.sessions.get(int(value)) if value.isdigit() else None
            if session is None:
                raise CellError(f"找不到编号为「{value}」的会议，或不在您的查看范围内")
            return session
        if col.field == "owner_unit":
            return cell_text(raw)  # a name or a code, resolved against the session's platform
        return super().parse(col, raw, rownum)

    def blank_value(self, col: Col):
        return None if col.field in ("id", "session", "owner_unit", "deadline") else ""

    def _unit(self, session, value: str) -> MemberUnit | str:
        """The owner unit named (by name or code), or the error message."""
        if session.platform_id not in self.owners:
            self.owners[session.platform_id] = list(services.owner_units(session.platform))
        found = [u for u in self.owners[session.platform_id] if u.code == value] or \
                [u for u in self.owners[session.platform_id] if u.name == value]
        if len(found) > 1:
            return f"有多个名为「{value}」的单位，请填写单位编码"
        if not found:
            return f"「{value}」不是平台「{session.platform.name}」可以交办的单位（辖区内的单位或区职能部门）"
        return found[0]

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        if parsed.get("id") is not None:
            return self._existing(rownum, parsed)
        session, owner, deadline = parsed.get("session"), parsed.get("owner_unit"), parsed.get("deadline")
        for value, header in ((session, "会议编号"), (owner, "责任单位"), (deadline, "完成时限")):
            if not value:
                errors.append((header, "新决议必须填写此项"))
        if session is not None:
            if not policies.manages(self.user, session.platform):
                errors.append(("会议编号", "该会议不在您的管理范围内"))
            elif session.state != SessionState.HELD:
                errors.append(("会议编号", f"会议「{SESSION_STATE_ZH[session.state]}」，只有已召开的会议可以作出决议"))
            if owner:
                unit = self._unit(session, owner)
                if isinstance(unit, str):
                    errors.append(("责任单位", unit))
                owner = unit
            if deadline and deadline < session.starts_at.date() and deadline < timezone.localdate():
                errors.append(("完成时限", "完成时限不能早于会议日期"))
        if errors:
            return self.fail(rownum, errors)
        self.new.append({"session": session, "text": parsed["text"], "owner_unit": owner, "deadline": deadline})
        return None

    def _existing(self, rownum: int, parsed: dict) -> None:
        pk = parsed["id"]
        if self._seen(rownum, pk):
            return None
        decision = self.visible.get(pk)
        if decision is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的决议，或不在您的查看范围内")])
        errors = []
        if parsed.get("session") is not None and parsed["session"].pk != decision.session_id:
            errors.append(("会议编号", "已有决议不能更换会议"))
        owner = parsed.get("owner_unit")
        if owner and owner not in (decision.owner_unit.code, decision.owner_unit.name):
            errors.append(("责任单位", "已有决议的责任单位不能通过导入更换"))
        if errors:
            return self.fail(rownum, errors)
        row = {"decision": decision, "text": parsed.get("text", decision.text),
               "deadline": parsed.get("deadline") or decision.deadline}
        if (row["text"], row["deadline"]) == (decision.text, decision.deadline):
            self.unchanged += 1
            return None
        if not policies.manages(self.user, decision.session.platform):
            return self.fail(rownum, [("编号", "该决议不在您的管理范围内，不能修改")])
        if decision.state != DecisionState.OPEN:
            return self.fail(rownum, [("决议内容", f"决议「{DECISION_STATE_ZH[decision.state]}」，只有待办的决议可以修改")])
        self.revised.append(row)
        return None


def _choosable(user, model):
    if model is Platform:
        return selectors.managed_platforms(user)
    if model is Session:
        return selectors.sessions_for(user).filter(state=SessionState.HELD)
    return model._default_manager.none()


SESSIONS = ListSpec(
    "joint_sessions", "联席会议", Session, (
        Col("编号", "id", "int", hint="已有会议的编号；新会议留空"),
        Col("平台", "platform", "fk", hint="新会议必填，平台名称", ref=Platform, lookup="name"),
        Col("会议名称", "title", required=True, hint="必填；已召开前后均可修改"),
        Col("时间", "starts_at", "datetime", hint="新会议必填，如 2026-03-01 14:30；已有会议不能修改"),
        Col("地点", "place", required=True, hint="必填"),
        Col("状态", "state", hint=READ_ONLY, value=lambda s: SESSION_STATE_ZH.get(s.state, s.state)),
        Col("议题数", "n_items", value=lambda s: s.n_items),
        Col("签到数", "n_present", value=lambda s: s.n_present),
        Col("决议数", "n_decisions", value=lambda s: s.n_decisions),
        Col("会议纪要", "minutes", hint="会议召开后、纪要发布前可填写"),
    ),
    rows=session_rows,
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("id",),
    importer=SessionImporter,
    choosable=_choosable,
)

DECISIONS = ListSpec(
    "joint_decisions", "联席会议决议", Decision, (
        Col("编号", "id", "int", hint="已有决议的编号；新决议留空"),
        Col("会议编号", "session", "fk", hint="新决议必填，已召开会议的编号", ref=Session, lookup="id"),
        Col("会议", "session_title", value=lambda d: d.session.title),
        Col("会议时间", "session_date", value=lambda d: f"{timezone.localtime(d.session.starts_at):%Y-%m-%d}"),
        Col("议题", "agenda_item", value=lambda d: d.agenda_item.title if d.agenda_item_id else None),
        Col("决议内容", "text", required=True, hint="必填；待办的决议可修改"),
        Col("责任单位", "owner_unit", "fk", hint="新决议必填，单位名称或编码", ref=MemberUnit, lookup="name"),
        Col("完成时限", "deadline", "date", hint="新决议必填，如 2026-04-30"),
        Col("状态", "state", hint=READ_ONLY, value=lambda d: DECISION_STATE_ZH.get(d.state, d.state)),
        Col("办理结果", "outcome", hint=READ_ONLY, value=lambda d: d.outcome or None),
    ),
    rows=decision_rows,
    view=(policies.VIEW,),
    edit=(policies.MANAGE,),
    key=("id",),
    importer=DecisionImporter,
    choosable=_choosable,
)
