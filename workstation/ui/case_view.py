"""The read-only case view (案件查看) for supervisors: the data, versions and deliveries of one case.

Opened from the supervisor's queues (Enter or double-click on a row) and, for supervisors, from the
main case list (Ctrl+Shift+V). Everything is read in one go on the database worker
(:func:`workstation.operations.supervisor.load_case_view`, which checks the role and records the
view in the audit log as a view of personal data) and shown in four tabs:

* **案件信息** — the latest version in readable Chinese, grouped as the 申请书 groups it;
* **材料与核验** — the materials with their scans (a scan deleted under the retention rule says so),
  the identity checks and the print history;
* **版本记录** — every kept version (number, when, who, why); choosing one lists what it changed
  against the version before it, field by field with the fields' titles (old → new);
* **送达记录** — each department leg (state, attempts, times, receipt number, last error, answer)
  and the case's state changes.

Nothing can be edited here. Esc closes; Ctrl+Tab and Ctrl+Shift+Tab switch tabs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from forms import states
from scanning.face.record import Decision
from sync.outbox import LEG_LABELS, LegState
from sync.package import Department
from workstation.case_history import (
    CaseDossier,
    FieldChange,
    answer_lines,
    case_sections,
    version_reason,
)
from workstation.operations import supervisor as ops
from workstation.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequence,
    QLabel,
    QShortcut,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.retention import PHOTOS_PURGED_NOTE, PURGED_MESSAGE
from workstation.session import Session
from workstation.storage.api import Attachment
from workstation.ui.errors import show_error

_PRINT_STATUS = {"printed": "已打印", "failed": "打印失败", "saved": "已保存为文件"}


def _when(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return "—"


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    vertical = table.verticalHeader()
    assert vertical is not None
    vertical.setVisible(False)
    header = table.horizontalHeader()
    assert header is not None
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


def _tree(headers: Sequence[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setColumnCount(len(headers))
    tree.setHeaderLabels(list(headers))
    tree.setAlternatingRowColors(True)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setWordWrap(True)
    return tree


class CaseView(QDialog):
    """A case read-only: data, materials, versions and deliveries, in tabs.

    Signals:
        loaded(object): the :class:`~workstation.case_history.CaseDossier` arrived and is shown.
        failed(object): reading failed (the exception, also shown with ``show_error``).
    """

    loaded = pyqtSignal(object)
    failed = pyqtSignal(object)

    def __init__(
        self, session: Session, case_id: uuid.UUID, *, case_number: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.case_id = case_id
        self.dossier: CaseDossier | None = None
        self.setObjectName("caseView")
        self.setWindowTitle(self.tr("案件查看（只读）") + (f" — {case_number}" if case_number else ""))
        self.resize(1180, 760)
        self._types = {bt.id: bt.name for bt in session.catalog.types}

        self.heading = QLabel(self.tr("正在读取案件…"))
        self.heading.setObjectName("caseHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)

        self.data_tree = _tree((self.tr("项目"), self.tr("内容")), "caseData")
        self.materials = _tree(
            (
                self.tr("材料 / 扫描件"),
                self.tr("必交"),
                self.tr("已收取"),
                self.tr("份数"),
                self.tr("页数"),
                self.tr("说明"),
            ),
            "materials",
        )
        self.checks = _table(
            (
                self.tr("被核验人"),
                self.tr("结论"),
                self.tr("比对距离／阈值"),
                self.tr("核验人"),
                self.tr("放行主管"),
                self.tr("核验时间"),
                self.tr("照片"),
            ),
            "identityChecks",
        )
        self.prints = _table(
            (
                self.tr("时间"),
                self.tr("文书"),
                self.tr("打印机"),
                self.tr("份数"),
                self.tr("结果"),
                self.tr("操作人"),
            ),
            "printHistory",
        )
        materials_tab = QSplitter(Qt.Orientation.Vertical)
        for title, widget in (
            (self.tr("材料及扫描件"), self.materials),
            (self.tr("人证核验"), self.checks),
            (self.tr("打印记录"), self.prints),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(title))
            box_layout.addWidget(widget)
            materials_tab.addWidget(box)

        self.versions = _table(
            (self.tr("版本"), self.tr("保存时间"), self.tr("操作人"), self.tr("原因")), "versions"
        )
        self.versions.itemSelectionChanged.connect(self._version_chosen)
        self.changes = _table((self.tr("字段"), self.tr("原值"), self.tr("新值")), "changes")
        self.changes_label = QLabel(self.tr("选择左侧的一个版本，查看它相对上一版本的改动。"))
        self.changes_label.setWordWrap(True)
        changes_box = QWidget()
        changes_layout = QVBoxLayout(changes_box)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        changes_layout.addWidget(self.changes_label)
        changes_layout.addWidget(self.changes)
        versions_tab = QSplitter()
        versions_tab.addWidget(self.versions)
        versions_tab.addWidget(changes_box)
        versions_tab.setStretchFactor(1, 2)
        versions_tab.setSizes([470, 700])

        self.legs = _tree(
            (
                self.tr("部门"),
                self.tr("状态"),
                self.tr("发送次数"),
                self.tr("提交时间"),
                self.tr("送达时间"),
                self.tr("答复时间"),
                self.tr("回执号"),
            ),
            "legs",
        )
        self.events = _table(
            (self.tr("时间"), self.tr("原状态"), self.tr("新状态"), self.tr("操作人"), self.tr("原因")),
            "events",
        )
        delivery_tab = QSplitter(Qt.Orientation.Vertical)
        for title, widget in ((self.tr("各部门数据包"), self.legs), (self.tr("案件状态变化"), self.events)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(title))
            box_layout.addWidget(widget)
            delivery_tab.addWidget(box)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.addTab(self.data_tree, self.tr("案件信息(&1)"))
        self.tabs.addTab(materials_tab, self.tr("材料与核验(&2)"))
        self.tabs.addTab(versions_tab, self.tr("版本记录(&3)"))
        self.tabs.addTab(delivery_tab, self.tr("送达记录(&4)"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+Tab"), self, self.next_tab, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self, self.previous_tab, context=context)
        QShortcut(QKeySequence("Ctrl+Backtab"), self, self.previous_tab, context=context)

        ops.load_case_view(
            session=session, case_id=case_id, on_done=self.show_dossier, on_error=self._failed, parent=self
        )

    # --------------------------------------------------------------------------- keyboard
    def next_tab(self) -> None:
        """Show the next tab (Ctrl+Tab), wrapping round."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())

    def previous_tab(self) -> None:
        """Show the previous tab (Ctrl+Shift+Tab), wrapping round."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() - 1) % self.tabs.count())

    # --------------------------------------------------------------------------- loading
    def _failed(self, exc: BaseException) -> None:
        self.heading.setText(self.tr("无法打开案件：") + str(exc))
        self.failed.emit(exc)
        show_error(self, exc)

    def show_dossier(self, dossier: CaseDossier) -> None:
        """Fill every tab from what was read."""
        self.dossier = dossier
        case = dossier.case
        type_name = self._types.get(case.business_type, case.business_type)
        number = case.case_number or ""
        self.setWindowTitle(self.tr("案件查看（只读）") + f" — {number}")
        self.heading.setText(
            f"{number}  {type_name}  "
            + self.tr("状态：")
            + states.label(dossier.state)
            + "    "
            + self.tr("本页只读；查看已记入审计日志。")
        )
        self._show_data(dossier, type_name)
        self._show_materials(dossier)
        self._show_versions(dossier)
        self._show_delivery(dossier)
        self.loaded.emit(dossier)

    def _show_data(self, dossier: CaseDossier, type_name: str) -> None:
        self.data_tree.clear()
        for section in case_sections(dossier.case, business_type_name=type_name):
            top = QTreeWidgetItem([section.title, ""])
            for title, value in section.rows:
                child = QTreeWidgetItem([title, value])
                child.setToolTip(1, value)
                top.addChild(child)
            self.data_tree.addTopLevelItem(top)
        self.data_tree.expandAll()
        self.data_tree.resizeColumnToContents(0)

    def _show_materials(self, dossier: CaseDossier) -> None:
        self.materials.clear()
        by_id = {a.id: a for a in dossier.attachments}
        shown: set[str] = set()
        yes_no = {True: self.tr("是"), False: self.tr("否")}
        for material in dossier.case.materials:
            note = self.tr("共享获取") if material.via_data_sharing else ""
            top = QTreeWidgetItem(
                [
                    material.name or material.code,
                    yes_no[material.required],
                    yes_no[material.received],
                    str(material.copies),
                    str(material.pages),
                    note,
                ]
            )
            ids = list(material.attachment_ids) + [
                a.id
                for a in dossier.attachments
                if a.material_code == material.code and a.id not in material.attachment_ids
            ]
            for attachment_id in dict.fromkeys(ids):
                top.addChild(self._attachment_item(dossier, attachment_id, by_id))
                shown.add(attachment_id)
            self.materials.addTopLevelItem(top)
        others = [a for a in dossier.attachments if a.id not in shown]
        if others:
            top = QTreeWidgetItem([self.tr("未归入清单的扫描件"), "", "", "", "", ""])
            for attachment in others:
                top.addChild(self._attachment_item(dossier, attachment.id, by_id))
            self.materials.addTopLevelItem(top)
        self.materials.expandAll()
        self.materials.resizeColumnToContents(0)

        checks = []
        parties = {p.id: p for p in dossier.case.parties}
        for check in dossier.identity_checks:
            party = parties.get(check.party_id)
            record = check.record
            distance = record.get("distance")
            threshold = record.get("threshold")
            measured = (
                f"{float(distance):.3f}／{float(threshold):.3f}"
                if distance is not None and threshold is not None
                else "—"
            )
            purged = dossier.purged_images.get(check.id)
            photos = (
                f"{PHOTOS_PURGED_NOTE}（{purged.astimezone():%Y-%m-%d}）"
                if purged is not None
                else self.tr("本机保存（加密）")
            )
            checks.append(
                [
                    party.name if party is not None else self.tr("（当事人已从案件中删除）"),
                    Decision(check.decision).label,
                    measured,
                    check.user_name or dossier.user_name(check.user_id),
                    check.supervisor_name,
                    _when(check.at),
                    photos,
                ]
            )
        _fill(self.checks, checks)

        titles: dict[str, str] = {}
        if dossier.print_jobs:
            from printing import DOCUMENTS  # loads reportlab: only for a case that was printed

            titles = {doc_id: spec.title for doc_id, spec in DOCUMENTS.items()}
        _fill(
            self.prints,
            [
                [
                    _when(job.at),
                    "、".join(titles.get(d, d) for d in job.documents),
                    job.printer or self.tr("（保存为文件）"),
                    str(job.copies),
                    _PRINT_STATUS.get(job.status, job.status),
                    job.user_name or dossier.user_name(job.user_id),
                ]
                for job in dossier.print_jobs
            ],
        )

    def _attachment_item(
        self, dossier: CaseDossier, attachment_id: str, by_id: Mapping[str, Attachment]
    ) -> QTreeWidgetItem:
        attachment = by_id.get(attachment_id)
        if attachment is None:
            return QTreeWidgetItem(
                [self.tr("扫描件 ") + attachment_id[:8], "", "", "", "", self.tr("本机没有该扫描件")]
            )
        purged = dossier.purged_attachments.get(attachment_id)
        status = (
            f"{PURGED_MESSAGE}（{purged.astimezone():%Y-%m-%d}）"
            if purged is not None
            else self.tr("本机保存（加密），") + _size(attachment.size)
        )
        item = QTreeWidgetItem(
            [
                self.tr("扫描件 ") + f"{attachment_id[:8]} · {_when(attachment.created_at)}",
                "",
                "",
                "",
                str(attachment.pages),
                status,
            ]
        )
        item.setToolTip(5, status)
        return item

    def _show_versions(self, dossier: CaseDossier) -> None:
        rows = [
            [
                str(info.n),
                _when(info.at),
                info.user_name or dossier.user_name(info.user_id),
                version_reason(info.reason),
            ]
            for info, _case in dossier.versions
        ]
        _fill(self.versions, rows)
        if rows:
            self.versions.selectRow(len(rows) - 1)  # the latest version's changes first
        else:
            self.changes_label.setText(self.tr("该案件还没有保存过完整版本（只有草稿）。"))

    def _version_chosen(self) -> None:
        if self.dossier is None:
            return
        rows = {i.row() for i in self.versions.selectedIndexes()}
        if not rows:
            return
        index = min(rows)
        info = self.dossier.versions[index][0]
        changes = self.dossier.changes(index)
        self.show_changes(info.n, changes, first=index == 0)

    def show_changes(self, n: int, changes: Sequence[FieldChange], *, first: bool) -> None:
        """List what version ``n`` changed (``first``: the first version, everything is new)."""
        if first:
            text = self.tr("第 %1 版是第一个版本：以下为其全部内容。").replace("%1", str(n))
        elif changes:
            text = (
                self.tr("第 %1 版相对上一版本改动了 %2 项：")
                .replace("%1", str(n))
                .replace("%2", str(len(changes)))
            )
        else:
            text = self.tr("第 %1 版与上一版本内容相同（只是再次保存）。").replace("%1", str(n))
        self.changes_label.setText(text)
        _fill(self.changes, [[c.title, c.old, c.new] for c in changes])

    def _show_delivery(self, dossier: CaseDossier) -> None:
        self.legs.clear()
        for leg in dossier.legs:
            try:
                department = Department(leg.department).label
            except ValueError:
                department = leg.department
            try:
                state = LEG_LABELS[LegState(leg.state)]
            except ValueError:
                state = leg.state
            top = QTreeWidgetItem(
                [
                    department,
                    state,
                    str(leg.attempts),
                    _when(leg.created_at),
                    _when(leg.delivered_at),
                    _when(leg.answered_at),
                    leg.receipt_no or "—",
                ]
            )
            details = [
                (self.tr("数据包编号"), str(leg.package_id)),
                (self.tr("案件版本"), str(leg.case_version)),
            ]
            if leg.supersedes is not None:
                details.append((self.tr("更正的数据包"), str(leg.supersedes)))
            if leg.last_error:
                details.append((self.tr("最近一次错误"), leg.last_error))
            if leg.answer is not None:
                details += answer_lines(leg.answer)
            for title, value in details:
                child = QTreeWidgetItem([title, value])
                child.setFirstColumnSpanned(False)
                child.setToolTip(1, value)
                top.addChild(child)
            self.legs.addTopLevelItem(top)
        self.legs.expandAll()
        for column in range(self.legs.columnCount()):
            self.legs.resizeColumnToContents(column)

        _fill(
            self.events,
            [
                [
                    _when(e.at),
                    states.label(e.from_state) if e.from_state else "—",
                    states.label(e.to_state),
                    dossier.user_name(e.user_id),
                    e.reason,
                ]
                for e in dossier.events
            ],
        )


__all__ = ["CaseView"]
