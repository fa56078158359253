"""The exercises' answers, one module per page: imported only when an answer is asked for.

`fcnet.site.exercises` holds the questions; `Exercise.answer` imports the
module here that computes one, so that listing or rendering the questions
without answers (the answer-free site, ``FCNET_ANSWERS=0``) never loads them.
"""
