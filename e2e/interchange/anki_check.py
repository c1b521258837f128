"""Reads a certprep .apkg export with Anki itself (the `anki` package from PyPI: the same
Rust backend as the desktop app) and prints what Anki sees as JSON: the import log, the notes
with their GUID, fields and tags, each note's cards and decks, the note types, the result of
Anki's "Check Database", and what a second import of the same package does (updates in place,
no new notes). Used by crates/certprep/tests/interchange_anki.rs.

    python anki_check.py PACKAGE.apkg
"""
import json
import os
import sys
import tempfile

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions


def import_package(col, path):
    request = ImportAnkiPackageRequest(
        package_path=path, options=ImportAnkiPackageOptions(with_scheduling=False)
    )
    log = col.import_anki_package(request).log
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
    }


def main(path):
    folder = tempfile.mkdtemp()
    col = Collection(os.path.join(folder, "collection.anki2"))
    first = import_package(col, path)
    notes = []
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = note.cards()
        notes.append(
            {
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": dict(note.items()),
                "tags": note.tags,
                "cards": len(cards),
                "decks": sorted({col.decks.name(card.did) for card in cards}),
                "question": cards[0].question() if cards else "",
            }
        )
    problems, ok = col.fix_integrity()
    second = import_package(col, path)
    result = {
        "first_import": first,
        "second_import": second,
        "notes": notes,
        "note_count_after_second_import": col.note_count(),
        "integrity": {"ok": ok, "report": problems},
    }
    col.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
