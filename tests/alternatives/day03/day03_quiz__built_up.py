day03_quiz = dict(q1="d", q2="b")
day03_quiz["q3"] = "a"
day03_quiz["q4"] = "c"
day03_quiz.update({"q5": "b", "q6": "d", "q7": "c"})
