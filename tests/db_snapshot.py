"""Helpers shared by the batch and distributed tests."""
import sqlite3


def snapshot(db) -> dict:
    """The database's content independent of row ids and insertion times."""
    conn = sqlite3.connect(str(db))
    try:
        q = lambda sql: sorted(tuple(r) for r in conn.execute(sql))  # noqa: E731
        return {
            "documents": q("SELECT sha256, source, title, published, rules_version, text FROM documents"),
            "citations": q("SELECT doc.sha256, d.code, d.issuer_key, d.year, c.text, c.start, c.\"end\", c.mentions,"
                           " c.cited_date, c.cited_issuer, c.is_self, c.snippet FROM citations c"
                           " JOIN documents doc ON doc.id = c.document_id JOIN directives d ON d.id = c.directive_id"),
            "targets": q("SELECT doc.sha256, t.value, t.value_max, t.unit, t.comparator, t.year, t.indicator,"
                         " t.start, t.\"end\", t.confidence FROM targets t JOIN documents doc ON doc.id = t.document_id"),
            "lists": q("SELECT doc.sha256, 'o', o.position, o.text, o.start FROM objectives o"
                       " JOIN documents doc ON doc.id = o.document_id UNION ALL "
                       "SELECT doc.sha256, 's', s.position, s.text, s.start FROM solutions s"
                       " JOIN documents doc ON doc.id = s.document_id"),
            "places": q("SELECT doc.sha256, p.name, p.level, p.province FROM document_places dp"
                        " JOIN documents doc ON doc.id = dp.document_id JOIN places p ON p.id = dp.place_id"),
        }
    finally:
        conn.close()
