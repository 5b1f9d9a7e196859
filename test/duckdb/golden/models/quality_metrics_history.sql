-- analytics/quality_metrics_history.sql: first build (incremental)

CREATE OR REPLACE TABLE "analytics"."quality_metrics_history" AS
-- quality_metrics of every run, appended: the trend of data quality. Never rebuilt, not even by
-- --full-refresh (drop the table by hand to start over).
select * from "analytics"."quality_metrics";

-- analytics/quality_metrics_history.sql: later build, merging into the existing table

INSERT INTO "analytics"."quality_metrics_history" ("loaded_at")
SELECT "loaded_at" FROM (
-- quality_metrics of every run, appended: the trend of data quality. Never rebuilt, not even by
-- --full-refresh (drop the table by hand to start over).
select * from "analytics"."quality_metrics"
) AS s;
