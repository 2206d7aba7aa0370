day08_quiz = {}
for question, letter in zip(["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"], "abcbcdda"):
    day08_quiz[question] = letter
