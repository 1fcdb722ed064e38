"""Puts the real ``contracts`` package back where pytest's importlib mode shadowed it.

Test modules here are imported as ``contracts.tests.*`` (the project directory shares the
package's name), so pytest registers the project directory as an empty ``contracts``
namespace package unless the real one from ``contracts/src`` was imported first.
"""

import importlib
import sys

if getattr(sys.modules.get("contracts"), "__file__", None) is None:
    sys.modules.pop("contracts", None)
    importlib.import_module("contracts")
