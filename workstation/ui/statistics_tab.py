"""统计 tab of the supervisor workspace: charts over a date range, export to CSV and Excel (issue 8).

A date range picker (the last 30 days by default) and five charts: cases per day by clerk and by
business type (stacked bars), handling time at the window per clerk (median and 90th percentile, first
keystroke to submit), delivery and answer time per department, and the backlog of undelivered legs at
the end of each day. The figures come from :mod:`workstation.statistics` (Qt-free); export writes the
same tables (CSV with a byte-order mark, or an Excel workbook with one sheet per table) and is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from sync.package import Department
from workstation.operations import reports as ops
from workstation.qt import (
    QDate,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPainter,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.qt_charts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from workstation.session import Session
from workstation.statistics import DayRange, DeliveryTimes, Statistics
from workstation.ui.errors import show_error

DEFAULT_DAYS = 30
"""The range shown first: the last 30 days."""

MAX_SERIES = 8
"""Clerks or business types drawn separately; the rest are summed as 其他."""


def _axes(chart: QChart, series: object, categories: Sequence[str], unit: str, top: float) -> None:
    x = QBarCategoryAxis()
    x.append(list(categories))
    x.setTruncateLabels(False)
    if len(categories) > 12:
        x.setLabelsAngle(-90)
    y = QValueAxis()
    y.setRange(0, max(1.0, top * 1.1))
    y.setLabelFormat("%.0f" if top >= 10 else "%.1f")
    y.setTitleText(unit)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)  # type: ignore[attr-defined]
    series.attachAxis(y)  # type: ignore[attr-defined]


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    legend = chart.legend()
    if legend is not None:
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


class StatisticsTab(QWidget):
    """Charts of a date range and their export.

    Signals:
        loaded(object): a :class:`~workstation.statistics.Statistics` is shown.
        exported(object): a file was written (its :class:`~pathlib.Path`).
    """

    loaded = pyqtSignal(object)
    exported = pyqtSignal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.statistics: Statistics | None = None
        self.setObjectName("statisticsTab")
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-(DEFAULT_DAYS - 1)))
        self.end = QDateEdit(today)
        for edit, name in ((self.start, "statsStart"), (self.end, "statsEnd")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        run = QPushButton(self.tr("统计(&T)"))
        run.setObjectName("statsRun")
        run.clicked.connect(lambda _c=False: self.refresh())
        self.csv_button = QPushButton(self.tr("导出 CSV(&C)…"))
        self.csv_button.setObjectName("statsCsv")
        self.csv_button.clicked.connect(lambda _c=False: self.export(".csv"))
        self.xlsx_button = QPushButton(self.tr("导出 Excel(&X)…"))
        self.xlsx_button.setObjectName("statsXlsx")
        self.xlsx_button.clicked.connect(lambda _c=False: self.export(".xlsx"))
        self.summary = QLabel()
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("从：")))
        bar.addWidget(self.start)
        bar.addWidget(QLabel(self.tr("到：")))
        bar.addWidget(self.end)
        bar.addWidget(run)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.xlsx_button)
        self.views: dict[str, QChartView] = {}
        grid = QGridLayout()
        for index, key in enumerate(("by_clerk", "by_type", "handling", "delivery", "backlog")):
            view = QChartView()
            view.setObjectName(f"chart_{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(360)
            self.views[key] = view
            grid.addWidget(view, index // 2, index % 2)
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self._buttons()

    def chosen_range(self) -> DayRange:
        """The range the pickers describe."""
        return DayRange(self.start.date().toPyDate(), self.end.date().toPyDate())

    def refresh(self) -> None:
        """Compute the statistics of the chosen range (off the UI thread)."""
        days = self.chosen_range()
        try:
            days.check()
        except ValueError as exc:
            self.summary.setText(str(exc))
            return
        self.summary.setText(self.tr("正在统计…"))
        ops.load_statistics(
            session=self.session, days=days, on_done=self.show_statistics, on_error=self._failed, parent=self
        )

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("")
        show_error(self, exc)

    def _buttons(self) -> None:
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(self.statistics is not None)

    # --------------------------------------------------------------------------- charts
    def show_statistics(self, result: Statistics) -> None:
        """Draw the charts of a result."""
        self.statistics = result
        overall = result.handling[-1]
        median = f"{overall.median / 60:.1f}" if overall.median is not None else "—"
        p90 = f"{overall.p90 / 60:.1f}" if overall.p90 is not None else "—"
        self.summary.setText(
            self.tr(
                "%1 至 %2：受理 %3 件；窗口办理时长中位数 %4 分钟，90%分位 %5 分钟（%6 件有首次录入时间）。"
            )
            .replace("%1", result.range.start.isoformat())
            .replace("%2", result.range.end.isoformat())
            .replace("%3", str(result.total_cases))
            .replace("%4", median)
            .replace("%5", p90)
            .replace("%6", str(overall.count))
        )
        days = [d.strftime("%m-%d") for d in result.range.days]
        self._stacked(
            "by_clerk", self.tr("每日受理量（按受理人）"), result, result.by_clerk, days, names=None
        )
        self._stacked(
            "by_type",
            self.tr("每日受理量（按业务类型）"),
            result,
            result.by_type,
            days,
            names=result.type_name,
        )
        self._handling(result)
        self._delivery(result)
        self._backlog(result, days)
        self._buttons()
        self.loaded.emit(result)

    def _stacked(
        self,
        key: str,
        title: str,
        result: Statistics,
        rows: Sequence[tuple[date, str, int]],
        days: list[str],
        names: Callable[[str], str] | None,
    ) -> None:
        keys, series = result.per_day(rows)
        if len(keys) > MAX_SERIES:
            rest = keys[MAX_SERIES - 1 :]
            other = [sum(series[k][i] for k in rest) for i in range(len(days))]
            keys = [*keys[: MAX_SERIES - 1], "其他"]
            series = {**series, "其他": other}
        chart = _chart(title)
        bars = QStackedBarSeries()
        for k in keys:
            bar = QBarSet(names(k) if names is not None and k != "其他" else k)
            bar.append([float(v) for v in series[k]])
            bars.append(bar)
        chart.addSeries(bars)
        totals = [sum(series[k][i] for k in keys) for i in range(len(days))]
        _axes(chart, bars, days, self.tr("件"), float(max(totals, default=0)))
        self.views[key].setChart(chart)

    def _handling(self, result: Statistics) -> None:
        chart = _chart(self.tr("窗口办理时长（首次录入至提交，分钟）"))
        rows = list(result.handling)
        labels = [h.key or "合计" for h in rows]
        series = QBarSeries()
        top = 0.0
        for name, attr in ((self.tr("中位数"), "median"), (self.tr("90%分位"), "p90")):
            bar = QBarSet(name)
            values = [(getattr(h, attr) or 0.0) / 60 for h in rows]
            top = max([top, *values])
            bar.append(values)
            series.append(bar)
        chart.addSeries(series)
        _axes(chart, series, labels, self.tr("分钟"), top)
        self.views["handling"].setChart(chart)

    def _delivery(self, result: Statistics) -> None:
        chart = _chart(self.tr("各部门送达与答复时长（小时）"))
        labels = [Department(t.department).label for t in result.delivery]
        series = QBarSeries()
        top = 0.0
        picks: tuple[tuple[str, Callable[[DeliveryTimes], float | None]], ...] = (
            (self.tr("送达中位数"), lambda t: t.delivered.median),
            (self.tr("送达90%分位"), lambda t: t.delivered.p90),
            (self.tr("答复中位数"), lambda t: t.answered.median),
        )
        for name, pick in picks:
            bar = QBarSet(name)
            values = [(pick(t) or 0.0) / 3600 for t in result.delivery]
            top = max([top, *values])
            bar.append(values)
            series.append(bar)
        chart.addSeries(series)
        _axes(chart, series, labels, self.tr("小时"), top)
        self.views["delivery"].setChart(chart)

    def _backlog(self, result: Statistics, days: list[str]) -> None:
        chart = _chart(self.tr("积压趋势（日终未送达的数据包）"))
        line = QLineSeries()
        line.setName(self.tr("未送达"))
        for index, (_day, count) in enumerate(result.backlog):
            line.append(float(index), float(count))
        chart.addSeries(line)
        _axes(chart, line, days, self.tr("个"), float(max((n for _d, n in result.backlog), default=0)))
        self.views["backlog"].setChart(chart)

    # --------------------------------------------------------------------------- export
    def export(self, suffix: str, path: Path | None = None) -> None:
        """Export the shown statistics (asks where when no path is given; audited)."""
        if self.statistics is None:
            return
        if path is None:
            days = self.statistics.range
            default = f"统计-{days.start.isoformat()}-{days.end.isoformat()}{suffix}"
            wanted = self.tr("Excel 工作簿 (*.xlsx)") if suffix == ".xlsx" else self.tr("CSV 文件 (*.csv)")
            name, _filter = QFileDialog.getSaveFileName(self, self.tr("导出统计"), default, wanted)
            if not name:
                return
            path = Path(name)
            if path.suffix.lower() != suffix:
                path = path.with_suffix(suffix)

        def done(written: Path) -> None:
            self.summary.setText(self.tr("已导出：") + str(written))
            self.exported.emit(written)

        ops.export_statistics(
            session=self.session, statistics=self.statistics, path=path, on_done=done, on_error=self._failed
        )


def default_range(today: QDate | None = None) -> DayRange:
    """The last :data:`DEFAULT_DAYS` days up to today."""
    end = (today or QDate.currentDate()).toPyDate()
    return DayRange(end - timedelta(days=DEFAULT_DAYS - 1), end)


__all__ = ["DEFAULT_DAYS", "StatisticsTab", "default_range"]
