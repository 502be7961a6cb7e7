"""Spark helpers: a local session that stays on this machine, and `cld_raw` from DuckDB.

PySpark is an optional dependency (`pip install careassure[spark]`); it is imported only when
these functions are called. On a cluster, build the session with the cluster's own settings
and register `cld_raw` from the national store instead (docs/measures.md).
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from careassure.core.measures.engine import MeasureError

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import SparkSession

LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": "-Djava.net.preferIPv4Stack=true",
}


def local_spark_session(master: str = "local[2]") -> SparkSession:
    """A Spark session on this machine only: no UI, loopback addresses, few partitions."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MeasureError(
            "The Spark engine needs PySpark: install careassure with the 'spark' extra"
        ) from exc
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # py4j logs connection teardown at INFO, sometimes after logging has shut down.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    builder = SparkSession.builder.master(master).appName("careassure-ascof")
    for key, value in LOCAL_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def register_cld_raw(con: duckdb.DuckDBPyConnection, spark: SparkSession) -> None:
    """Copy the DuckDB table `cld_raw` into Spark as the temporary view `cld_raw`."""
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    described = con.execute("DESCRIBE cld_raw").fetchall()
    fields = [
        StructField(
            str(name),
            IntegerType() if str(kind).upper() == "INTEGER" else StringType(),
            nullable=True,
        )
        for name, kind, *_ in described
    ]
    rows = con.execute("SELECT * FROM cld_raw").fetchall()
    frame = spark.createDataFrame(rows, schema=StructType(fields))
    frame.createOrReplaceTempView("cld_raw")
