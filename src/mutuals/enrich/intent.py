"""Intent of an inbound text: complaint, question, praise, request, or other (several may apply).

Hand-written rules over words and punctuation, plus the sentiment label where it is known. Evaluated on
hand-labelled inbound tweets of the TWCS customer-support sample (tests/cases/twcs_intent/intent_labels.csv
holds only tweet_id -> labels; docs/listening.md gives precision and recall per intent).
"""

from __future__ import annotations

import re

from mutuals.enrich.text import normalize

INTENTS = ("complaint", "question", "praise", "request", "other")

_QUESTION_START = re.compile(
    r"^(?:\W*@user )*\W*(?:(?:how|why|what|when|where|who|which|whats|anyone|any (?:way|chance|idea))\b|"
    r"(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have) "
    r"(?:you|u|i|we|it|there|this|that|my|your|anyone|someone|anybody)\b)"
)
_REQUEST = re.compile(
    r"\b(?:please|pls|plz|can you|could you|would you|will you|can u|could u|can someone|i need|i want|"
    r"need help|help me|help us|dm me|message me|call me|email me|let me know|send me|get back to me|"
    r"fix (?:this|it|my)|sort (?:this|it) out|look into|refund me|cancel my|reply|respond|i'd like|"
    r"i would like)\b"
)
_COMPLAINT = re.compile(
    r"\b(?:never (?:arrived|came|received|got)|still (?:waiting|not|no|haven't|hasn't)|worst|terrible|"
    r"awful|horrible|useless|pathetic|ridiculous|unacceptable|disappoint\w*|frustrat\w*|annoy\w*|"
    r"not working|doesn't work|don't work|isn't working|won't (?:let|work|load|open)|can't (?:log|get|"
    r"access|find|use|believe)|stopped working|keeps? (?:crashing|freezing|dropping)|broken|crash\w*|"
    r"delay\w*|late|cancel(?:l)?ed|overcharg\w*|charged (?:me )?twice|double charged|rude|scam|lost my|"
    r"missing|wrong|error|fail\w*|issue|issues|problem|problems|bug|glitch\w*|down again|waste|"
    r"no one|nobody|hours? on hold|on hold|sucks?|hate|fed up|wtf|smh|ugh|no (?:response|reply|"
    r"resolution|answer)|not (?:happy|received|helpful)|wasn't helpful|lie|lied|lying|stupid|garbage|"
    r"incompeten\w*|outrageous|dissatisfied|upset|sick of|lame|stinks|unbelievable|too slow|"
    r"took (?:my )?money|didn't|didnt|haven't|hasn't|won't|can't)\b"
)
_PRAISE = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|love|loving|great|awesome|amazing|excellent|perfect|fantastic|"
    r"best|appreciate\w*|kudos|shout ?out|well done|brilliant|impressed|wonderful|helpful|lifesaver|"
    r"<3)\b|❤|😍|🙏|👍|🙌"
)


def detect_intents(text: str, sentiment: str | None = None) -> list[str]:
    """Sorted intents of ``text``; ``sentiment`` is its sentiment label, when known ('negative' ...)."""
    norm = normalize(text)
    if not norm:
        return ["other"]
    found: set[str] = set()
    if "?" in norm or _QUESTION_START.search(norm):
        found.add("question")
    if _REQUEST.search(norm):
        found.add("request")
    complaint_words = _COMPLAINT.search(norm) is not None
    if (complaint_words and sentiment != "positive") or sentiment == "negative":
        found.add("complaint")
    if _PRAISE.search(norm) and sentiment != "negative" and "complaint" not in found:
        found.add("praise")
    return sorted(found) or ["other"]
