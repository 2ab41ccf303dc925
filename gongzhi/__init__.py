"""gongzhi (共治): party-building-led community co-governance platform."""

__version__ = "0.1.0"
