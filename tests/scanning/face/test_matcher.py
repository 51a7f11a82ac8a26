from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanning.errors import FaceImageInvalid, MultipleFaces, NoFaceFound
from scanning.face import synth
from scanning.face.matcher import FaceMatcher, Reference
from scanning.face.results import ReferenceSource


def test_chip_photo_has_the_chip_size(chip):
    assert chip.shape == (126, 102, 3)


def test_same_person_against_the_102x126_chip_photo_matches(matcher, live_frame, chip_reference):
    result = matcher.compare(live_frame, chip_reference)
    assert result.matched
    assert result.distance < 0.45
    assert result.threshold == 0.5
    assert 0 < result.duration < 5


def test_same_person_full_photographs_match(matcher, photos):
    result = matcher.compare(photos["obama2"], photos["obama"])
    assert result.matched
    assert result.distance < 0.45


def test_other_person_is_rejected(matcher, photos, chip_reference, other_reference):
    result = matcher.compare(photos["biden"], chip_reference)
    assert not result.matched
    assert result.distance > 0.7
    assert not matcher.compare(photos["obama2"], other_reference).matched


def test_threshold_is_configuration(live_frame, chip_reference):
    strict = FaceMatcher(threshold=0.2)
    result = strict.compare(live_frame, chip_reference)
    assert result.threshold == 0.2
    assert not result.matched
    with pytest.raises(ValueError):
        FaceMatcher(threshold=0)


def test_no_face_in_the_live_frame(matcher, blank_frame, chip_reference):
    with pytest.raises(NoFaceFound, match="摄像头画面中未检测到人脸"):
        matcher.compare(blank_frame, chip_reference)


def test_no_face_in_the_document_photo_names_the_scan_fallback(matcher, live_frame, blank_frame):
    reference = Reference(cv2.resize(blank_frame, (102, 126)), ReferenceSource.ID_CHIP)
    with pytest.raises(NoFaceFound, match=r"证件照片中未检测到人脸.*扫描证件正面"):
        matcher.compare(live_frame, reference)


def test_two_faces_are_refused(matcher, photos, chip_reference):
    a = synth.face_frame(photos["obama2"])
    b = synth.face_frame(photos["biden"])
    with pytest.raises(MultipleFaces, match="2 张人脸") as caught:
        matcher.compare(np.hstack([a, b]), chip_reference)
    assert caught.value.count == 2


def test_reference_from_chip_bmp_bytes(matcher, chip, live_frame):
    ok, bmp = cv2.imencode(".bmp", chip)
    assert ok
    reference = Reference.from_bytes(bmp.tobytes(), ReferenceSource.ID_CHIP)
    assert reference.image.shape == (126, 102, 3)
    assert matcher.compare(live_frame, reference).matched
    assert "size=102x126" in repr(reference)


def test_reference_from_a_card_scan_crop(matcher, photos, live_frame):
    # A card scan's photo area: the face with a margin, at scanner resolution (larger than the chip).
    scan_crop = cv2.resize(synth.chip_photo(photos["obama"]), (204, 252), interpolation=cv2.INTER_CUBIC)
    assert matcher.compare(live_frame, Reference(scan_crop, ReferenceSource.CARD_SCAN)).matched


@pytest.mark.parametrize("data", [b"", b"not an image at all"])
def test_undecodable_reference_bytes(data):
    with pytest.raises(FaceImageInvalid, match="护照芯片照片"):
        Reference.from_bytes(data, ReferenceSource.PASSPORT_DG2)


def test_tiny_or_wrong_arrays_are_refused(matcher):
    with pytest.raises(FaceImageInvalid):
        matcher.encode(np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(FaceImageInvalid):
        matcher.encode(np.zeros((100, 100, 3), np.float32))


def test_grey_image_is_accepted(matcher, live_frame):
    grey = cv2.cvtColor(live_frame, cv2.COLOR_BGR2GRAY)
    assert matcher.encode(grey).shape == (128,)


def test_reference_from_a_jpeg2000_dg2_image(matcher, photos, live_frame):
    # eMRTD DG2 face images are JPEG or JPEG 2000 (ICAO Doc 9303 Part 10); OpenCV decodes both.
    ok, jp2 = cv2.imencode(".jp2", synth.chip_photo(photos["obama"]))
    assert ok
    reference = Reference.from_bytes(jp2.tobytes(), ReferenceSource.PASSPORT_DG2)
    assert matcher.compare(live_frame, reference).matched
