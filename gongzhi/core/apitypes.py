"""Parameter types shared by the JSON API's routers."""

from typing import Annotated

from ninja import Field, Path, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

from gongzhi.core.errors import MAX_ID

MAX_LIMIT = 1000  # rows per API page

# A path id: a number a database integer can hold (a 30-digit id is a 422 naming the parameter, not a 500).
Id = Annotated[int, Path(ge=0, le=MAX_ID)]


class BoundedLimitOffset(LimitOffsetPagination):
    """ninja's limit/offset pagination with bounds a database can use: a huge `limit` or `offset` is a 422 naming
    it (NINJA_PAGINATION_CLASS)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_ID)
