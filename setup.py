"""The compiled part of regbook; everything else is declared in pyproject.toml.

``pip install -e .`` (run by ``make``) compiles the solver in place, next to ``linear.py``. It is
declared here because ``ext-modules`` in pyproject.toml is still experimental in setuptools.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("regbook._coordinate_descent", ["code/regbook/_coordinate_descent.pyx"])])
