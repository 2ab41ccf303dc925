"""Organization-life API of the coverage part."""

from ninja import Router

router = Router()
