"""Hand each case to 交易, 税务 and 登记: outbox, package format, transports, reference back ends (issue #5).

This package may import :mod:`forms` only.
"""
