"""Deliberation JSON API (mounted at /api/v1/deliberation/): one sub-router per part."""

from gongzhi.deliberation.apps import parts

router = parts.router("deliberation")
