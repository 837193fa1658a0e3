"""course-builder: turn a training course kept as plain files into workshop materials."""

__version__ = "0.1.0"
