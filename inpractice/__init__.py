"""inpractice: run a call for evidence on inclusive SEND practice, analyse it, publish it."""

__version__ = "0.1.0"
