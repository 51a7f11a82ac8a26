"""Yichuang's benchmarks: ``python -m benchmarks`` prints one table.

Each figure stands beside a baseline measured in the same run, with their ratio, so that a slower or
faster machine does not change the verdict.
"""
