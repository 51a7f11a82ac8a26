"""Scan profiles per material type (resolution, colour, duplex …), as data, lockable by policy.

Layers (the app's configuration scheme): built-in ``profiles.json`` < an office's profiles file <
the administrator's policy. A policy entry may set values and ``locked: true``; a locked profile
cannot be changed by the clerk (:meth:`ProfileSet.customise` raises :class:`ProfileLocked`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scanning.documents.model import ColourMode, ScanOptions
from scanning.documents.processing import PipelineSettings
from scanning.errors import ProfileError, ProfileLocked

BUILTIN = Path(__file__).with_name("profiles.json")


class ScanProfile(BaseModel):
    """How one kind of material is scanned."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(title="方案编号")
    title: str = Field(title="方案名称")
    resolution: int = Field(300, ge=75, le=1200, title="分辨率（dpi）")
    colour: ColourMode = Field(ColourMode.AUTO, title="色彩模式")
    duplex: bool = Field(False, title="双面扫描")
    feeder: bool = Field(True, title="使用进纸器")
    split_spreads: bool = Field(False, title="拆分对开页")
    drop_blank: bool = Field(True, title="去除空白页")
    detect_codes: bool = Field(True, title="识别条码和二维码")
    materials: tuple[str, ...] = Field((), title="适用材料")
    locked: bool = Field(False, title="已由管理员锁定")

    def options(self, first_index: int = 0) -> ScanOptions:
        """The device options of this profile."""
        return ScanOptions(
            resolution=self.resolution,
            colour=self.colour,
            feeder=self.feeder,
            duplex=self.duplex,
            first_index=first_index,
        )

    def pipeline(self) -> PipelineSettings:
        """The pipeline settings of this profile."""
        return PipelineSettings(
            split_spreads=self.split_spreads, drop_blank=self.drop_blank, colour=self.colour
        )


class ProfileSet:
    """The profiles in force, by id, in file order."""

    def __init__(self, profiles: list[ScanProfile]) -> None:
        self._profiles = {p.id: p for p in profiles}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._profiles.values())

    def __len__(self) -> int:
        return len(self._profiles)

    def get(self, profile_id: str) -> ScanProfile:
        """The profile ``profile_id``.

        Raises:
            ProfileError: no such profile.
        """
        try:
            return self._profiles[profile_id]
        except KeyError:
            known = "、".join(self._profiles)
            raise ProfileError(f"没有名为“{profile_id}”的扫描方案：请从以下方案中选择：{known}。") from None

    def for_material(self, code: str) -> ScanProfile:
        """The profile for a materials-checklist code (the last profile when none lists it)."""
        for profile in self._profiles.values():
            if code in profile.materials:
                return profile
        return list(self._profiles.values())[-1]

    def customise(self, profile_id: str, **changes: Any) -> ScanProfile:
        """The profile with the clerk's changes (for this scan).

        Raises:
            ProfileLocked: the administrator locked the profile.
            ProfileError: a value is invalid.
        """
        profile = self.get(profile_id)
        if profile.locked and changes:
            field = next(iter(changes))
            title = ScanProfile.model_fields[field].title if field in ScanProfile.model_fields else field
            raise ProfileLocked(
                f"扫描方案“{profile.title}”已由管理员锁定，不能修改“{title}”：如需修改请联系系统管理员。"
            )
        return _validated({**profile.model_dump(), **changes}, profile_id)


def _validated(data: dict[str, Any], where: str) -> ScanProfile:
    try:
        return ScanProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        title = ScanProfile.model_fields[field].title if field in ScanProfile.model_fields else field
        raise ProfileError(
            f"扫描方案“{where}”的“{title}”无效：{first['msg']}。请改正方案文件后重试。"
        ) from exc


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileError(
            f"无法读取扫描方案文件“{Path(path).name}”：请检查文件是否存在且为有效的 JSON。"
        ) from exc
    if not isinstance(data, dict):
        raise ProfileError(f"扫描方案文件“{Path(path).name}”格式不对：顶层应为对象。")
    return data


def load_profiles(path: Path | None = None, policy: dict[str, Any] | Path | None = None) -> ProfileSet:
    """The profiles: built-in ones, then those of ``path`` (same id replaces), then the policy.

    Args:
        path: an office's profiles file (``{"profiles": [...]}``), or ``None``.
        policy: the administrator's policy, ``{"profiles": {id: {field: value, "locked": true}}}``, as a
            dict or a JSON file. Values set there win over everything and ``locked`` makes them final.

    Raises:
        ProfileError: a file or an entry is invalid.
    """
    entries: dict[str, dict[str, Any]] = {}
    for source in (BUILTIN, path):
        if source is None:
            continue
        for raw in _read(Path(source)).get("profiles", []):
            entries[raw.get("id", "")] = {**entries.get(raw.get("id", ""), {}), **raw}
    if policy is not None:
        rules = _read(policy) if isinstance(policy, Path) else policy
        for profile_id, values in rules.get("profiles", {}).items():
            if profile_id not in entries:
                raise ProfileError(f"管理策略中的扫描方案“{profile_id}”不存在：请检查策略文件。")
            entries[profile_id] = {**entries[profile_id], **values}
    return ProfileSet([_validated(e, e.get("id", "?")) for e in entries.values()])
