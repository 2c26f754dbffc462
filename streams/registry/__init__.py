"""Records framed by a schema registry (Confluent's wire format, also served by Apicurio's
compatible API): magic byte 0, a 4-byte big-endian schema id, then the payload. The worker
decodes JSON Schema and Avro payloads into the action result before its checks
(docs/schema-registry.md)."""

from streams.registry.framing import MAGIC, frame_of
from streams.registry.schemas import RegistrySchema, SchemaType, UnknownSchema
from streams.registry.settings import RegistrySettings
from streams.registry.unframe import Unframed, unframe

__all__ = [
           "MAGIC",
           "RegistrySchema",
           "RegistrySettings",
           "SchemaType",
           "Unframed",
           "UnknownSchema",
           "frame_of",
           "unframe",
]
