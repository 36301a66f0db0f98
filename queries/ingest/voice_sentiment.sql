-- Store each comment's sentiment from the registered frame voice_scores (feedback_id, sentiment,
-- sentiment_label), computed in Python by pulse.metrics.sentiment.
update feedback
set sentiment = voice_scores.sentiment,
    sentiment_label = voice_scores.sentiment_label
from voice_scores
where feedback.feedback_id = voice_scores.feedback_id
