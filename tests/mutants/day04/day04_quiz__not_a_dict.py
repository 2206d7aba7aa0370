day04_quiz = ["a", "c", "b", "b", "d", "a"]
