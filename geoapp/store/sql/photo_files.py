"""Photo files as rows, for installations whose machines share the database but no disk."""

from sqlalchemy import delete, select

from geoapp.store.schema import photo_blobs
from geoapp.store.sql.core import SqlBase, upsert


class PhotoFileQueries(SqlBase):
    def put_photo_file(self, photo_id: str, variant: str, data: bytes) -> None:
        row = {"photo_id": photo_id, "variant": variant, "data": data}
        with self._write() as conn:
            conn.execute(upsert(conn, photo_blobs, row, {"data": data}))

    def get_photo_file(self, photo_id: str, variant: str) -> bytes | None:
        b = photo_blobs.c
        stmt = select(b.data).where(b.photo_id == photo_id, b.variant == variant)
        with self._read() as conn:
            data = conn.execute(stmt).scalar()
        return bytes(data) if data is not None else None

    def delete_photo_files(self, photo_id: str) -> None:
        with self._write() as conn:
            conn.execute(delete(photo_blobs).where(photo_blobs.c.photo_id == photo_id))
