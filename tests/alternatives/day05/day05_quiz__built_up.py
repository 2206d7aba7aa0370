day05_quiz = dict(q1="b", q2="c")
day05_quiz["q3"] = "a"
day05_quiz["q4"] = "b"
day05_quiz.update({"q5": "d", "q6": "d", "q7": "c", "q8": "a"})
