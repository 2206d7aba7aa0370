day03_quiz = dict(q1="b", q2="c")
day03_quiz["q3"] = "a"
day03_quiz.update({"q4": "d", "q5": "b", "q6": "a", "q7": "c"})
