"""ID cards, residence permits and foreign permanent-residence cards read over the GA 467 SAM protocol.

Qt-free. The pieces:

- :mod:`~scanning.idcard.frame` — frames and commands (pure);
- :mod:`~scanning.idcard.layout` and ``layouts.json`` — the per-card-type text-block layout table;
- :mod:`~scanning.idcard.record` — :class:`IdCardRecord` and the text-block parser;
- :mod:`~scanning.idcard.reader` — :class:`IdCardReader`, :class:`SerialSamReader`, :class:`CardMonitor`,
  :func:`open_reader`;
- :mod:`~scanning.idcard.wlt` — the chip photo decoder adapter;
- :mod:`~scanning.idcard.emulator` — a SAM reader on a pty for tests and the demo;
- :mod:`~scanning.idcard.cli` — ``yichuang idcard read``.
"""

from scanning.idcard.layout import CardType, LayoutTable, load_layouts
from scanning.idcard.reader import CardMonitor, IdCardReader, SerialSamReader, candidate_ports, open_reader
from scanning.idcard.record import IdCardRecord, parse_read_response, parse_text_block
from scanning.idcard.wlt import MissingWltDecoder, VendorWltDecoder, WltDecoder, open_wlt_decoder

__all__ = [
    "CardMonitor",
    "CardType",
    "IdCardReader",
    "IdCardRecord",
    "LayoutTable",
    "MissingWltDecoder",
    "SerialSamReader",
    "VendorWltDecoder",
    "WltDecoder",
    "candidate_ports",
    "load_layouts",
    "open_reader",
    "open_wlt_decoder",
    "parse_read_response",
    "parse_text_block",
]
