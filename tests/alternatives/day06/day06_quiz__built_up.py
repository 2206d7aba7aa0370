day06_quiz = {}
for question, letter in zip(["q1", "q2", "q3", "q4", "q5", "q6", "q7"], "cdbbacd"):
    day06_quiz[question] = letter
