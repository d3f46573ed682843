"""Package list for the two source roots.

`rules/` ships as `iacguard.rules`. setuptools needs every subpackage of a
`package-dir` mapping listed explicitly and silently drops the ones that are not,
so the list is computed here rather than kept by hand in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

packages = find_namespace_packages(include=["iacguard", "iacguard.*"])
packages += ["iacguard.rules"] + [
    f"iacguard.rules.{name}" for name in find_namespace_packages(where="rules")
]

setup(
    packages=packages,
    package_dir={"iacguard.rules": "rules"},
    package_data={"iacguard": ["schemas/*.json"]},
)
