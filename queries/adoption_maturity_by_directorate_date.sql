-- One row per directorate × assessment date × framework of the optional maturity self-assessment:
-- how many dimensions were scored, their mean score and mean top of scale, and
-- maturity = Σ score ÷ Σ max_score (0–1; null when no dimension has a top of scale). A
-- directorate's own self-assessment, not a figure about people, so no group size applies.
-- Run only when adoption_maturity_available_overall says the table exists.
-- $date_from $date_to $directorates: the shared filters.
with assessments as (
    select directorate, assessed_on::date as assessed_on, framework, dimension, score, max_score
    from maturity
    where ($date_from is null or assessed_on >= $date_from)
        and ($date_to is null or assessed_on <= $date_to)
        and ($directorates is null or list_contains($directorates, directorate))
        and score is not null
)
select
    directorate,
    assessed_on,
    framework,
    count(*) as dimensions,
    avg(score) as score,
    avg(max_score) as max_score,
    sum(score) filter (where max_score > 0) / sum(max_score) filter (where max_score > 0) as maturity
from assessments
group by directorate, assessed_on, framework
order by directorate, assessed_on, framework
