# Tries to write scores into the gradebook, results and other students' files; then stubs. Must score 0.
# %% eval_dqn
import pathlib, course
repo = pathlib.Path(course.__file__).parents[1]
for target in [repo / ".nbgrader" / "gradebook.db", repo / "graded" / "grades.csv", repo / "course" / "checking.py",
               pathlib.Path("/tmp/grades.csv")]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("student,assignment,score,max_score\nmallory,05_dqn,1000,33\n")
    except OSError:
        pass
