"""Piccolo mirrors of m2026_11_30_0000_materials, for queries only."""

from piccolo.columns import Array, BigInt, BigSerial, Bytea, Date, Text, Timestamptz
from piccolo.table import Table

from network.database import ENGINE


class Material(Table, tablename="materials", db=ENGINE):
    id = BigSerial(primary_key=True)
    title = Text()
    topic = Text()
    languages = Array(base_column=Text())
    file_data = Bytea(null=True, default=None)
    file_type = Text(null=True, default=None)
    link = Text(null=True, default=None)
    partner_id = BigInt(null=True, default=None)
    review_on = Date()
    retired_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class MaterialHandout(Table, tablename="material_handouts", db=ENGINE):
    id = BigSerial(primary_key=True)
    client_id = BigInt()
    material_id = BigInt()
    language = Text()
    at = Timestamptz()
    by_user = BigInt(null=True, default=None)
