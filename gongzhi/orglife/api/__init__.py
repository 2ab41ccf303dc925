"""Organization-life JSON API (mounted at /api/v1/orglife/): one sub-router per part."""

from gongzhi.orglife.apps import parts

router = parts.router("orglife")
