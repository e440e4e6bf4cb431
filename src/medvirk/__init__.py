"""medvirk: reproducible analysis of user-participation examples."""

__version__ = "0.1.0"
