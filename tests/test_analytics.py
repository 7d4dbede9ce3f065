"""The class analytics (course/analytics.py) on made-up results: shares, grouping of messages, hardest first."""
from course.analytics import check_statistics, student_totals, summary


def result(student, passed: dict, messages: dict, assignment="05_dqn"):
    return {"student": student, "assignment": assignment, "score": sum(passed.values()), "max_score": len(passed),
            "checks": [{"name": name, "exercise": name.split("_")[0], "description": "", "max_points": 1.0,
                        "passed": ok, "message": messages.get(name, "")} for name, ok in passed.items()]}


def test_checks_are_ordered_hardest_first_with_messages_grouped_by_kind():
    results = [
        result("a", {"update_loss": False, "eval_returns": True},
               {"update_loss": 'File "<cell update>", line 5, in update\n    x = q.gather(1, a)\nRuntimeError: Index tensor'}),
        result("b", {"update_loss": False, "eval_returns": False},
               {"update_loss": "the loss differs from the expected values in 3 of 64 entries",
                "eval_returns": "the returns differ in 2 of 4 entries"}),
        result("c", {"update_loss": False, "eval_returns": True},
               {"update_loss": "the loss differs from the expected values in 12 of 64 entries"}),
    ]
    [dqn] = check_statistics(results)
    assert [check["name"] for check in dqn["checks"]] == ["update_loss", "eval_returns"]  # 0/3 before 2/3
    update = dqn["checks"][0]
    assert (update["passed"], update["total"]) == (0, 3)
    assert update["failures"] == [("the loss differs from the expected values in 3 of 64 entries", 2),
                                  ("RuntimeError: Index tensor", 1)]
    assert dqn["mean"] == 2 / 3 and dqn["students"] == 3


def test_summary_drops_traceback_frames_and_keeps_the_lesson():
    message = ("fix `update` first: it fails its own checks above.\n"
               'File "<cell train>", line 12, in train\n    loss = update(q, t, o, b, c)\n'
               'File "<cell update>", line 3, in update\n    taken = q(b.states).gather(1, b.actions)\n'
               "RuntimeError: Index tensor must have the same number of dimensions")
    assert summary(message) == ("fix `update` first: it fails its own checks above. RuntimeError: Index tensor must "
                                "have the same number of dimensions")


def test_student_totals_add_every_assignment_and_show_what_was_not_handed_in():
    rows = [{"student": "bo", "assignment": "02_mdp", "score": 20.0, "manual_score": 1.5, "total": 21.5, "max_total": 32.0},
            {"student": "bo", "assignment": "05_dqn", "score": 30.0, "manual_score": "", "total": 30.0, "max_total": 40.0},
            {"student": "al", "assignment": "05_dqn", "score": 40.0, "manual_score": 4.0, "total": 44.0, "max_total": 40.0}]
    names, students = student_totals(rows)
    assert names == ["02_mdp", "05_dqn"]
    assert [(s["name"], s["total"], s["max_total"]) for s in students] == [("al", 44.0, 72.0), ("bo", 51.5, 72.0)]
    assert students[0]["rows"][0] is None and students[1]["rows"][1]["manual_score"] == ""
