"""``python -m sync.backends --port P --db FILE``: run the reference back ends on 127.0.0.1."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from sync.backends.server import DEFAULT_ENROLMENT_TOKEN, serve
from sync.package import Department


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m sync.backends", description="一窗受理：交易/税务/登记参考后端"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；/admin 无认证，勿对外开放）"
    )
    parser.add_argument("--port", type=int, default=8765, help="端口（默认 8765）")
    parser.add_argument("--db", type=Path, required=True, help="SQLite 数据库文件")
    args = parser.parse_args(argv)
    urls = "  ".join(f"{d.label} http://{args.host}:{args.port}/{d.value}" for d in Department)
    print(f"参考后端已启动：{urls}\n登记令牌：{DEFAULT_ENROLMENT_TOKEN}（Ctrl+C 停止）", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop ends it like Ctrl+C
    serve(args.host, args.port, args.db)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
