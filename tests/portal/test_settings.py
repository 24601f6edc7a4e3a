"""The embedded defaults, and production mode refusing to start half-configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], "
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'private': str(settings.PRIVATE_MEDIA_ROOT), 'tz': settings.TIME_ZONE}))"
)


def _run(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "MILIEU_VAR_DIR": str(tmp_path / "var"),
        **env_extra,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_environment_means_sqlite_filesystem_broker_and_file_email(tmp_path):
    result = _run({}, tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["db"] == "django.db.backends.sqlite3"
    assert config["broker"].startswith("filesystem://")
    assert config["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["cache"].endswith("DatabaseCache")
    assert config["private"].startswith(str(tmp_path / "var"))
    assert (tmp_path / "var" / "mail").is_dir()


def test_environment_switches_to_postgres_redis_and_smtp(tmp_path):
    result = _run(
        {
            "DATABASE_URL": "postgres://root@127.0.0.1:5432/anything",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "EMAIL_URL": "smtp://mail.example.org:587",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            "AGENCY_TIME_ZONE": "America/Denver",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["db"] == "django.db.backends.postgresql"
    assert config["broker"] == "redis://127.0.0.1:6379/0"
    assert config["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert "redis" in config["cache"].lower()
    assert config["tz"] == "America/Denver"


def test_production_mode_without_secret_key_refuses_to_start(tmp_path):
    result = _run(
        {"DJANGO_DEBUG": "off", "ALLOWED_HOSTS": "milieu.example.org"}, tmp_path
    )
    assert result.returncode != 0
    assert "needs a SECRET_KEY" in result.stderr


def test_production_mode_without_allowed_hosts_refuses_to_start(tmp_path):
    result = _run({"DJANGO_DEBUG": "off", "SECRET_KEY": "x" * 50}, tmp_path)
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_production_mode_with_both_starts(tmp_path):
    result = _run(
        {
            "DJANGO_DEBUG": "off",
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "milieu.example.org",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
