"""The 税费 page of the new-case wizard: the offline tax-and-fee estimate, live as the clerk types.

The page is a thin view over :func:`forms.tax.estimate`: it parses the wizard's raw data as a
:class:`~forms.case.Case`, estimates with the office's :class:`~forms.tax.TaxSettings` and shows the
line items, the totals per payer, the facts still missing (each jumps to its field, as the review
page's issues do), the alternatives and, for the selected line, the estimator's plain-Chinese
explanation. The figures are an estimate: the tax bureau's assessment binds (taxes-and-fees.md §1).

The estimate runs on the UI thread, :data:`REFRESH_DELAY_MS` after the last edit: parsing and
estimating example A takes ≈ 0.25 ms (``validate_case`` ≈ 0.1 ms, ``estimate`` ≈ 0.15 ms) and the whole
refresh with the redraw of the table ≈ 2 ms (median of 50, offscreen), well below a frame.
"""

from __future__ import annotations

import html
import logging
import time
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from forms.case import Case, PartyRole
from forms.tax import (
    Alternative,
    Estimate,
    NoRuleInForceError,
    TaxError,
    TaxLine,
    TaxSettings,
    TaxSettingsError,
    UnknownBusinessTypeError,
    estimate,
    load_tax_settings,
)
from forms.tax.result import TaxKind
from forms.tax.rulebook import default_rulebook
from forms.validation import validate_case
from workstation.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QShortcut,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTimer,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.session import Session
from workstation.ui.wizard import catalog_view
from workstation.ui.wizard.pages import CasePage
from workstation.ui.wizard.paths import split_path

if TYPE_CHECKING:
    from workstation.ui.wizard.wizard import CaseWizard

_log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 250
"""The estimate is recomputed this long after the last edit."""

FOCUS_TABLE_KEYS = "Ctrl+T"
"""Shortcut that puts the focus on the table of line items."""

COLUMNS = ("税费", "缴纳方", "计税依据(元)", "税率", "金额(元)", "依据")
"""Column headers of the line-item table (the Chinese of taxes-and-fees.md's 税费计算单)."""

_NUMERIC_COLUMNS = (2, 3, 4)
_PAYER_SHORT = {PartyRole.RIGHT_HOLDER: "权利人（买方）", PartyRole.OBLIGOR: "义务人（卖方）"}
_ZERO_COLOUR = "#7a7a7a"
_ESTIMATE_BADGE = (
    "background: #fff3cd; color: #7a5a00; border: 1px solid #e0c46c; border-radius: 3px;"
    " padding: 2px 10px; font-weight: bold;"
)


# ------------------------------------------------------------------------------- Qt-free helpers
_rules_waiting: list[Callable[[], object]] = []
_rules_loading: list[bool] = []
_rules_state = {"failed": False}


def rules_loaded() -> bool:
    """Whether the shipped tax rule tables are loaded (an estimate then runs without parsing YAML)."""
    return default_rulebook.cache_info().currsize > 0


def warm_up_rules(session: Session, on_ready: Callable[[], object] | None = None) -> None:
    """Load the tax rule tables (YAML, ≈ 0.1 s) on the session's executor, once per process.

    The first estimate would otherwise parse them on the UI thread.

    Args:
        session: the running application (its executor does the loading).
        on_ready: called on the UI thread once they are loaded (at once when they already are).
    """
    if rules_loaded():
        if on_ready is not None:
            on_ready()
        return
    if on_ready is not None:
        _rules_waiting.append(on_ready)
    if _rules_loading:
        return
    _rules_loading.append(True)
    session.executor.submit(default_rulebook, on_done=_rules_ready, on_error=_rules_failed)


def _rules_ready(_book: object) -> None:
    _rules_loading.clear()
    callbacks, _rules_waiting[:] = list(_rules_waiting), []
    for callback in callbacks:
        callback()


def _rules_failed(exc: BaseException) -> None:
    # Not fatal: the tax page's estimate loads them again and shows the problem there.
    _rules_loading.clear()
    _rules_state["failed"] = True
    callbacks, _rules_waiting[:] = list(_rules_waiting), []
    _log.warning("tax rules not preloaded: %s", type(exc).__name__)
    for callback in callbacks:
        callback()


def tax_settings_for(settings: object) -> tuple[TaxSettings, str]:
    """The office's tax settings, read from the ``tax_settings_file`` of the app settings when set.

    A broken file does not stop the window: the defaults apply and the warning says why.

    Args:
        settings: the application settings (``tax_settings_file`` is read; tests may pass any object).

    Returns:
        The settings and a Chinese warning ("" when the file was read or none is configured).
    """
    path = getattr(settings, "tax_settings_file", None)
    if not isinstance(path, (str, Path)) or not str(path):
        return TaxSettings(), ""
    try:
        return load_tax_settings(path), ""
    except TaxSettingsError as exc:
        return TaxSettings(), f"办公室税费设置有误，本页暂按默认设置估算，请联系管理员改正：{exc}"


def money(value: Decimal) -> str:
    """Yuan with thousands separators and two decimals: ``20,000.00``."""
    return f"{value:,.2f}"


def rate_text(line: TaxLine) -> str:
    """The rate column: a percentage, 免征 for an exempt tax, 按件/免收 for the registration fee."""
    if line.tax is TaxKind.REGISTRATION_FEE:
        return "按件" if line.rate else "免收"
    if line.rate == 0:
        return "免征"
    return f"{format((line.rate * 100).normalize(), 'f')}%"


def _unwrap(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or ():
        if arg is not type(None):
            return _unwrap(arg) if typing.get_origin(arg) is not None else arg
    return annotation


def field_title(path: str, party_captions: dict[int, str] | None = None) -> str:
    """The Chinese title of a case field path.

    ``parties[0].family_homes_owned`` → ``买受人：张三的家庭住房套数``.

    Args:
        path: the field path.
        party_captions: captions of the parties by index (``买受人：张三``).

    Returns:
        The titles along the path; the path itself when it names no field of the case model.
    """
    model: Any = Case
    titles: list[str] = []
    for part in split_path(path):
        if isinstance(part, int):
            if titles and titles[-1] == Case.model_fields["parties"].title:
                titles[-1] = (party_captions or {}).get(part, f"第 {part + 1} 位当事人")
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return path
        info = model.model_fields[part]
        titles.append(info.title or part)
        annotation = _unwrap(info.annotation)
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        model = annotation
    if len(titles) > 1 and titles[0] in (Case.model_fields["transaction"].title,):
        titles = titles[1:]
    return "的".join(titles) if titles else path


# ------------------------------------------------------------------------------- the page
class TaxPage(CasePage):
    """税费 (预估): the line items, totals, missing facts and alternatives of the case's estimate.

    Attributes:
        tax_settings: the office's settings used for every estimate.
        estimate: the estimate shown (``None`` while the data does not parse or cannot be estimated).
        last_refresh_ms: how long the last refresh took (parse, estimate, redraw).

    Signals:
        estimate_changed(object): the page was redrawn; the new :class:`~forms.tax.Estimate` or ``None``.
    """

    name = "tax"
    sections = ("rule_date",)
    estimate_changed = pyqtSignal(object)

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("税费"))
        self.setSubTitle(
            self.tr("按计税日期有效的规则估算各方应缴税费；选中一行查看计算说明，点击尚缺事实跳到该字段。")
        )
        self.tax_settings, self.settings_warning = tax_settings_for(wizard.session.settings)
        self.estimate: Estimate | None = None
        self.last_refresh_ms = 0.0
        self._selected: tuple[TaxKind, PartyRole] | None = None
        self._case: Case | None = None
        self._captions: dict[int, str] = {}
        self._loading_rules = False
        self._waiting_rules = False

        self.rule_date = QLineEdit()
        self.rule_date.setPlaceholderText(self.tr("如 2026-03-01"))
        self.rule_date.setMaximumWidth(160)
        self.rule_date.setToolTip(self.tr("申报（计税）日期，默认今天；按该日有效的税费规则计算"))
        self.rule_date.setProperty("baseToolTip", self.rule_date.toolTip())
        date_hint = QLabel(self.tr("默认今天，可改为申报日期；按该日有效的规则计算。"))
        date_hint.setStyleSheet(f"color: {_ZERO_COLOUR};")
        self.badge = QLabel(self.tr("预估"))
        self.badge.setObjectName("taxEstimateBadge")
        self.badge.setStyleSheet(_ESTIMATE_BADGE)
        self.badge.setToolTip(self.tr("本页金额为估算，以税务机关核定为准"))
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("计税日期")), 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.bind(self.rule_date, "rule_date"), 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(date_hint, 0, Qt.AlignmentFlag.AlignTop)
        header.addStretch(1)
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)

        self.warning = QLabel(self.settings_warning)
        self.warning.setObjectName("taxSettingsWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a6d00;")
        self.warning.setVisible(bool(self.settings_warning))

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("taxLines")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("税费", "column"),
                self.tr("缴纳方"),
                self.tr("计税依据(元)"),
                self.tr("税率"),
                self.tr("金额(元)"),
                self.tr("依据"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        if vertical is not None:
            vertical.hide()
            vertical.setDefaultSectionSize(24)
        horizontal = self.table.horizontalHeader()
        if horizontal is not None:
            # Sized once per redraw (ResizeToContents would re-measure on every cell set: ~10 ms).
            horizontal.setStretchLastSection(True)
        self.table.setToolTip(
            self.tr("税费明细：Tab 或 %1 进入，↑↓ 选择一行查看计算说明，回车下一页").replace(
                "%1", FOCUS_TABLE_KEYS
            )
        )
        self.table.currentCellChanged.connect(self._line_selected)
        focus_table = QShortcut(QKeySequence(FOCUS_TABLE_KEYS), self)
        focus_table.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        focus_table.activated.connect(self.focus_table)

        self.totals = QLabel()
        self.totals.setObjectName("taxTotals")
        self.totals.setWordWrap(True)
        self.totals.setTextFormat(Qt.TextFormat.RichText)

        self.missing_title = QLabel()
        self.missing_title.setObjectName("taxMissingTitle")
        self.missing_title.setWordWrap(True)
        self.missing = QListWidget()
        self.missing.setObjectName("taxMissing")
        self.missing.setWordWrap(True)
        self.missing.setToolTip(self.tr("单击或回车跳转到该字段；补齐后估算方为确定"))
        self.missing.itemClicked.connect(self._jump)
        self.missing.installEventFilter(self)

        self.alternatives_title = QLabel(self.tr("备选计算（不计入合计）："))
        self.alternatives = QListWidget()
        self.alternatives.setObjectName("taxAlternatives")
        self.alternatives.setWordWrap(True)
        self.alternatives.setMaximumHeight(72)
        self.alternatives.currentItemChanged.connect(self._alternative_selected)

        self.explanation = QTextBrowser()
        self.explanation.setObjectName("taxExplanation")
        self.explanation.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.explanation.setOpenLinks(False)

        self.notes = QLabel()
        self.notes.setObjectName("taxNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {_ZERO_COLOUR};")
        self.disclaimer = QLabel(self.tr("以上为预估，仅供参考；应缴税费以税务机关核定为准。"))
        self.disclaimer.setStyleSheet("color: #7a5a00;")

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.missing_title)
        side_layout.addWidget(self.missing, 1)
        side_layout.addWidget(self.alternatives_title)
        side_layout.addWidget(self.alternatives)
        side_layout.addStretch(0)
        explained = QWidget()
        explained_layout = QVBoxLayout(explained)
        explained_layout.setContentsMargins(0, 0, 0, 0)
        explained_layout.addWidget(QLabel(self.tr("计算说明")))
        explained_layout.addWidget(self.explanation, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(side)
        bottom.addWidget(explained)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 5)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.totals)
        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(upper)
        body.addWidget(bottom)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.warning)
        layout.addWidget(body, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.disclaimer)
        layout.addWidget(self.page_issues)
        self.setTabOrder(self.rule_date, self.table)
        self.setTabOrder(self.table, self.missing)
        self.setTabOrder(self.missing, self.alternatives)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        wizard.binder.edited.connect(self._edited)

    # --------------------------------------------------------------------------- wizard hooks
    def _rules_arrived(self) -> None:
        """The rule tables are loaded (or failed to load: the estimate then reports it)."""
        self._loading_rules = False
        waiting, self._waiting_rules = self._waiting_rules, False
        if waiting and self.case_wizard.currentPage() is self:
            self.refresh()

    def _edited(self, _path: str) -> None:
        """Estimate again after an edit on this page; other pages' edits wait until it is shown."""
        if self.case_wizard.currentPage() is self:
            self.timer.start()

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Fill in today's date when none is set, then estimate at once."""
        if self.data.get("rule_date") in (None, ""):
            self.data["rule_date"] = date.today().isoformat()
            self.case_wizard.binder.refill("rule_date")
            self.case_wizard.binder.edited.emit("rule_date")
        self.refresh()

    def input_widgets(self) -> list[QWidget]:
        """Only the date takes Enter to move on (the table and lists are read, not filled in)."""
        return [self.rule_date] if self.rule_date.isVisible() and self.rule_date.isEnabled() else []

    def first_field(self) -> QWidget | None:
        """The date (the only field filled in here)."""
        fields = self.input_widgets()
        return fields[0] if fields else None

    def focus_table(self) -> None:
        """Focus the line items (selecting the first when none is)."""
        self.table.setFocus()
        if self.table.currentRow() < 0 and self.table.rowCount():
            self.table.setCurrentCell(0, 0)

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt override
        """Enter on a missing fact jumps to its field (instead of paging on)."""
        if (
            watched is self.missing
            and event is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            item = self.missing.currentItem()
            if item is not None:
                self._jump(item)
                return True
        return super().eventFilter(watched, event)

    # --------------------------------------------------------------------------- estimating
    def refresh(self) -> Estimate | None:
        """Parse the raw data, estimate and redraw; returns the estimate (``None`` when there is none)."""
        self.timer.stop()
        started = time.perf_counter()
        result = self._estimate()
        self.last_refresh_ms = (time.perf_counter() - started) * 1000
        self.estimate_changed.emit(result)
        return result

    def _estimate(self) -> Estimate | None:
        if not self.case_wizard.business_type():
            self._show_blocked(self.tr("请先在第一页选择业务类型。"), [])
            return None
        if not rules_loaded() and not _rules_state["failed"]:
            if not self._loading_rules:
                self._loading_rules = True
                warm_up_rules(self.case_wizard.session, self._rules_arrived)
            if not rules_loaded() and not _rules_state["failed"]:  # threaded: estimate on arrival
                self._waiting_rules = True
                self._show_blocked(self.tr("正在载入税费规则…"), [])
                return None
        report = validate_case(self.data)  # does not change its input: no copy needed
        case = report.case
        if case is None:
            blocking = [i for i in report.errors if i.code.startswith("schema.")] or report.errors
            self._show_blocked(
                self.tr("尚不能识别，暂不估算（单击跳转改正）："),
                [(i.path, i.message) for i in blocking],
            )
            return None
        try:
            result = estimate(
                case, self.tax_settings, catalog_fee=self.case_wizard.session.catalog.fee_for(case)
            )
        except TaxError as exc:
            path = "business_type" if isinstance(exc, UnknownBusinessTypeError) else "rule_date"
            if not isinstance(exc, (UnknownBusinessTypeError, NoRuleInForceError)):
                path = ""
            self._show_blocked(self.tr("暂不能估算（单击跳转改正）："), [(path, str(exc))])
            return None
        self._show(result, case)
        return result

    def _show_blocked(self, title: str, items: list[tuple[str, str]]) -> None:
        """Clear the figures (never show stale ones) and list what stops the estimate."""
        self.estimate = None
        self._case = None
        self.table.setRowCount(0)
        self.totals.setText(self.tr("合计：—（补齐或改正下列内容后显示）"))
        self._fill_missing(title, items, error=True)
        self.alternatives.clear()
        self.alternatives_title.hide()
        self.alternatives.hide()
        self.explanation.setHtml(
            "<p style='color:#555'>"
            + html.escape(self.tr("金额暂不显示：请先改正左侧所列内容，改正后自动重新估算。"))
            + "</p>"
        )
        self.notes.hide()

    def _show(self, result: Estimate, case: Case) -> None:
        self.estimate = result
        self._case = case
        labels = self.case_wizard.role_labels()
        self._captions = {
            index: catalog_view.party_caption(labels, party.model_dump(mode="json"))
            for index, party in enumerate(case.parties)
        }
        blocked = self.table.blockSignals(True)
        self.table.setRowCount(len(result.lines))
        for row, line in enumerate(result.lines):
            cells = (
                line.tax.label,
                self.payer_text(line),
                money(line.base),
                rate_text(line),
                money(line.amount),
                line.source,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in _NUMERIC_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == len(cells) - 1:
                    item.setToolTip(text)
                if line.amount == 0:
                    item.setForeground(QBrush(QColor(_ZERO_COLOUR)))
                self.table.setItem(row, column, item)
        self.table.blockSignals(blocked)
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)
        self.totals.setText(self._totals_html(result))
        if result.missing:
            self._fill_missing(
                self.tr("尚缺事实（单击跳转到该字段）："),
                [(m.path, m.message) for m in result.missing],
                error=False,
            )
        else:
            self._fill_missing(self.tr("估算所需事实已齐全。"), [], error=False)
        self.alternatives.clear()
        for alternative in result.alternatives:
            choice = QListWidgetItem(
                f"{alternative.label}：{alternative.line.tax.label} {money(alternative.line.amount)} 元"
            )
            self.alternatives.addItem(choice)
        self.alternatives_title.setVisible(bool(result.alternatives))
        self.alternatives.setVisible(bool(result.alternatives))
        self.notes.setText("\n".join(result.notes))
        self.notes.setVisible(bool(result.notes))
        row = 0
        if self._selected is not None:
            keys = [(ln.tax, ln.payer) for ln in result.lines]
            row = keys.index(self._selected) if self._selected in keys else 0
        if result.lines:
            self.table.setCurrentCell(row, 0)
            self._explain_line(result.lines[row])

    def _fill_missing(self, title: str, items: list[tuple[str, str]], *, error: bool) -> None:
        self.missing_title.setText(title)
        self.missing_title.setStyleSheet("color: #c62828;" if error else "")
        self.missing.clear()
        for path, message in items:
            item = QListWidgetItem(("✖ " if error else "• ") + message)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setForeground(Qt.GlobalColor.darkRed if error else Qt.GlobalColor.darkYellow)
            self.missing.addItem(item)
        self.missing.setVisible(bool(items))

    # --------------------------------------------------------------------------- texts
    def payer_text(self, line: TaxLine) -> str:
        """``买受人：张三、李四``: the catalog's role label of the payers and their names."""
        return self._payer_caption(line.payer, line.payer_ids)

    def _payer_caption(self, role: PartyRole, ids: tuple[str, ...]) -> str:
        case = self._case
        parties = [p for p in (case.party(i) for i in ids) if p is not None] if case else []
        if not parties:
            return _PAYER_SHORT.get(role, role.value)
        labels = self.case_wizard.role_labels()
        role_label = labels.get(parties[0].id) or _PAYER_SHORT.get(role, role.value)
        names = "、".join(p.name.strip() or "（未填姓名）" for p in parties)
        return f"{role_label}：{names}"

    def _totals_html(self, result: Estimate) -> str:
        totals = result.totals
        parts: list[str] = []
        for role in (PartyRole.RIGHT_HOLDER, PartyRole.OBLIGOR):
            lines = [ln for ln in result.lines if ln.payer == role]
            if not lines:
                continue
            ids = tuple(dict.fromkeys(i for ln in lines for i in ln.payer_ids))
            caption = html.escape(self._payer_caption(role, ids))
            amount = f"<b>{money(totals[role.value])}</b>"
            parts.append(self.tr("%1 合计 %2 元").replace("%1", caption).replace("%2", amount))
        grand = self.tr("总计 %1 元").replace("%1", money(totals["total"]))
        parts.append(f"<b>{grand}</b>")
        return "　│　".join(parts)

    def _line_selected(self, row: int, _column: int, _old_row: int, _old_column: int) -> None:
        if self.estimate is None or not 0 <= row < len(self.estimate.lines):
            return
        line = self.estimate.lines[row]
        self._selected = (line.tax, line.payer)
        self._explain_line(line)

    def _alternative_selected(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None or self.estimate is None:
            return
        index = self.alternatives.row(item)
        if 0 <= index < len(self.estimate.alternatives):
            self._explain_alternative(self.estimate.alternatives[index])

    def _explain_line(self, line: TaxLine, heading: str = "") -> None:
        depends = "、".join(dict.fromkeys(field_title(p, self._captions) for p in line.depends_on))
        rule_label = self.tr("规则：")
        source_label = self.tr("依据：")
        parts = [
            f"<p><b>{html.escape(heading or line.tax.label)}</b>"
            f"　{html.escape(self.payer_text(line))}　"
            + self.tr("金额 %1 元").replace("%1", f"<b>{money(line.amount)}</b>")
            + "</p>",
            f"<p>{html.escape(line.explanation)}</p>",
            f"<p style='color:#555'>{html.escape(rule_label)}{html.escape(line.rule)}<br>"
            f"{html.escape(source_label)}{html.escape(line.source)}</p>",
        ]
        if depends:
            parts.append(
                "<p style='color:#555'>"
                + html.escape(self.tr("取决于：%1（改动这些事实，估算随之更新）").replace("%1", depends))
                + "</p>"
            )
        self.explanation.setHtml("".join(parts))

    def _explain_alternative(self, alternative: Alternative) -> None:
        heading = alternative.label + self.tr("（备选，不计入合计）")
        self._explain_line(alternative.line, heading=heading)

    def explanation_text(self) -> str:
        """The explanation shown (plain text)."""
        return self.explanation.toPlainText()

    def _jump(self, item: QListWidgetItem) -> None:
        path = str(item.data(Qt.ItemDataRole.UserRole) or "")
        if path:
            self.case_wizard.jump_to(path)
