"""Storage benchmarks: a draft save against a raw SQLite insert, and search among many cases.

The search database (1,000,000 cases by default) is generated once into ``benchmarks/results/`` and
reused by later runs with the same size; generation writes rows in bulk through the store's own
cipher, so the rows are exactly what the store would write.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from benchmarks.table import Row, median_time
from forms.case import Case, Party, PartyRole
from workstation.config import Settings
from workstation.storage.api import Role
from workstation.storage.crypto import FieldCipher, KeyProtector, SearchKind, key_file_protector
from workstation.storage.models import CaseRow, CaseSearchKeyRow, UserRow
from workstation.storage.store import SqlStore, format_case_number, open_store

RESULTS = Path(__file__).resolve().parent / "results"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅春燕文斌宇浩凯"


def _id_number(rng: random.Random) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    birth = datetime(1950, 1, 1) + timedelta(days=rng.randrange(0, 20000))
    body = f"3301{rng.randrange(1, 99):02d}{birth:%Y%m%d}{rng.randrange(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _case_data(rng: random.Random, number: str, when: datetime) -> tuple[Case, list[tuple[str, str, str]]]:
    people = []
    for role in (PartyRole.RIGHT_HOLDER, PartyRole.OBLIGOR):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        people.append(
            Party(
                role=role,
                name=name,
                id_number=_id_number(rng),
                phone=f"13{rng.randrange(0, 10**9):09d}",
                address=f"浙江省杭州市西湖区文三路{rng.randrange(1, 999)}号",
            )
        )
    unit = (
        f"330106{rng.randrange(0, 999):03d}{rng.randrange(0, 999):03d}"
        f"GB{rng.randrange(0, 99999):05d}F{rng.randrange(0, 10**8):08d}"
    )
    case = Case(
        case_number=number,
        business_type="second_hand_sale",
        parties=people,
        created_at=when,
    )
    case.property.unit_number = unit
    case.property.location = "杭州市西湖区文三路"
    keys = [(p.name, p.id_number, p.phone or "") for p in people]
    return case, keys


def _settings(db: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{db}", office_code="33010601", window_id="01")


def _protector(folder: Path) -> KeyProtector:
    return key_file_protector(folder / "machine.key")


def _open(folder: Path) -> SqlStore:
    folder.mkdir(parents=True, exist_ok=True)
    return open_store(_settings(folder / "yichuang.db"), protector=_protector(folder), data_dir=folder)


def populate(store: SqlStore, count: int, *, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """Bulk-insert ``count`` cases; returns (case number, name, id number, phone) samples."""
    rng = random.Random(seed)
    cipher: FieldCipher = store.cipher
    start = datetime(2025, 1, 1, tzinfo=UTC)
    samples: list[tuple[str, str, str, str]] = []
    batch_cases: list[dict[str, Any]] = []
    batch_keys: list[dict[str, Any]] = []
    with store.engine.begin() as conn:
        uid = conn.execute(
            insert(UserRow).returning(UserRow.id),
            {
                "username": "bench",
                "display_name": "基准",
                "password_hash": "x",
                "role": Role.CLERK.value,
                "active": True,
                "failed_attempts": 0,
                "created_at": start,
            },
        ).scalar_one()
    for i in range(count):
        when = start + timedelta(seconds=30 * i)
        number = format_case_number("33010601", f"{i % 8 + 1:02d}", when, i % 10000 + 1) + f"{i // 10000:03d}"
        case, keys = _case_data(rng, number, when)
        batch_cases.append(
            {
                "id": case.id,
                "case_number": number,
                "business_type": case.business_type,
                "state": "submitted",
                "clerk_id": uid,
                "unit_number": case.property.unit_number,
                "created_at": when,
                "updated_at": when,
                "data": cipher.encrypt(
                    case.model_dump_json().encode(), table="cases", column="data", row=str(case.id)
                ),
            }
        )
        seen: set[tuple[str, bytes]] = set()
        for name, idn, phone in keys:
            for kind, value in (
                (SearchKind.NAME, name),
                (SearchKind.ID_NUMBER, idn),
                (SearchKind.PHONE, phone),
            ):
                digest = cipher.digest(kind, value)
                if digest is not None and (kind.value, digest) not in seen:
                    seen.add((kind.value, digest))
                    batch_keys.append({"case_id": case.id, "kind": kind.value, "digest": digest})
        if i % max(1, count // 200) == 0:
            samples.append((number, keys[0][0], keys[0][1], keys[0][2]))
        if len(batch_cases) >= 20000 or i == count - 1:
            with store.engine.begin() as conn:
                conn.execute(insert(CaseRow), batch_cases)
                conn.execute(insert(CaseSearchKeyRow), batch_keys)
            batch_cases.clear()
            batch_keys.clear()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return samples


def _search_db(count: int) -> tuple[Path, list[tuple[str, str, str, str]]]:
    folder = RESULTS / f"search-{count}"
    marker = folder / "samples.txt"
    if marker.exists():
        lines = marker.read_text(encoding="utf-8").splitlines()
        return folder, [(a, b, c, d) for a, b, c, d in (line.split("\t") for line in lines)]
    if folder.exists():
        for file in folder.iterdir():
            file.unlink()
    store = _open(folder)
    try:
        print(f"  generating {count:,} cases for the search benchmark (once; kept in {folder}) …", flush=True)
        t0 = time.perf_counter()
        samples = populate(store, count)
        print(f"  … done in {time.perf_counter() - t0:.0f} s", flush=True)
    finally:
        store.close()
    marker.write_text("\n".join("\t".join(s) for s in samples), encoding="utf-8")
    return folder, samples


def bench_search(count: int) -> list[Row]:
    """Search by case number, ID number and name against the bare indexed query."""
    folder, samples = _search_db(count)
    store = _open(folder)
    rows: list[Row] = []
    try:
        cipher: FieldCipher = store.cipher
        raw = sqlite3.connect(folder / "yichuang.db")
        kinds = (
            ("case number", 0, None),
            ("ID number", 2, SearchKind.ID_NUMBER),
            ("name", 1, SearchKind.NAME),
        )
        for label, column, kind in kinds:
            values = [s[column] for s in samples[:100]]
            found = [0]

            def run_store(values: list[str] = values, found: list[int] = found) -> None:
                for v in values:
                    found[0] += bool(store.search(v, limit=50))

            def run_bare(values: list[str] = values, kind: SearchKind | None = kind) -> None:
                for v in values:
                    if kind is None:
                        raw.execute(
                            "SELECT id, data FROM cases WHERE case_number >= ? AND case_number < ? LIMIT 50",
                            (v, v + "\uffff"),
                        ).fetchall()
                    else:
                        digest = cipher.digest(kind, v)
                        raw.execute(
                            "SELECT c.id, c.data FROM case_search_keys k JOIN cases c ON c.id = k.case_id "
                            "WHERE k.digest = ? LIMIT 50",
                            (digest,),
                        ).fetchall()

            per_store = median_time(run_store, repeat=5, warmup=1) / len(values)
            per_bare = median_time(run_bare, repeat=5, warmup=1) / len(values)
            if not found[0]:
                raise AssertionError(f"search by {label} found nothing: the benchmark data is wrong")
            rows.append(
                Row(
                    f"search {count:,} cases by {label} (first page, decrypted)",
                    per_store,
                    "bare indexed query",
                    per_bare,
                    target="≤ 5 ms",
                    ok=per_store <= 0.005,
                )
            )
        raw.close()
    finally:
        store.close()
    return rows


def bench_draft_save() -> list[Row]:
    """A draft save (encrypt + UPSERT, synchronous WAL commit) against a raw SQLite insert of that size."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _open(folder / "store")
        try:
            user = store.add_user(
                username="clerk1", display_name="受理员", password="bench-password-1", role=Role.CLERK
            )
            case = store.create_case(business_type="second_hand_sale", user=user)
            rng = random.Random(3)
            full, _ = _case_data(rng, case.case_number or "", datetime.now(UTC))
            data = full.model_dump(mode="json")
            data["property"]["area"] = "89.5a"  # a draft holds what was typed, valid or not
            size = len(str(data).encode())
            draft = median_time(
                lambda: store.save_draft(case.id, data, page="parties", user=user), repeat=200
            )
        finally:
            store.close()
        raw = sqlite3.connect(folder / "raw.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
        payload = os.urandom(size)
        counter = iter(range(10**9))

        def raw_insert() -> None:
            raw.execute("BEGIN")
            raw.execute("INSERT INTO t (id, data) VALUES (?, ?)", (next(counter), payload))
            raw.execute("COMMIT")

        baseline = median_time(raw_insert, repeat=200)
        raw.close()
    return [
        Row(
            "draft save (encrypt + upsert, SQLite WAL)",
            draft,
            "raw SQLite insert, same size",
            baseline,
            target="≤ 10 ms",
            ok=draft <= 0.010,
        )
    ]


def run(*, search_cases: int = 1_000_000) -> list[Row]:
    """All storage rows."""
    rows = bench_draft_save()
    rows += bench_search(search_cases)
    return rows


if __name__ == "__main__":
    from benchmarks.table import render

    print(render(run(search_cases=int(os.environ.get("BENCH_CASES", "100000")))))
