"""Images as the face check handles them: OpenCV's BGR ``uint8`` arrays, decoding and JPEG encoding.

Every image in :mod:`scanning.face` is a ``H × W × 3`` BGR array (what ``cv2.VideoCapture`` and
``cv2.imdecode`` produce); face_recognition wants RGB, which :func:`to_rgb` makes at the last moment.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from scanning.errors import FaceImageInvalid
from scanning.face._backend import cv2, np

Image: TypeAlias = "np.ndarray[Any, np.dtype[Any]]"
"""A BGR image (``H × W × 3``, ``uint8``)."""


def decode_image(data: bytes, *, what: str = "照片") -> Image:
    """Decode JPEG, JPEG 2000, PNG or BMP bytes (a chip photo, a DG2 image, a scan) to a BGR image.

    Args:
        data: the encoded image.
        what: what the image is, for the message ("证件照片" …).

    Raises:
        FaceImageInvalid: the bytes are empty or not an image OpenCV can decode.
    """
    if not data:
        raise FaceImageInvalid(f"{what}为空，请重新读取或扫描后再核验")
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.size == 0:
        raise FaceImageInvalid(f"{what}无法解码（文件损坏或格式不支持），请重新读取或扫描后再核验")
    return ensure_bgr(image, what=what)


def ensure_bgr(image: Any, *, what: str = "照片") -> Image:
    """Check that ``image`` is a usable image; grey images become BGR, alpha is dropped.

    Raises:
        FaceImageInvalid: not a 2-D or 3-D ``uint8`` array of at least 16 × 16 pixels.
    """
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise FaceImageInvalid(f"{what}不是有效的图像，请重新读取或扫描后再核验")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif image.shape[2] != 3:
        raise FaceImageInvalid(f"{what}的颜色通道数不受支持，请重新读取或扫描后再核验")
    if min(image.shape[:2]) < 16:
        raise FaceImageInvalid(f"{what}太小（不足 16 × 16 像素），无法用于人脸比对")
    result: Image = image
    return result


def encode_jpeg(image: Image, *, quality: int = 90) -> bytes:
    """JPEG bytes of a BGR image (for the check record; the caller encrypts them at rest).

    Raises:
        FaceImageInvalid: OpenCV could not encode the image.
    """
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise FaceImageInvalid("核验照片无法保存为 JPEG，请重新核验")
    return bytes(buffer.tobytes())


def fit_long_side(image: Image, side: int) -> tuple[Image, float]:
    """Scale ``image`` so its longer side is ``side`` pixels (up or down); returns it and the factor.

    Small images (a 102 × 126 chip photo) are enlarged with bicubic interpolation so the HOG detector,
    whose window is 80 pixels, finds the face; large ones are reduced with area averaging.
    """
    height, width = image.shape[:2]
    scale = side / max(height, width)
    if abs(scale - 1.0) < 1e-3:
        return image, 1.0
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)
    return cast(Image, resized), scale


def to_rgb(image: Image) -> Image:
    """A contiguous RGB copy of a BGR image (what dlib and face_recognition expect)."""
    rgb: Image = np.ascontiguousarray(image[:, :, ::-1])
    return rgb
