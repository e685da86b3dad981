"""보조금24 importer: 행정안전부 대한민국 공공서비스 정보 (data portal "gov24 v3") → programs.

Input is JSON saved from the three endpoints, in any mix and order:

* ``serviceList``   – one row per service: 서비스ID, 서비스명, 서비스목적요약, 지원대상, 선정기준,
  지원내용, 신청방법, 신청기한, 상세조회URL, 소관기관명, 소관기관유형, 부서명, 사용자구분,
  서비스분야, 접수기관, 전화문의, 등록일시, 수정일시 …
* ``serviceDetail`` – the same service in full: 서비스목적, 구비서류, 접수기관명, 문의처,
  온라인신청사이트URL, 법령, 자치법규 …
* ``supportConditions`` – 서비스ID plus one key per JA code, ``"Y"`` or null; JA0110/JA0111
  hold ages.

A file is a page object ``{"page", "perPage", "totalCount", "currentCount", "matchCount",
"data": [...]}``, a bare list of rows, or a single row. Each row is classified by its
keys (JA codes → conditions; detail-only keys → detail; otherwise list), so a file that
mixes kinds, or a pre-joined row, still imports. Rows are joined by 서비스ID; where list
and detail disagree the detail wins (it is the longer, curated text). The API has no
region field: the region comes from 소관기관명.

JA code mapping (supportConditions → ``eligibility.rule``)
-----------------------------------------------------------
=================  ==========================================================================
code(s)            rule
=================  ==========================================================================
JA0101 / JA0102    sex [m] / [f], only when exactly one of the two is Y
JA0110 / JA0111    age min / max (만 나이). A min of 0 and a max of 0 or ≥ 99 mean "no bound"
                   (the API's fillers); min > max is a data error → no rule, a note. A
                   range ending below 19 targets children, so it becomes
                   any(age in range, a child in range): the asker is usually the parent.
JA0201–JA0205      income bands 0–50 / 51–75 / 76–100 / 101–200 / over 200 % of 기준중위소득
                   → income_median, max_percent = upper bound of the highest Y band. No rule
                   when no band or every band is Y, or when the over-200 band is Y.
JA0302             flag pregnant = true
JA0303             child, max_age 0 (a newborn or newly adopted child)
JA0326 / JA0327    employment [employed] / [unemployed]; both Y → one rule with both values
JA0328             disability [mild, severe]
JA0403             flag single_parent = true
JA0404             flag lives_alone = true
JA0412             flag owns_home = false
JA0322 / JA0410    "해당사항 없음" of the personal / household group: that group is open
anything else      not expressible in the profile (JA0301, JA0313–JA0320, JA0329, JA0330,
                   JA0401, JA0402, JA0411, JA0413, JA0414, JA11xx …): a Korean note
                   "보조금24 조건: 농업인" in ``notes``, no rule
=================  ==========================================================================

Groups follow the API's own questionnaire: sex, age, income, personal traits (JA03xx)
and household traits (JA04xx). The Y codes of one group are alternatives, so they
combine with ``any``; groups combine with ``all``. A trait group becomes a rule only
when *every* Y code in it can be expressed: "장애인 or 국가보훈대상자" checked as
"장애인" alone would turn away every veteran, and a false "not eligible" hides help,
while a missing rule only leaves the decision to the free-text criteria (which are
the real ones anyway; the codes are a pre-filter). Such a group is kept in ``notes``.

Other choices, and why
----------------------
* provider: 중앙행정기관 and 공공기관 (national agencies such as 국민연금공단) → central;
  지자체 types (광역시도, 시군구, 지방자치단체, 교육청, local public companies) → local;
  a type naming a private body (민간 …) → private. An unknown type is local when the
  name starts with a region, else central.
* region: 전국 for central providers; otherwise the 시도 (and 시군구) that 소관기관명 starts
  with ("서울특별시 강서구" → itself, "경기도교육청" → 경기도), normalised with
  :func:`core.areas.provinces.normalise_region`. A local body whose region cannot be read
  stays 전국 with a note, so the program is not hidden from anyone.
* category: a few words in the service name pick the target-group categories that
  서비스분야 has no equivalent for (장애, 노인, 청년, 한부모, 에너지 …); otherwise
  :data:`FIELD_CATEGORIES` maps 서비스분야 (행정·안전 has no near category and is left
  out on purpose). Other, missing or new values fall back to
  :data:`DEFAULT_CATEGORY` (돌봄, the broadest service category: 생계 would claim a cash
  livelihood benefit) with a note so a curator can fix it.
* valid period: not derived from 신청기한, which is free text; a wrong end date would
  silently drop a program.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO
from urllib.parse import quote

import yaml
from pydantic import ValidationError

from core.areas.provinces import FORMER_NAMES, OFFICIAL_NAMES, normalise_region
from knowledge import messages
from knowledge.profile import Employment, Sex
from knowledge.schema import (
    NATIONWIDE,
    AgeRule,
    AllOf,
    AnyOf,
    Benefit,
    Category,
    ChildRule,
    Condition,
    Contact,
    DisabilityRule,
    Eligibility,
    EmploymentRule,
    FlagRule,
    HowToApply,
    IncomeMedianRule,
    Program,
    Provider,
    SexRule,
    Source,
)

JsonRow = Mapping[str, object]
RowKind = Literal["list", "detail", "conditions"]

GOV24_DETAIL_URL = "https://www.gov.kr/portal/rcvfvrSvc/dtlEx/{service_id}"
GOV24_SOURCE_ID = "gov24"
ID_PREFIX = "gov24_"

# --- row recognition ------------------------------------------------------------------
JA_KEY = re.compile(r"^JA\d{4}$")
# Keys only serviceDetail returns (serviceList has 접수기관/전화문의 instead).
DETAIL_KEYS = frozenset(
    {
        "서비스목적",
        "구비서류",
        "접수기관명",
        "문의처",
        "온라인신청사이트URL",
        "법령",
        "자치법규",
        "행정규칙",
        "공무원확인구비서류",
        "본인확인필요구비서류",
    }
)
# Keys that make a supportConditions row also carry service text (a pre-joined dump).
SERVICE_TEXT_KEYS = DETAIL_KEYS | {
    "서비스목적요약",
    "지원대상",
    "지원내용",
    "상세조회URL",
    "소관기관명",
}

# --- text limits (characters) ---------------------------------------------------------
SUMMARY_LIMIT = 200
DESCRIPTION_LIMIT = 1500
ELIGIBILITY_LIMIT = 400
BENEFIT_LIMIT = 800
STEPS_LIMIT = 600

# --- JA codes -------------------------------------------------------------------------
SEX_CODES: dict[str, Sex] = {"JA0101": "m", "JA0102": "f"}
AGE_MIN_CODE, AGE_MAX_CODE = "JA0110", "JA0111"
AGE_OPEN_MAX = 99  # a maximum at or above this is the API's "no upper limit" filler
ADULT_AGE = 19  # a range ending below this describes a child, not the applicant
# (code, upper bound in % of 기준중위소득); the over-200 band has no upper bound.
INCOME_BANDS: tuple[tuple[str, int], ...] = (
    ("JA0201", 50),
    ("JA0202", 75),
    ("JA0203", 100),
    ("JA0204", 200),
)
INCOME_OPEN_BAND = "JA0205"
INCOME_CODES = frozenset(code for code, _ in INCOME_BANDS) | {INCOME_OPEN_BAND}


@dataclass(frozen=True)
class TraitGroup:
    """A multiple-choice section of supportConditions: Y codes are alternatives."""

    prefix: str
    open_code: str  # "해당사항 없음": the section does not restrict


TRAIT_GROUPS = (TraitGroup("JA03", "JA0322"), TraitGroup("JA04", "JA0410"))

EMPLOYMENT_CODES: dict[str, Employment] = {"JA0326": "employed", "JA0327": "unemployed"}
TRAIT_RULES: dict[str, Condition] = {
    "JA0302": FlagRule(
        kind="flag", text=messages.GOV24_PREGNANT_TEXT, field="pregnant", value=True
    ),
    "JA0303": ChildRule(kind="child", text=messages.GOV24_BIRTH_TEXT, max_age=0),
    "JA0328": DisabilityRule(
        kind="disability", text=messages.GOV24_DISABLED_TEXT, values=["mild", "severe"]
    ),
    "JA0403": FlagRule(
        kind="flag", text=messages.GOV24_SINGLE_PARENT_TEXT, field="single_parent", value=True
    ),
    "JA0404": FlagRule(
        kind="flag", text=messages.GOV24_LIVES_ALONE_TEXT, field="lives_alone", value=True
    ),
    "JA0412": FlagRule(
        kind="flag", text=messages.GOV24_NO_HOUSE_TEXT, field="owns_home", value=False
    ),
}

# --- provider, region, category ---------------------------------------------------------
CENTRAL_TYPES = frozenset({"중앙행정기관", "중앙부처", "공공기관"})
LOCAL_TYPES = frozenset(
    {
        "지자체",
        "지방자치단체",
        "광역시도",
        "광역자치단체",
        "시군구",
        "기초자치단체",
        "교육청",
        "지방공기업",
        "지방출자_출연기관",
        "지방출자출연기관",
    }
)
PRIVATE_TYPE_WORDS = ("민간", "비영리", "사회복지법인")
DISTRICT_SUFFIXES = ("시", "군", "구")
CORPORATE_PREFIX = re.compile(r"^(?:\((?:재|사|주)\)|재단법인|사단법인)\s*")

# Checked against the service name first, in this order: categories 서비스분야 lacks.
NAME_CATEGORIES: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("한부모", "조손"), "한부모"),
    (("장애",), "장애"),
    (("어르신", "노인", "경로당", "노년"), "노인"),
    (("청년",), "청년"),
    (("에너지", "난방", "연탄", "냉방", "전기요금", "가스요금"), "에너지"),
    (("안부", "고독사"), "안부확인"),
    (("긴급", "재난", "재해"), "긴급"),
)
FIELD_CATEGORIES: dict[str, Category] = {
    "생활안정": "생계",
    "주거·자립": "주거",
    "보육·교육": "교육",
    "고용·창업": "고용",
    "보건·의료": "의료",
    "임신·출산": "임신·출산",
    "보호·돌봄": "돌봄",
    "문화·환경": "생계",  # 문화누리카드-style vouchers for daily life
    "농림축산어업": "고용",  # support for farmers' and fishers' livelihood
}
DEFAULT_CATEGORY: Category = "돌봄"

# --- documents --------------------------------------------------------------------------
BULLET = re.compile(r"^(?:[-*•·○●◦▪■□ㆍ]+|\d{1,2}[.)]|[①-⑳]|[가-하][.)])\s*")
NO_DOCUMENT = frozenset({"해당없음", "해당 없음", "없음", "-", "."})


class Gov24FormatError(ValueError):
    """A file is not JSON, or not a 보조금24 page or list of rows."""


@dataclass(frozen=True)
class Gov24Import:
    """The programs built from one import, and the rows that could not become one.

    ``skipped`` holds ``(reason, raw 서비스ID)`` with the reason in Korean.
    """

    programs: list[Program]
    skipped: list[tuple[str, str | None]]
    files: int = 0
    service_rows: int = 0
    condition_rows: int = 0


@dataclass
class _Rows:
    """Rows gathered from every file, keyed by 서비스ID."""

    listed: dict[str, dict[str, object]] = field(default_factory=dict)
    detailed: dict[str, dict[str, object]] = field(default_factory=dict)
    conditions: dict[str, dict[str, object]] = field(default_factory=dict)
    skipped: list[tuple[str, str | None]] = field(default_factory=list)
    service_rows: int = 0
    condition_rows: int = 0

    def service_ids(self) -> list[str]:
        """Ids with service text, in first-seen order (list rows, then detail-only ones)."""
        return list(dict.fromkeys([*self.listed, *self.detailed]))


# --- public API -----------------------------------------------------------------------
def import_gov24(paths: Sequence[Path], fetched: dt.date) -> Gov24Import:
    """Read 보조금24 files and build one program per service.

    ``fetched`` is recorded in every program's source note (when the data was fetched);
    its figures are not marked checked, since no person compared them. Raises
    :class:`Gov24FormatError` for a file that is not a 보조금24 page.
    """
    rows = _Rows()
    for path in paths:
        for row in load_rows(path):
            _collect(rows, row)
    programs: dict[str, Program] = {}
    skipped = list(rows.skipped)
    for service_id in rows.service_ids():
        outcome = _program_or_reason(rows, service_id, fetched, programs.keys())
        if isinstance(outcome, Program):
            programs[outcome.id] = outcome
        else:
            skipped.append((outcome, service_id))
    skipped.extend(
        (messages.GOV24_SKIP_NO_SERVICE, service_id)
        for service_id in rows.conditions
        if service_id not in rows.listed and service_id not in rows.detailed
    )
    return Gov24Import(
        list(programs.values()), skipped, len(paths), rows.service_rows, rows.condition_rows
    )


def write_programs(programs: Iterable[Program], out_dir: Path) -> list[Path]:
    """Write one ``<id>.yaml`` per program (atomically) and return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_write_atomically(out_dir / f"{p.id}.yaml", program_yaml(p)) for p in programs]


def run_import(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    fetched: dt.date | None = None,
    out: TextIO | None = None,
) -> int:
    """``ieum catalog import-gov24``: import, write, print a summary.

    Returns 0 when programs were written, 1 when the files held no importable
    service, 2 when a file could not be read or a program could not be written.
    """
    stream = out or sys.stdout
    try:
        result = import_gov24(paths, fetched or dt.date.today())
    except (OSError, Gov24FormatError) as error:
        print(messages.GOV24_READ_FAILED.format(problem=error), file=sys.stderr)
        return 2
    print(
        messages.GOV24_SUMMARY_READ.format(
            services=result.service_rows, conditions=result.condition_rows, files=result.files
        ),
        file=stream,
    )
    _print_skipped(result.skipped, stream)
    if not result.programs:
        print(messages.GOV24_SUMMARY_NOTHING, file=stream)
        return 1
    try:
        written = write_programs(result.programs, out_dir)
    except OSError as error:
        print(messages.GOV24_READ_FAILED.format(problem=error), file=sys.stderr)
        return 2
    ruled = sum(1 for p in result.programs if p.eligibility.rule is not None)
    print(
        messages.GOV24_SUMMARY_WRITTEN.format(count=len(written), out_dir=out_dir, ruled=ruled),
        file=stream,
    )
    return 0


def program_id_for(service_id: str) -> str:
    """``gov24_`` + the 서비스ID lowercased, every character outside [a-z0-9] as ``_``."""
    return ID_PREFIX + re.sub(r"[^a-z0-9]", "_", service_id.strip().lower())


# --- reading --------------------------------------------------------------------------
def load_rows(path: Path) -> list[JsonRow]:
    """The rows of one file: a page object's ``data``, a bare list, or a single row."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise Gov24FormatError(messages.GOV24_NOT_JSON.format(path=path, detail=error)) from error
    data = payload.get("data", payload) if isinstance(payload, dict) else payload
    if data is None:  # an empty page can come back with "data": null
        return []
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise Gov24FormatError(messages.GOV24_NOT_PAGE.format(path=path))
    return data


def row_kinds(row: JsonRow) -> set[RowKind]:
    """What a row carries, judged by its keys (a pre-joined row can be two kinds)."""
    keys = set(row)
    kinds: set[RowKind] = set()
    if any(JA_KEY.match(key) for key in keys):
        kinds.add("conditions")
        if not keys & SERVICE_TEXT_KEYS:
            return kinds
    kinds.add("detail" if keys & DETAIL_KEYS else "list")
    return kinds


def _collect(rows: _Rows, row: JsonRow) -> None:
    kinds = row_kinds(row)
    is_service = bool(kinds - {"conditions"})
    rows.service_rows += int(is_service)
    rows.condition_rows += int("conditions" in kinds)
    service_id = _line(row.get("서비스ID"))
    if not service_id:
        rows.skipped.append((messages.GOV24_SKIP_NO_ID, None))
        return
    if "conditions" in kinds:
        rows.conditions.setdefault(service_id, {}).update(row)
    for kind, target in (("list", rows.listed), ("detail", rows.detailed)):
        if kind in kinds:
            _update_filled(target.setdefault(service_id, {}), row)


def _program_or_reason(
    rows: _Rows, service_id: str, fetched: dt.date, taken: Collection[str]
) -> Program | str:
    """The service's program, or the Korean reason it cannot become one."""
    info = _merged_info(rows, service_id)
    if not _line(info.get("서비스명")):
        return messages.GOV24_SKIP_NO_NAME
    if program_id_for(service_id) in taken:
        return messages.GOV24_SKIP_DUPLICATE_ID
    try:
        return build_program(service_id, info, rows.conditions.get(service_id), fetched)
    except ValidationError:
        return messages.GOV24_SKIP_INVALID


def _update_filled(target: dict[str, object], row: JsonRow) -> None:
    """Copy the row's non-empty values: a later page must not blank out an earlier one."""
    target.update({key: value for key, value in row.items() if _text(value)})


def _merged_info(rows: _Rows, service_id: str) -> dict[str, object]:
    merged = dict(rows.listed.get(service_id, {}))
    _update_filled(merged, rows.detailed.get(service_id, {}))
    return merged


# --- building a program ---------------------------------------------------------------
def build_program(
    service_id: str,
    info: Mapping[str, object],
    conditions: Mapping[str, object] | None,
    fetched: dt.date,
) -> Program:
    """One catalog program from a service's merged list/detail row and its conditions."""
    name = _line(info.get("서비스명"))
    rule, notes = conditions_rule(conditions)
    provider, region, region_notes = provider_and_region(info)
    category, category_notes = category_for(name, _line(info.get("서비스분야")))
    contact, contact_notes = _contact(info)
    target = _text(info.get("지원대상"))
    criteria = _text(info.get("선정기준"))
    benefit = _text(info.get("지원내용"))
    summary = _shorten(
        _line(info.get("서비스목적요약")) or _line(info.get("서비스목적")) or name, SUMMARY_LIMIT
    )
    sections = [
        (messages.GOV24_SECTION_TARGET, target),
        (messages.GOV24_SECTION_CRITERIA, criteria),
        (messages.GOV24_SECTION_BENEFIT, benefit),
    ]
    return Program(
        id=program_id_for(service_id),
        name=name,
        category=category,
        provider=provider,
        region=region,
        summary=summary,
        description=_shorten(_labelled(sections) or summary, DESCRIPTION_LIMIT),
        eligibility=Eligibility(
            text=_shorten(
                "\n".join(filter(None, (target, criteria)))
                or messages.GOV24_ELIGIBILITY_SEE_SOURCE,
                ELIGIBILITY_LIMIT,
            ),
            rule=rule,
        ),
        benefit=Benefit(text=_shorten(benefit or messages.GOV24_BENEFIT_SEE_SOURCE, BENEFIT_LIMIT)),
        apply=_how_to_apply(info),
        contact=contact,
        sources=[_source(service_id, name, info, fetched)],
        gov24_id=service_id,
        notes=list(dict.fromkeys([*notes, *region_notes, *category_notes, *contact_notes])),
        tests=[],
    )


def _how_to_apply(info: Mapping[str, object]) -> HowToApply:
    where = (
        ", ".join(_parts(info.get("접수기관명")))
        or ", ".join(_parts(info.get("접수기관")))
        or _organisation(info)
        or messages.GOV24_WHERE_FALLBACK
    )
    steps = [
        (messages.GOV24_SECTION_METHOD, ", ".join(_parts(info.get("신청방법")))),
        (messages.GOV24_SECTION_DEADLINE, _line(info.get("신청기한"))),
    ]
    return HowToApply(
        where=where,
        online_url=_url(info.get("온라인신청사이트URL")),
        documents=split_documents(info.get("구비서류")),
        steps=_shorten(_labelled(steps, " / "), STEPS_LIMIT) or None,
    )


def _source(service_id: str, name: str, info: Mapping[str, object], fetched: dt.date) -> Source:
    url = _url(info.get("상세조회URL")) or GOV24_DETAIL_URL.format(
        service_id=quote(service_id, safe="")
    )
    modified = _date(info.get("수정일시"))
    # Figures moved by machine from the API are not checked by a person: no `checked`.
    return Source(
        id=GOV24_SOURCE_ID,
        title=messages.GOV24_SOURCE_TITLE.format(name=name),
        url=url,
        note=messages.gov24_source_note(
            service_id, modified.isoformat() if modified else None, fetched
        ),
    )


def _contact(info: Mapping[str, object]) -> tuple[Contact, list[str]]:
    """The first 문의처 (or 전화문의) entry; further entries become notes."""
    entries = _parts(info.get("문의처")) or _parts(info.get("전화문의"))
    department = " ".join(filter(None, (_organisation(info), _line(info.get("부서명")))))
    fallback = department or messages.GOV24_CONTACT_FALLBACK
    if not entries:
        return Contact(name=fallback), []
    name, phone = split_contact(entries[0])
    others = [messages.gov24_other_contact(" ".join(e.split())) for e in entries[1:]]
    return Contact(name=name or fallback, phone=phone), others


def split_contact(entry: str) -> tuple[str | None, str | None]:
    """'교육부/02-6222-6060' → ('교육부', '02-6222-6060'); a bare number is a phone."""
    entry = " ".join(entry.split())
    name, slash, phone = entry.rpartition("/")
    if slash and any(ch.isdigit() for ch in phone):
        return name.strip() or None, phone.strip()
    if re.fullmatch(r"[\d\s()~,.-]+", entry):
        return None, entry
    return entry, None


# --- supportConditions → rule ---------------------------------------------------------
def conditions_rule(row: Mapping[str, object] | None) -> tuple[Condition | None, list[str]]:
    """The machine rule for a supportConditions row, and notes for what it cannot say."""
    if row is None:
        return None, [messages.GOV24_NOTE_NO_CONDITIONS]
    yes = yes_codes(row)
    age, notes = _age_rule(row)
    parts = [rule for rule in (_sex_rule(yes), age, _income_rule(yes)) if rule is not None]
    for group in TRAIT_GROUPS:
        rule, group_notes = _trait_rule(group, yes)
        if rule is not None:
            parts.append(rule)
        notes.extend(group_notes)
    handled = set(SEX_CODES) | INCOME_CODES
    notes.extend(
        messages.gov24_code_note(code)
        for code in sorted(yes)
        if code not in handled and not any(code.startswith(g.prefix) for g in TRAIT_GROUPS)
    )
    return _all(parts), notes


def yes_codes(row: Mapping[str, object]) -> set[str]:
    """JA codes marked Y (ages are numbers, never flags)."""
    return {
        key
        for key, value in row.items()
        if JA_KEY.match(key)
        and key not in (AGE_MIN_CODE, AGE_MAX_CODE)
        and (value is True or (isinstance(value, str) and value.strip().upper() == "Y"))
    }


def _sex_rule(yes: set[str]) -> Condition | None:
    chosen = [sex for code, sex in SEX_CODES.items() if code in yes]
    if len(chosen) != 1:
        return None
    return SexRule(kind="sex", text=messages.GOV24_SEX_TEXT[chosen[0]], values=chosen)


def _age_rule(row: Mapping[str, object]) -> tuple[Condition | None, list[str]]:
    low, high = _int(row.get(AGE_MIN_CODE)), _int(row.get(AGE_MAX_CODE))
    if low is not None and low <= 0:
        low = None
    if high is not None and (high <= 0 or high >= AGE_OPEN_MAX):
        high = None
    if low is None and high is None:
        return None, []
    if low is not None and high is not None and low > high:
        return None, [messages.GOV24_NOTE_BAD_AGE.format(low=low, high=high)]
    age = AgeRule(kind="age", text=messages.gov24_age_text(low, high), min=low, max=high)
    if high is None or high >= ADULT_AGE:
        return age, []
    child = ChildRule(
        kind="child",
        text=messages.gov24_child_age_text(low, high),
        min_age=low or 0,
        max_age=high,
    )
    return AnyOf(kind="any", of=[age, child]), []


def _income_rule(yes: set[str]) -> Condition | None:
    bounds = [bound for code, bound in INCOME_BANDS if code in yes]
    if not bounds or INCOME_OPEN_BAND in yes:
        return None
    percent = max(bounds)
    return IncomeMedianRule(
        kind="income_median",
        text=messages.gov24_income_text(percent),
        max_percent=percent,
        source=GOV24_SOURCE_ID,
        recognition="livelihood",
    )


def _trait_rule(group: TraitGroup, yes: set[str]) -> tuple[Condition | None, list[str]]:
    codes = sorted(code for code in yes if code.startswith(group.prefix))
    if not codes or group.open_code in codes:
        return None, []
    unmapped = [c for c in codes if c not in TRAIT_RULES and c not in EMPLOYMENT_CODES]
    if unmapped:
        notes = [messages.gov24_code_note(code) for code in unmapped]
        if len(unmapped) < len(codes):
            notes.append(messages.gov24_group_note(codes))
        return None, notes
    leaves = [TRAIT_RULES[code] for code in codes if code in TRAIT_RULES]
    employment = [EMPLOYMENT_CODES[code] for code in codes if code in EMPLOYMENT_CODES]
    if employment:
        # JA0326 and JA0327 together are one question ("일하는 상황"), not two.
        leaves.insert(0, _employment_rule(employment))
    return _any(leaves), []


def _employment_rule(values: list[Employment]) -> EmploymentRule:
    if values == ["employed"]:
        text = messages.GOV24_EMPLOYED_TEXT
    elif values == ["unemployed"]:
        text = messages.GOV24_JOB_SEEKER_TEXT
    else:
        text = messages.GOV24_EMPLOYED_OR_SEEKER_TEXT
    return EmploymentRule(kind="employment", text=text, values=values)


def _any(conditions: list[Condition]) -> Condition | None:
    if len(conditions) <= 1:
        return conditions[0] if conditions else None
    return AnyOf(kind="any", of=conditions)


def _all(conditions: list[Condition]) -> Condition | None:
    if len(conditions) <= 1:
        return conditions[0] if conditions else None
    return AllOf(kind="all", of=conditions)


# --- provider, region, category ---------------------------------------------------------
def provider_and_region(info: Mapping[str, object]) -> tuple[Provider, str, list[str]]:
    """Who runs the service and where it applies, from 소관기관유형 and 소관기관명."""
    organisation = _organisation(info)
    kind = _line(info.get("소관기관유형"))
    region = region_of_organisation(organisation)
    if kind in CENTRAL_TYPES:
        return "central", NATIONWIDE, []
    if any(word in kind for word in PRIVATE_TYPE_WORDS):
        return "private", region or NATIONWIDE, []
    if region:
        return "local", region, []
    if kind in LOCAL_TYPES:
        return "local", NATIONWIDE, [messages.gov24_region_unknown(organisation)]
    return "central", NATIONWIDE, []


def region_of_organisation(organisation: str) -> str | None:
    """'서울특별시 강서구' → itself; '경기도교육청' → '경기도'; '보건복지부' → None."""
    words = CORPORATE_PREFIX.sub("", organisation.strip()).split()
    if not words:
        return None
    whole = normalise_region(words[0])
    if whole in OFFICIAL_NAMES:
        district = words[1] if len(words) > 1 else ""
        if len(district) > 1 and district.endswith(DISTRICT_SUFFIXES):
            return f"{whole} {district}"
        return whole
    # A 시도 glued to the body's name ("서울특별시교육청"); full names only, because a
    # short one would also match "서울시설공단"-like names of unrelated bodies.
    for full in sorted(OFFICIAL_NAMES | FORMER_NAMES.keys(), key=len, reverse=True):
        if words[0].startswith(full):
            return normalise_region(full)
    return None


def category_for(name: str, service_field: str) -> tuple[Category, list[str]]:
    """The catalog category: target-group words in the name, then 서비스분야."""
    for words, category in NAME_CATEGORIES:
        if any(word in name for word in words):
            return category, []
    for part in re.split(r"\|\||,", service_field):
        mapped = FIELD_CATEGORIES.get(part.strip())
        if mapped:
            return mapped, []
    return DEFAULT_CATEGORY, [messages.gov24_field_unknown(service_field)]


# --- field helpers ----------------------------------------------------------------------
def split_documents(value: object) -> list[str]:
    """구비서류 as a list: one item per line, '||' part or top-level comma, bullets removed."""
    items: list[str] = []
    for chunk in re.split(r"\|\||\n", _text(value)):
        for piece in _split_top_level(chunk):
            item = BULLET.sub("", piece.strip()).strip()
            if item and item not in NO_DOCUMENT and item not in items:
                items.append(item)
    return items


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside brackets: '등본(세대원, 1개월 이내), 통장' → 2 items."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{〔【":
            depth += 1
        elif ch in ")]}〕】":
            depth = max(depth - 1, 0)
        if ch in ",、" and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return pieces


def _organisation(info: Mapping[str, object]) -> str:
    return _line(info.get("소관기관명"))


def _parts(value: object) -> list[str]:
    """A '||'-joined multi-value field as its non-empty parts."""
    return [part for part in (_text(p) for p in _text(value).split("||")) if part]


def _labelled(pairs: list[tuple[str, str]], separator: str = "\n\n") -> str:
    return separator.join(f"{label}: {body}" for label, body in pairs if body)


def _text(value: object) -> str:
    """Trimmed text with unified newlines; None, numbers-as-flags and blanks become ''."""
    if value is None or isinstance(value, bool):
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _line(value: object) -> str:
    return " ".join(_text(value).split())


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = max(cut.rfind(" "), cut.rfind("\n"))
    if boundary > limit // 2:
        cut = cut[:boundary]
    return cut.rstrip() + "…"


def _url(value: object) -> str | None:
    """The first http(s) URL in the field; a bare host gets https:// (the API has both)."""
    for token in re.split(r"\|\||\s+", _text(value)):
        if re.match(r"^https?://\S+$", token, re.IGNORECASE):
            return token
        if re.match(r"^[\w-]+(\.[\w-]+)+(/\S*)?$", token, re.ASCII):
            return "https://" + token
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    text = _line(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else None


def _date(value: object) -> dt.date | None:
    """수정일시 as '20251204133104', '2026-05-08' or '2026-04-05 10:00:00'."""
    digits = re.sub(r"\D", "", _text(value))
    if len(digits) < 8:
        return None
    try:
        return dt.datetime.strptime(digits[:8], "%Y%m%d").date()
    except ValueError:
        return None


# --- writing ----------------------------------------------------------------------------
class _CatalogDumper(yaml.SafeDumper):
    """Writes multi-line text as literal blocks so imported files read like curated ones."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CatalogDumper.add_representer(str, _represent_str)


def program_yaml(program: Program) -> str:
    """The YAML text of a program, keys in schema order, unset optional fields left out."""
    data = program.model_dump(mode="python", exclude_none=True)
    return yaml.dump(data, Dumper=_CatalogDumper, allow_unicode=True, sort_keys=False, width=100)


def _write_atomically(path: Path, text: str) -> Path:
    """Write beside the target and rename, so a reader never sees half a file."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def _print_skipped(skipped: list[tuple[str, str | None]], stream: TextIO) -> None:
    if not skipped:
        return
    print(messages.GOV24_SUMMARY_SKIPPED.format(count=len(skipped)), file=stream)
    by_reason: dict[str, list[str | None]] = {}
    for reason, raw_id in skipped:
        by_reason.setdefault(reason, []).append(raw_id)
    for reason, raw_ids in by_reason.items():
        print(messages.gov24_skipped_line(reason, raw_ids), file=stream)
