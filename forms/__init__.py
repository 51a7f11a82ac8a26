"""The case: its schema, validation, business-type catalog, calendar, taxes and fees.

This package is the single source of truth every other package derives from. It imports none of
Yichuang's other packages and no GUI toolkit.
"""
