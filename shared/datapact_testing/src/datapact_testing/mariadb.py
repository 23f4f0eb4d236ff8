"""Real MariaDB (Debian's mariadb-server; MySQL 8 speaks the same through PyMySQL): a
database per test process, loaded from a script.

``DATAPACT_TEST_MYSQL_HOST``/``_PORT``/``_USER``/``_PASSWORD`` name the server (default
root without a password on 127.0.0.1:3306, as ``scripts/ensure-infra.sh`` starts it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pymysql

HOST = os.environ.get("DATAPACT_TEST_MYSQL_HOST", "127.0.0.1")
PORT = int(os.environ.get("DATAPACT_TEST_MYSQL_PORT", "3306"))
USER = os.environ.get("DATAPACT_TEST_MYSQL_USER", "root")
PASSWORD = os.environ.get("DATAPACT_TEST_MYSQL_PASSWORD", "")


def connect(database: str | None = None) -> pymysql.connections.Connection[Any]:
    return pymysql.connect(
        host=HOST, port=PORT, user=USER, password=PASSWORD, database=database, autocommit=True
    )


def ensure_server() -> None:
    """Start the local MariaDB as scripts/ensure-infra.sh does, if it is installed but down."""
    try:
        connect().close()
        return
    except pymysql.err.OperationalError:
        daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        if HOST != "127.0.0.1" or not Path(daemon).exists():
            raise
    subprocess.run(
        ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", daemon],
        check=True,
    )
    for _ in range(60):
        try:
            connect().close()
            return
        except pymysql.err.OperationalError:
            time.sleep(0.5)
    connect().close()  # raises with the reason


def create_database(prefix: str, script: Path | None = None) -> str:
    """A fresh database unique to this process, loaded from ``script`` (statements end with
    ``;`` at a line's end; ``--`` lines are comments); its ``mysql://`` URL."""
    ensure_server()
    name = f"{prefix}_{os.getpid()}"
    drop_database(name)
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    if script is not None:
        lines = script.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.startswith("--"))
        with connect(name) as connection, connection.cursor() as cursor:
            for statement in filter(str.strip, text.split(";\n")):
                cursor.execute(statement)
    return url(name)


def url(database: str) -> str:
    return f"mysql://{USER}:{PASSWORD}@{HOST}:{PORT}/{database}"


def drop_database(name: str) -> None:
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
