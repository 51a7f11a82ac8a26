"""The new-case wizard, driven by the business-type catalog and validated as the clerk types.

Pages: business type → parties → property → transaction/mortgage → materials → interview → review.
"""
