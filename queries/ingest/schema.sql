-- The database the ingest builds: one table per canonical table of the data contract,
-- plus lineage (source_file, source_line), ward matching, rejected rows and load summary.
-- pulse/schema.py holds the same columns; tests/test_schema.py keeps the two in step.
-- No parameters.

create table service_requests (
    request_id varchar not null,
    created_at timestamp not null,
    closed_at timestamp,
    due_at timestamp,
    service varchar not null,
    service_code varchar,
    directorate varchar,
    channel varchar not null,
    ward_code varchar,
    latitude double,
    longitude double,
    status varchar,
    outcome varchar,
    resolved_first_contact boolean,
    customer_ref varchar,
    ward_match varchar,
    ward_given varchar,
    source_file varchar,
    source_line bigint
);

create table feedback (
    feedback_id varchar not null,
    submitted_at timestamp not null,
    rating integer,
    rating_band varchar,
    service varchar,
    channel varchar,
    ward_code varchar,
    latitude double,
    longitude double,
    comment varchar,
    request_id varchar,
    sentiment double,  -- of the redacted comment, -1 to +1; null without one (set at load)
    sentiment_label varchar,  -- positive, neutral or negative; null without a comment
    ward_match varchar,
    ward_given varchar,
    source_file varchar,
    source_line bigint
);

create table adoption (
    month date not null,
    person_id varchar not null,
    role_level varchar not null,
    directorate varchar not null,
    activity varchar not null,
    value double not null,
    source_file varchar,
    source_line bigint
);

create table ward_population (
    ward_code varchar not null,
    population bigint not null,
    imd_decile integer,
    imd_method varchar,  -- how imd_decile was made: supplied, or derived from IMD by LSOA
    source_file varchar,
    source_line bigint
);

create table kpis (
    id varchar not null,
    name varchar not null,
    challenge varchar,
    unit varchar,
    polarity varchar,
    target double,
    definition varchar,
    owner varchar,
    frequency varchar,
    source_file varchar,
    source_line bigint
);

create table kpi_values (
    kpi_id varchar not null,
    period date not null,
    value double not null,
    source_file varchar,
    source_line bigint
);

create table events (
    date date not null,
    label varchar not null,
    service varchar,
    ward_code varchar,
    source_file varchar,
    source_line bigint
);

create table unit_costs (
    channel varchar not null,
    cost_gbp double not null,
    source varchar,
    year integer,
    source_file varchar,
    source_line bigint
);

-- Optional: directorates' self-assessed digital maturity (e.g. Local Digital Declaration).
create table maturity (
    directorate varchar not null,
    assessed_on date not null,
    framework varchar,
    dimension varchar,
    score double not null,
    max_score double,
    source_file varchar,
    source_line bigint
);

-- Optional "you said, we did": what the council changed, about a theme or a service.
create table actions (
    date date not null,
    description varchar not null,
    theme varchar,
    service varchar,
    source_file varchar,
    source_line bigint
);

-- One row per comment and theme it belongs to (a comment may have several, or none: "Other").
create table feedback_themes (
    feedback_id varchar not null,
    theme varchar not null
);

-- One row per theme the comments were sorted into, in the order the rules list them.
create table themes (
    theme varchar not null,
    position integer not null,
    rule varchar not null,  -- the rule in words, as the page may show it
    source varchar not null  -- default, or the council's themes.toml
);

create table wards (
    ward_code varchar not null,
    ward_name varchar,
    geometry blob not null,
    area_km2 double,
    centroid_lon double,
    centroid_lat double
);

create table rejected_rows (
    table_name varchar not null,
    source_file varchar not null,
    line bigint,
    reason varchar not null,
    raw varchar
);

-- One row per file read: the Data page's "every row accounted for".
create table sources (
    table_name varchar not null,
    source_file varchar not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    min_date timestamp,
    max_date timestamp,
    no_ward bigint,
    unmatched_wards bigint,
    unmatched_codes varchar,
    snapped bigint,  -- points just outside every ward given the nearest ward within snap_metres
    snap_metres double,  -- the tolerance used for this file (null: the table has no points)
    file_modified timestamp,
    loaded_at timestamp
);

-- One row per thing worth knowing about a file that is not a row's own rejection: dates written
-- day first, outcomes that hold statuses, how deprivation was derived.
create table source_notes (
    table_name varchar not null,
    source_file varchar not null,
    column_name varchar,
    kind varchar not null,
    note varchar not null
);

-- One row per file × column × source value that no canonical value matched and was loaded as
-- 'other' (outcomes today), with how many loaded rows carry it.
create table other_values (
    table_name varchar not null,
    source_file varchar not null,
    column_name varchar not null,
    source_value varchar,
    rows bigint not null
);

-- One row per LSOA named by the [deprivation] files: its ward and decile, and why it was left out
-- of its ward's figure (problem), if it was.
create table deprivation_lsoas (
    lsoa_code varchar not null,
    ward_code varchar,
    imd_decile integer,
    population double,
    problem varchar
);

create table meta (
    key varchar primary key,
    value varchar
);

-- Keys seen so far, so that a later copy of a row is rejected as a duplicate of the first.
create temp table seen_keys (
    table_name varchar,
    key varchar,
    source_file varchar,
    line bigint
);
