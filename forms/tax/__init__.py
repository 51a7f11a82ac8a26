"""The offline tax-and-fee estimator (Qt-free): rules as versioned data, the estimate, its rendering.

Public API::

    from forms.tax import estimate, load_tax_settings, TaxSettings, render_table, compare
"""

from __future__ import annotations

from forms.tax.assessment import AssessedLine, Assessment, Difference, compare
from forms.tax.errors import (
    NoRuleInForceError,
    TaxError,
    TaxRulesError,
    TaxSettingsError,
    UnknownBusinessTypeError,
)
from forms.tax.estimator import estimate
from forms.tax.render import render_comparison, render_table
from forms.tax.result import Alternative, Estimate, MissingFact, TaxKind, TaxLine
from forms.tax.rulebook import Region, RuleBook, RuleRow, default_rulebook, load_rules
from forms.tax.settings import TaxSettings, load_tax_settings, parse_tax_settings

__all__ = [
    "Alternative",
    "AssessedLine",
    "Assessment",
    "Difference",
    "Estimate",
    "MissingFact",
    "NoRuleInForceError",
    "Region",
    "RuleBook",
    "RuleRow",
    "TaxError",
    "TaxKind",
    "TaxLine",
    "TaxRulesError",
    "TaxSettings",
    "TaxSettingsError",
    "UnknownBusinessTypeError",
    "compare",
    "default_rulebook",
    "estimate",
    "load_rules",
    "load_tax_settings",
    "parse_tax_settings",
    "render_comparison",
    "render_table",
]
