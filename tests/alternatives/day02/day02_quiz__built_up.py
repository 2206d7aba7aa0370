day02_quiz = dict(q1="b", q2="a")
day02_quiz["q3"] = "b"
day02_quiz["q4"] = "d"
day02_quiz.update({"q5": "c", "q6": "c", "q7": "d"})
