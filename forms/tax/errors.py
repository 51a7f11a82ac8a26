"""Exceptions of the tax-and-fee estimator; ``str(exc)`` is the clerk-facing Chinese message."""

from __future__ import annotations

from forms.errors import FormsError


class TaxError(FormsError):
    """Base of the estimator's errors."""


class TaxRulesError(TaxError):
    """A rule table cannot be loaded or is inconsistent; the message names the file and line."""


class TaxSettingsError(TaxError):
    """The office settings file (section ``[tax]``) is invalid; the message names the file and line."""


class NoRuleInForceError(TaxError):
    """No rule row of a topic is in force on the rule date (the date lies outside the tables)."""


class UnknownBusinessTypeError(TaxError):
    """The case's business type is not in the fee table."""
