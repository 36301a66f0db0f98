-- One row per feedback comment, after redaction: feedback_id, comment. The resident-voice step
-- (pulse/ingest/voice.py) scores and themes these. Comments with nothing but white space, in any
-- script, count as ratings without a comment and were set to null first (voice_blank_comments).
select feedback_id, comment
from feedback
where comment is not null
order by feedback_id
