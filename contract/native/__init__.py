"""ServiceStack's "Add ServiceStack Reference": DTO source generated from a MetadataTypes document.

`typescript(document, options=...)` and `python(document, options=...)` write the DTOs of a
`GET /types/metadata` document the way ServiceStack's own generators write `/types/typescript`
and `/types/python`; `type_links(base_url)` is the `/types` index. Pure: the document, the base URL
and the date come in, text goes out.
"""

from evokit.contract.native.links import LANGUAGES, type_links
from evokit.contract.native.model import SERVICESTACK_VERSION, Options
from evokit.contract.native.python import python
from evokit.contract.native.typescript import typescript

__all__ = ["LANGUAGES", "SERVICESTACK_VERSION", "Options", "python", "type_links", "typescript"]
