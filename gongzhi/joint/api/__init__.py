"""Joint-building JSON API (mounted at /api/v1/joint/): one sub-router per part."""

from gongzhi.joint.apps import parts

router = parts.router("joint")
