"""The face-check panel (人证核验): live image, the applicant's prompt, the result and its score.

Opened per party from the party editor (Ctrl+Shift+F). The check runs on a device thread: the
reference photo is chosen (chip photo through the vendor's decoder, else the passport's DG2, else a
scan the clerk picks), the camera opened and :func:`workstation.identity_service.run_check` fed;
each analysed frame comes back as a :class:`QImage` with the prompt. The finished record is stored on
the database executor (images encrypted). A rejected check can be accepted only by a supervisor who
signs the :class:`OverrideDialog` with their own user name and password and gives a reason.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.case import IdType
from scanning.errors import FaceCheckCancelled
from workstation import identity_service
from workstation.identity_service import DocumentPhoto
from workstation.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from workstation.ui.errors import is_known, show_error

if TYPE_CHECKING:
    from scanning.face.check import FaceCheckProgress
    from scanning.face.record import FaceCheckRecord
    from workstation.devices import DeviceHub
    from workstation.session import Session
    from workstation.storage.api import IdentityCheck

LIVE_SIZE = (480, 360)
"""The live image's box on screen (frames are scaled into it, aspect kept)."""

REFERENCE_SIZE = (136, 168)
"""The document photo's box beside it (a 102 × 126 chip photo shown a third larger)."""


def _show_jpeg(target: QLabel, data: bytes) -> None:
    """Show encoded image bytes in ``target``, scaled to fit (aspect kept)."""
    image = QImage.fromData(data)
    if not image.isNull():
        target.setPixmap(
            QPixmap.fromImage(image).scaled(
                target.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )


def frame_to_qimage(image: Any) -> QImage:
    """A deep copy of a BGR (or grey) NumPy frame as a :class:`QImage` (safe to build off the UI thread)."""
    height, width = image.shape[:2]
    if image.ndim == 2:
        return QImage(
            image.data, width, height, int(image.strides[0]), QImage.Format.Format_Grayscale8
        ).copy()
    return QImage(image.data, width, height, int(image.strides[0]), QImage.Format.Format_BGR888).copy()


class OverrideDialog(QDialog):
    """A supervisor accepts a rejected check: their user name and password, and a reason.

    The check runs in :func:`workstation.identity_service.override_check` (the store authenticates,
    the role is checked there); a refusal is shown here and the dialog stays open.

    Signals:
        overridden(object): the updated :class:`~workstation.storage.api.IdentityCheck`.
    """

    overridden = pyqtSignal(object)

    def __init__(self, session: Session, check_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.check_id = check_id
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("主管放行"))
        self.username = QLineEdit()
        self.username.setObjectName("supervisorUser")
        self.password = QLineEdit()
        self.password.setObjectName("supervisorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("overrideReason")
        self.reason.setPlaceholderText(self.tr("例如：已核对户口簿等其他有效证件，确认为本人"))
        self.reason.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setObjectName("overrideError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        note = QLabel(
            self.tr(
                "人证核验未通过。只有主管或系统管理员可以放行：请主管本人输入账号和密码，并填写放行理由。"
            )
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("主管账号"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("放行理由"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("放行(&A)"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        """Send the credentials and the reason to the override operation (off the UI thread)."""
        store = self.session.store
        username, password = self.username.text(), self.password.text()
        reason = self.reason.toPlainText()
        self.buttons.setEnabled(False)
        self.session.executor.submit(
            lambda: identity_service.override_check(
                store,
                self.check_id,
                supervisor_username=username,
                supervisor_password=password,
                reason=reason,
            ),
            on_done=self._done,
            on_error=self._failed,
            progress=self.tr("正在验证主管密码…"),
            parent=self,
        )

    def _done(self, check: IdentityCheck) -> None:
        self.buttons.setEnabled(True)
        self.overridden.emit(check)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not is_known(exc):
            show_error(self, exc)
            return
        self.password.clear()
        self.error.setText(str(exc))
        self.error.show()


class FaceCheckPanel(QDialog):
    """The face check of one party.

    Args:
        session: the running application (store, executor, signed-in user).
        devices: the device hub (camera, decoder, settings).
        case_id: the case the check belongs to.
        party: the party's raw data (``id``, ``name``, ``id_type``).
        document: the photo read from the party's document, if any.
        caption: how the party is named on screen (``买受人：张三``).
        parent: the parent widget.

    Signals:
        progressed(object): internal; ``(QImage, prompt)`` of one frame, from the device thread.
        completed(object): internal; the finished record or the error, from the device thread.
        check_saved(object): the check was stored (``IdentityCheck``).
        check_overridden(object): a supervisor accepted it (``IdentityCheck``).
    """

    progressed = pyqtSignal(object)
    completed = pyqtSignal(object)
    check_saved = pyqtSignal(object)
    check_overridden = pyqtSignal(object)

    def __init__(
        self,
        session: Session,
        devices: DeviceHub,
        *,
        case_id: uuid.UUID,
        party: dict[str, Any],
        document: DocumentPhoto | None,
        caption: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.devices = devices
        self.case_id = case_id
        self.party_id = str(party["id"])
        self.document = document
        self.document_type = (
            document.id_type if document is not None else IdType(party.get("id_type") or "resident_id")
        )
        self.scan: bytes | None = None
        self.scan_name = ""
        self.record: FaceCheckRecord | None = None
        self.check: IdentityCheck | None = None
        self.override_dialog: OverrideDialog | None = None
        self._cancel = threading.Event()
        self._worker: threading.Thread | None = None
        self.setObjectName("faceCheckPanel")
        self.setWindowTitle(self.tr("人证核验"))
        tr = self.tr

        self.title = QLabel(tr("人证核验：") + (caption or str(party.get("name") or "")))
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.reference = QLabel()
        self.reference.setObjectName("faceReference")
        self.reference.setWordWrap(True)
        self.pick = QPushButton(tr("选择照片文件(&P)…"))
        self.pick.setObjectName("pickScan")
        self.pick.setToolTip(tr("没有芯片照片时，选择证件正面的扫描件或照片作为比对照片"))
        self.pick.clicked.connect(self.choose_scan_file)
        top = QHBoxLayout()
        top.addWidget(self.reference, 1)
        top.addWidget(self.pick)

        self.live = QLabel(tr("点击“开始核验”后显示摄像头画面"))
        self.live.setObjectName("liveImage")
        self.live.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live.setFixedSize(*LIVE_SIZE)
        self.live.setStyleSheet("background: #263238; color: #eceff1;")
        self.reference_image = QLabel(tr("证件照片"))
        self.reference_image.setObjectName("referenceImage")
        self.reference_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reference_image.setFixedSize(*REFERENCE_SIZE)
        self.reference_image.setStyleSheet("background: #eceff1; color: #78909c;")
        self.reference_image.setToolTip(tr("比对所用的证件照片：请同时目视核对申请人与照片"))
        self.prompt = QLabel(tr("请申请人正对摄像头"))
        self.prompt.setObjectName("facePrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.prompt.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.prompt.setFont(big)
        self.verdict = QLabel()
        self.verdict.setObjectName("faceResult")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        result_font = QFont(big)
        result_font.setPointSizeF(big.pointSizeF() * 1.1)
        self.verdict.setFont(result_font)
        self.score = QLabel()
        self.score.setObjectName("faceScore")
        self.score.setWordWrap(True)
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.start_button = QPushButton(tr("开始核验(&S)"))
        self.start_button.setObjectName("startCheck")
        self.start_button.clicked.connect(self.start)
        self.override_button = QPushButton(tr("主管放行(&O)…"))
        self.override_button.setObjectName("overrideCheck")
        self.override_button.setEnabled(False)
        self.override_button.clicked.connect(self.open_override)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        images = QHBoxLayout()
        images.addWidget(self.live)
        images.addWidget(self.reference_image, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(images)
        layout.addWidget(self.prompt)
        layout.addWidget(self.verdict)
        layout.addWidget(self.score)
        layout.addLayout(buttons)
        self.progressed.connect(self._show_frame)
        self.completed.connect(self._finished)
        self.finished.connect(lambda _result: self.stop())
        self.show_reference()

    # ------------------------------------------------------------------ reference
    def show_reference(self) -> None:
        """Say what the live face will be compared with, or what is missing."""
        decoder = self.devices.wlt_decoder
        if self.scan is not None and (
            self.document is None or (self.document.kind == "id_chip" and not decoder.available)
        ):
            text = self.tr("比对照片：证件扫描件") + f"（{self.scan_name}）"
            colour = "#2e7d32"
        else:
            text = identity_service.reference_status(self.document, decoder_available=decoder.available)
            if self.devices.decoder_problem and self.document is not None and self.document.kind == "id_chip":
                text += "\n" + self.devices.decoder_problem
            colour = "#2e7d32" if text.startswith("比对照片") else "#c62828"
        self.reference.setText(text)
        self.reference.setStyleSheet(f"color: {colour};")

    def choose_scan_file(self) -> None:
        """Ask for a scan or photo file of the document (the reference when no chip photo is usable)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择证件照片文件"), "", self.tr("图像 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff)")
        )
        if name:
            self.use_scan_file(Path(name))

    def use_scan_file(self, path: Path) -> None:
        """Use ``path`` (a scan or photo of the document's face) as the reference if nothing better exists."""
        try:
            self.scan = path.read_bytes()
        except OSError:
            self.reference.setText(self.tr("无法读取所选文件，请确认文件存在且未被其他程序占用后重新选择"))
            return
        self.scan_name = path.name
        self.show_reference()

    # ------------------------------------------------------------------ the check
    @property
    def running(self) -> bool:
        """Whether a check is in progress."""
        return self._worker is not None and self._worker.is_alive()

    def start(self) -> None:
        """Start the check on a device thread (reference, camera, liveness, match)."""
        if self.running:
            return
        self._cancel = threading.Event()
        self.record = None
        self.check = None
        self.start_button.setEnabled(False)
        self.override_button.setEnabled(False)
        self.verdict.clear()
        self.score.clear()
        self.prompt.setText(self.tr("正在打开摄像头…"))
        cancel = self._cancel
        document, scan = self.document, self.scan
        devices, party_id, document_type = self.devices, self.party_id, self.document_type

        def job() -> None:
            from scanning.face.matcher import Reference

            try:
                data, source = identity_service.choose_reference(
                    document, decoder=devices.wlt_decoder, scan=scan
                )
                reference = Reference.from_bytes(data, source)
                camera = devices.open_camera()
                try:
                    record = identity_service.run_check(
                        camera,
                        reference,
                        party_id=party_id,
                        document_type=document_type,
                        settings=devices.face,
                        on_progress=self._on_progress,
                        cancel=cancel,
                    )
                finally:
                    camera.close()
            except Exception as exc:  # every failure goes to the UI thread, where it is shown
                self.completed.emit(exc)
                return
            self.completed.emit(record)

        self._worker = threading.Thread(target=job, name="face-check", daemon=True)
        self._worker.start()

    def _on_progress(self, progress: FaceCheckProgress) -> None:
        # Device thread: build the image here (QImage is safe off the UI thread), show it there.
        if not self._cancel.is_set():
            self.progressed.emit((frame_to_qimage(progress.frame.image), progress.prompt))

    def _show_frame(self, payload: object) -> None:
        if not isinstance(payload, tuple):
            return
        image, prompt = payload
        if not isinstance(image, QImage):
            return
        pixmap = QPixmap.fromImage(image).scaled(
            self.live.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.live.setPixmap(pixmap)
        self.prompt.setText(str(prompt))

    def stop(self) -> None:
        """Cancel a running check (nothing is recorded) and wait briefly for the device thread."""
        self._cancel.set()
        if self._worker is not None:
            self._worker.join(3)
            self._worker = None

    def _finished(self, outcome: object) -> None:
        self.start_button.setEnabled(True)
        self.start_button.setText(self.tr("重新核验(&S)"))
        if isinstance(outcome, FaceCheckCancelled):
            self.prompt.setText(self.tr("已取消"))
            return
        if isinstance(outcome, BaseException):
            self.prompt.setText(self.tr("核验未完成"))
            self.verdict.setText(self.tr("核验未完成"))
            self.verdict.setStyleSheet("color: #c62828;")
            self.score.setText(str(outcome) if is_known(outcome) else self.tr("程序错误，请联系信息科"))
            if not is_known(outcome):
                show_error(self, outcome)
            return
        from scanning.face.record import FaceCheckRecord

        assert isinstance(outcome, FaceCheckRecord)
        self.record = outcome
        self.prompt.setText(self.tr("核验结束：左为比对所用画面，右为证件照片"))
        _show_jpeg(self.live, outcome.live_jpeg)
        _show_jpeg(self.reference_image, outcome.reference_jpeg)
        self._show_record(outcome)
        user = self.session.require_user()
        store, case_id = self.session.store, self.case_id
        self.session.executor.submit(
            lambda: identity_service.save_check(store, case_id, outcome, user=user),
            on_done=self._saved,
            on_error=lambda exc: show_error(self, exc),
            parent=self,
        )

    def _show_record(self, record: FaceCheckRecord) -> None:
        from scanning.face.record import Decision

        colour = "#c62828" if record.decision is Decision.REJECTED else "#2e7d32"
        self.verdict.setText(record.decision.label)
        self.verdict.setStyleSheet(f"color: {colour};")
        lines = [
            self.tr("比对：")
            + f"距离 {record.distance:.2f}（阈值 {record.threshold:.2f}，"
            + (self.tr("一致") if record.matched else self.tr("不一致"))
            + "）",
            self.tr("活体：")
            + (self.tr("通过") if record.liveness_passed else self.tr("未通过"))
            + f"（眨眼 {record.blinks} 次，转头 {record.max_yaw:.0f}°）",
        ]
        lines += record.reasons
        if record.decision is Decision.OVERRIDDEN:
            lines.append(
                self.tr("主管放行：") + f"{record.supervisor}；" + self.tr("理由：") + record.override_reason
            )
        self.score.setText("\n".join(lines))

    def _saved(self, check: IdentityCheck) -> None:
        self.check = check
        self.override_button.setEnabled(check.decision == "rejected")
        self.check_saved.emit(check)

    # ------------------------------------------------------------------ override
    def open_override(self) -> OverrideDialog | None:
        """Open the supervisor's override dialog for the stored rejected check."""
        if self.check is None or self.check.decision != "rejected":
            return None
        dialog = OverrideDialog(self.session, self.check.id, self)
        dialog.overridden.connect(self._overridden)
        self.override_dialog = dialog
        dialog.open()
        return dialog

    def _overridden(self, check: IdentityCheck) -> None:
        self.check = check
        self.override_button.setEnabled(False)
        self.record = identity_service.record_from_json(check.record)
        self._show_record(self.record)
        self.check_overridden.emit(check)
