"""Volunteering JSON API (mounted at /api/v1/volunteering/): one sub-router per part."""

from gongzhi.volunteering.apps import parts

router = parts.router("volunteering")
