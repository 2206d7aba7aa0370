day07_quiz = dict(q1="c", q2="a")
day07_quiz["q3"] = "b"
day07_quiz["q4"] = "d"
day07_quiz.update({"q5": "a", "q6": "c", "q7": "b"})
