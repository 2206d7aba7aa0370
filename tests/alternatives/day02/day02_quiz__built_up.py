day02_quiz = dict(q1="c", q2="a")
day02_quiz["q3"] = "d"
day02_quiz["q4"] = "b"
day02_quiz.update({"q5": "a", "q6": "c", "q7": "b"})
