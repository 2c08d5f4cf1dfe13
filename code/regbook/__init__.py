"""regbook: the shared package of *Regularization, Interactively*.

Every technique the book teaches is implemented once, here, and imported by the chapters.
Modules are imported explicitly (``from regbook import linear``) so that importing the package
stays cheap and torch is loaded only by the modules that need it.
"""

__version__ = "0.1.0"
