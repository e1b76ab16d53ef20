"""Reference verdicts from Python zxcvbn 4.5.0, the version warehouse uses for PyPI's rule.

Reads JSON [{"password": ..., "user_inputs": [...]}] on stdin and prints one score per case
as a JSON list. Passwords over 72 characters make 4.5.0 raise; those print null.
"""
import json
import sys

import zxcvbn

cases = json.load(sys.stdin)
scores = []
for case in cases:
    try:
        scores.append(zxcvbn.zxcvbn(case["password"], user_inputs=case["user_inputs"])["score"])
    except ValueError:
        scores.append(None)
json.dump(scores, sys.stdout)
