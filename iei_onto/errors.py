"""The exceptions IEI raises. Each carries one message a user can act on."""

from __future__ import annotations


class IEIError(Exception):
    """Base class of every error IEI raises on purpose."""

    #: the exit code the ``iei`` command uses for this error (PRODUCT.md section 5)
    exit_code = 2


class InputError(IEIError):
    """The input could not be read, or a command or API was used wrongly (exit code 2)."""


class StoreError(IEIError):
    """The store could not be opened or the endpoint did not answer (exit code 2)."""


class ReasonerError(IEIError):
    """A reasoner could not run (for example Java is missing for HermiT)."""
