"""The site offers its own source code (GNU AGPL, section 13), and nothing but the project's
files: never data, settings files with secrets, installed packages or caches."""

import io
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from mutualwatch.publishing.source import cached_source_archive, source_archive, source_files

pytestmark = pytest.mark.django_db


def write(base: Path, relative: str, text: str = "x") -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def members(archive: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as opened:
        return {
            member.name: opened.extractfile(member).read()  # type: ignore[union-attr]
            for member in opened.getmembers()
        }


def test_only_the_projects_own_files_are_offered(tmp_path: Path) -> None:
    for kept in ["LICENSE", "pyproject.toml", "mutualwatch/settings.py", "docs/methods.md"]:
        write(tmp_path, kept)
    for left_out in [
        ".env",  # a host's secrets
        "var/mutualwatch.sqlite3",  # the data
        ".venv/lib/site.py",
        "node_modules/axe-core/axe.js",
        "mutualwatch/__pycache__/settings.cpython-312.pyc",
        "mutualwatch/stray.pyc",
        "notes-of-the-host.txt",
    ]:
        write(tmp_path, left_out)
    assert [str(path) for path in source_files(tmp_path)] == [
        "LICENSE",
        "docs/methods.md",
        "mutualwatch/settings.py",
        "pyproject.toml",
    ]


def test_the_archive_holds_the_files_and_is_the_same_each_time(tmp_path: Path) -> None:
    write(tmp_path, "LICENSE", "GNU AFFERO GENERAL PUBLIC LICENSE")
    write(tmp_path, "mutualwatch/urls.py", "urlpatterns = []")
    files = source_files(tmp_path)
    archive = source_archive(tmp_path, files)
    assert members(archive) == {
        "mutualwatch/LICENSE": b"GNU AFFERO GENERAL PUBLIC LICENSE",
        "mutualwatch/mutualwatch/urls.py": b"urlpatterns = []",
    }
    assert source_archive(tmp_path, files) == archive


def test_a_changed_file_gives_a_new_archive(tmp_path: Path) -> None:
    base, cache = tmp_path / "site", tmp_path / "cache"
    write(base, "mutualwatch/views.py", "before")
    first = cached_source_archive(base, cache)
    write(base, "mutualwatch/views.py", "after, as a host changed it")
    second = cached_source_archive(base, cache)
    assert second != first
    assert not first.exists()  # the old one is not kept
    assert members(second.read_bytes())["mutualwatch/mutualwatch/views.py"].startswith(b"after")


def test_any_visitor_can_download_the_running_sites_source(
    client: Client, settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    home = client.get("/")
    assert 'href="/source/"' in home.content.decode()
    response = client.get("/source/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    names = members(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert "mutualwatch/LICENSE" in names
    assert "mutualwatch/mutualwatch/publishing/source.py" in names
    assert not any("/var/" in name or name.endswith(".env") for name in names)


def test_a_host_can_point_visitors_to_its_repository(client: Client, settings: object) -> None:
    settings.SOURCE_URL = "https://code.example.org/branch/mutualwatch"  # type: ignore[attr-defined]
    response = client.get("/source/")
    assert response.status_code == 302
    assert response["Location"] == "https://code.example.org/branch/mutualwatch"


def test_the_repository_itself_is_offered_without_its_data() -> None:
    names = {str(path) for path in source_files(settings.BASE_DIR)}
    assert {"LICENSE", "README.md", "uv.lock", "mutualwatch/settings.py"} <= names
    assert not any(name.startswith(("var/", ".venv/", "node_modules/")) for name in names)
