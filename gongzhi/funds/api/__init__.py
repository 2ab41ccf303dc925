"""Funds JSON API (mounted at /api/v1/funds/): one sub-router per part."""

from gongzhi.funds.apps import parts

router = parts.router("funds")
