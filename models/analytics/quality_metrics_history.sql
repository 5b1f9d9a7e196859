{{ config(materialized='incremental', full_refresh=false) }}
-- quality_metrics of every run, appended: the trend of data quality. Never rebuilt, not even by
-- --full-refresh (drop the table by hand to start over).
select * from {{ ref('quality_metrics') }}
