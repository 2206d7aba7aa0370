day04_quiz = ["b", "c", "a", "d", "b", "a", "d", "c"]
