"""The committed schema files are what the exporter writes today, byte for byte."""

import json
from pathlib import Path

from contracts import all_messages
from contracts.schema_export import INDEX, SCHEMA_DIR, expected_files, main, stale_files


def test_committed_schema_files_are_current() -> None:
    problems = stale_files(SCHEMA_DIR)

    assert not problems, "\n".join([*problems, "run: python -m contracts.schema_export"])


def test_export_is_deterministic_and_check_passes_after_it(tmp_path: Path) -> None:
    assert main(["--dir", str(tmp_path)]) == 0

    written = {p.relative_to(tmp_path).as_posix(): p.read_text() for p in tmp_path.rglob("*.json")}
    assert written == expected_files()
    assert all(text.endswith("}\n") for text in written.values())
    assert main(["--check", "--dir", str(tmp_path)]) == 0


def test_check_lists_stale_missing_and_orphaned_files(tmp_path: Path) -> None:
    main(["--dir", str(tmp_path)])
    (tmp_path / "gateway" / "ShopOpened.v1.json").write_text("{}\n")
    (tmp_path / INDEX).unlink()
    (tmp_path / "gateway" / "ShopClosed.v1.json").write_text("{}\n")

    assert stale_files(tmp_path) == [
        "missing: index.json",
        "out of date: gateway/ShopOpened.v1.json",
        "no model exports it (restore the model, or delete the file to retire it): "
        "gateway/ShopClosed.v1.json",
    ]
    assert main(["--check", "--dir", str(tmp_path)]) == 1


def test_export_never_deletes_an_old_major(tmp_path: Path) -> None:
    old_major = tmp_path / "gateway" / "ShopOpened.v0.json"
    old_major.parent.mkdir()
    old_major.write_text("{}\n")

    main(["--dir", str(tmp_path)])

    assert old_major.exists()


def test_index_names_every_message_once() -> None:
    entries = json.loads(expected_files()[INDEX])["messages"]

    assert [(e["type"], e["version"]) for e in entries] == [
        (m.model_fields["type"].default, m.model_fields["version"].default) for m in all_messages()
    ]
    assert {e["kind"] for e in entries} <= {"event", "command"}
