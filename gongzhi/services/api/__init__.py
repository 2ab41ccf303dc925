"""Doorstep-services JSON API (mounted at /api/v1/services/): one sub-router per part."""

from gongzhi.services.apps import parts

router = parts.router("services")
