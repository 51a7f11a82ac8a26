"""Face matching: detect exactly one face, encode it (128-d, dlib ResNet via face_recognition), compare.

Every image is first scaled so its longer side is :attr:`FaceMatcher.detect_side` pixels: a 102 × 126
chip photo is enlarged (the HOG detector's window is 80 pixels, so a small face is otherwise missed),
a large scan or frame is reduced (detection time grows with the pixel count). Detection runs without
the detector's own upsampling first and retries with one upsampling step when nothing is found.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from scanning.errors import MultipleFaces, NoFaceFound
from scanning.face._backend import face_recognition, np
from scanning.face.images import Image, decode_image, ensure_bgr, fit_long_side, to_rgb
from scanning.face.results import FaceMatchResult, ReferenceSource
from scanning.face.settings import FaceSettings

Encoding: TypeAlias = "np.ndarray[Any, np.dtype[np.float64]]"
"""A 128-d face encoding."""

Role = Literal["live", "reference"]
Box = tuple[int, int, int, int]
"""A face box as face_recognition gives it: (top, right, bottom, left)."""

DEFAULT_THRESHOLD: Final = 0.5

_NO_FACE: Final = {
    "live": "摄像头画面中未检测到人脸：请申请人正对摄像头，摘下帽子、口罩和墨镜，光线不足时打开补光灯后重试",
    "reference": (
        "证件照片中未检测到人脸：请重新读取证件；芯片照片无法使用时，请扫描证件正面，用扫描件上的照片核验"
    ),
}
_MULTIPLE: Final = {
    "live": "摄像头画面中有 {n} 张人脸：请只让申请人本人面对摄像头后重试",
    "reference": "证件照片中有 {n} 张人脸：请只截取证件上申请人本人的照片后重试",
}


@dataclass(frozen=True, repr=False)
class Reference:
    """The document photo a live face is compared with.

    Attributes:
        image: the BGR image (a 102 × 126 chip photo, a DG2 face image, a crop of a card scan).
        source: where it comes from (printed on the check record).
    """

    image: Image
    source: ReferenceSource

    @classmethod
    def from_bytes(cls, data: bytes, source: ReferenceSource) -> Reference:
        """A reference from encoded bytes (BMP from the WLT decoder, JPEG or JPEG 2000 from DG2, a scan).

        Raises:
            FaceImageInvalid: the bytes are not a decodable image.
        """
        return cls(decode_image(data, what=source.label), source)

    def __repr__(self) -> str:
        height, width = self.image.shape[:2]
        return f"Reference(source={self.source.value!r}, size={width}x{height})"


class FaceMatcher:
    """Detects, encodes and compares faces.

    Args:
        threshold: the largest encoding distance accepted as the same person (configuration).
        model: face detector, ``"hog"`` (CPU-friendly) or ``"cnn"``.
        detect_side: the longer side, in pixels, images are scaled to before detection.
        num_jitters: re-samplings per encoding (1 = fastest; higher is slightly more stable, slower).
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        model: Literal["hog", "cnn"] = "hog",
        *,
        detect_side: int = 640,
        num_jitters: int = 1,
    ) -> None:
        if not 0 < threshold < 1.5:
            raise ValueError(f"threshold must be in (0, 1.5), got {threshold}")
        self.threshold = threshold
        self.model = model
        self.detect_side = detect_side
        self.num_jitters = num_jitters

    @classmethod
    def from_settings(cls, settings: FaceSettings) -> FaceMatcher:
        """A matcher with the configured threshold and detector."""
        return cls(settings.threshold, settings.detector)

    def locate(self, image: Image) -> tuple[Image, list[Box]]:
        """The image scaled to :attr:`detect_side` (as RGB) and the face boxes found in it."""
        fr = face_recognition()
        scaled, _ = fit_long_side(ensure_bgr(image), self.detect_side)
        rgb = to_rgb(scaled)
        boxes: list[Box] = fr.face_locations(rgb, 0, self.model)
        if not boxes:
            boxes = fr.face_locations(rgb, 1, self.model)
        return rgb, boxes

    def encode(self, image: Image | Reference, *, role: Role | None = None) -> Encoding:
        """The encoding of the one face in ``image``.

        Args:
            image: a BGR image, or a :class:`Reference`.
            role: ``"live"`` or ``"reference"``, for the wording of errors (a :class:`Reference` is
                ``"reference"``, anything else ``"live"`` unless given).

        Raises:
            NoFaceFound: no face in the image.
            MultipleFaces: more than one face.
            FaceImageInvalid: not a usable image.
        """
        if isinstance(image, Reference):
            role = role or "reference"
            image = image.image
        role = role or "live"
        rgb, boxes = self.locate(image)
        if not boxes:
            raise NoFaceFound(_NO_FACE[role])
        if len(boxes) > 1:
            raise MultipleFaces(_MULTIPLE[role].format(n=len(boxes)), len(boxes))
        encodings = face_recognition().face_encodings(rgb, boxes, self.num_jitters, "small")
        encoding: Encoding = np.asarray(encodings[0], dtype=np.float64)
        return encoding

    def distance(self, first: Encoding, second: Encoding) -> float:
        """Euclidean distance between two encodings."""
        return float(np.linalg.norm(first - second))

    def result(self, live: Encoding, reference: Encoding, *, started: float) -> FaceMatchResult:
        """A :class:`FaceMatchResult` for two encodings; ``started`` is a ``time.perf_counter()`` value."""
        distance = self.distance(live, reference)
        return FaceMatchResult(
            distance=distance,
            threshold=self.threshold,
            matched=distance <= self.threshold,
            duration=time.perf_counter() - started,
        )

    def compare(self, live_frame: Image, reference_image: Image | Reference) -> FaceMatchResult:
        """Compare the face in a live frame with the face in a document photo.

        Raises:
            NoFaceFound: no face in one of the images (the message says which).
            MultipleFaces: more than one face in one of them.
            FaceImageInvalid: one of them is not a usable image.
        """
        started = time.perf_counter()
        reference = self.encode(reference_image, role="reference")
        live = self.encode(live_frame, role="live")
        return self.result(live, reference, started=started)

    def __repr__(self) -> str:
        return f"FaceMatcher(threshold={self.threshold}, model={self.model!r})"
