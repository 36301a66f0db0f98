-- One row per hand-reported KPI value (kpi_values) whose period overlaps the date range: kpi_id,
-- period (its first day) and value. A period lasts a week, month or quarter, as its KPI's
-- frequency says (a month when the KPI is unknown or has none). Service, ward and the other
-- filters do not apply: these values are reported for the whole council.
-- $date_from $date_to: the shared date range.
with periods as (
    select
        kpi_values.kpi_id,
        kpi_values.period,
        kpi_values.value,
        kpi_values.period + case kpis.frequency
            when 'weekly' then interval 7 day
            when 'quarterly' then interval 3 month
            else interval 1 month
        end as period_end
    from kpi_values
    left join kpis on kpis.id = kpi_values.kpi_id
)
select kpi_id, period, value
from periods
where ($date_from is null or period_end > $date_from)
    and ($date_to is null or period <= $date_to)
order by kpi_id, period
